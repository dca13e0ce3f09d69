cmake_policy(SET CMP0057 NEW)  # IN_LIST
# Generates a C++ source holding every file of the built dashboard (web/build.sh's
# output directory), so `marquee serve` carries its UI with nothing beside it
# (run by the build, see src/api/CMakeLists.txt).
#   cmake -DDIST=<dir> -DOUT=<file.cpp> -P embed_web_assets.cmake
file(GLOB_RECURSE files RELATIVE "${DIST}" "${DIST}/*")
list(SORT files)
if(NOT "index.html" IN_LIST files)
  message(FATAL_ERROR "${DIST}/index.html is missing: the dashboard build (web/build.sh) did not run or failed")
endif()
set(arrays "")
set(entries "")
set(n 0)
foreach(name IN LISTS files)
  file(READ "${DIST}/${name}" hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(LENGTH "${hex}" hex_length)
  math(EXPR size "${hex_length} / 2")
  string(APPEND arrays "const unsigned char kFile${n}[] = {${bytes}0};\n")
  string(APPEND entries "    {\"${name}\", std::string_view(reinterpret_cast<const char*>(kFile${n}), ${size})},\n")
  math(EXPR n "${n} + 1")
endforeach()
file(WRITE "${OUT}.new" "// Generated from the dashboard build by src/api/embed_web_assets.cmake. Do not edit.
#include \"api/static_assets.hpp\"

namespace marquee::api {
namespace {
${arrays}
const EmbeddedFile kFiles[] = {
${entries}};
}  // namespace

std::span<const EmbeddedFile> embedded_web_files() { return kFiles; }

}  // namespace marquee::api
")
file(COPY_FILE "${OUT}.new" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.new")

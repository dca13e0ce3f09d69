# Generates a C++ source holding every sql/migrations/<dialect>/V*.sql, so the
# binary carries its own schema history (run by the build, see CMakeLists.txt).
#   cmake -DSQL_ROOT=<dir> -DOUT=<file.cpp> -P embed_migrations.cmake
set(dialects sqlite postgresql)
set(body "")
foreach(dialect IN LISTS dialects)
  file(GLOB files "${SQL_ROOT}/${dialect}/V*.sql")
  list(SORT files)
  foreach(path IN LISTS files)
    get_filename_component(name "${path}" NAME)
    file(READ "${path}" sql)
    string(FIND "${sql}" ")marquee_sql\"" clash)
    if(NOT clash EQUAL -1)
      message(FATAL_ERROR "${path} contains the raw-string delimiter )marquee_sql\"")
    endif()
    string(APPEND body "    {\"${dialect}\", \"${name}\", R\"marquee_sql(${sql})marquee_sql\"},\n")
  endforeach()
endforeach()
file(WRITE "${OUT}.new" "// Generated from sql/migrations by src/store/embed_migrations.cmake. Do not edit.
#include <algorithm>
#include <string_view>
#include <vector>

#include \"store/migrations.hpp\"

namespace marquee::store {
namespace {
struct EmbeddedFile {
  std::string_view dialect, name, sql;
};
const EmbeddedFile kFiles[] = {
${body}};
}  // namespace

std::vector<Migration> embedded_migrations(std::string_view dialect) {
  std::vector<Migration> out;
  for (const EmbeddedFile& f : kFiles) {
    if (f.dialect == dialect) out.push_back(make_migration(std::string(f.name), std::string(f.sql)));
  }
  std::sort(out.begin(), out.end(), [](const Migration& a, const Migration& b) { return a.version < b.version; });
  return out;
}

}  // namespace marquee::store
")
file(COPY_FILE "${OUT}.new" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.new")

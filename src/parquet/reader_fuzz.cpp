// libFuzzer target over ParquetReader: any input must either read or throw
// ParquetError; anything else (crash, sanitizer report, other exception,
// leak) is a bug. Built with -DMARQUEE_FUZZ=ON and clang; see CMakeLists.txt
// for how ctest runs it and how to run it longer.
#include <cstddef>
#include <cstdint>
#include <string>

#include "parquet/reader.hpp"

namespace {

// Legitimately huge inputs (a tiny page of a billion nulls) would only time out.
struct EnoughRows {};
constexpr std::size_t kMaxRows = 200'000;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    marquee::parquet::ParquetReader reader(std::string(reinterpret_cast<const char*>(data), size), "fuzz-input");
    std::size_t rows = 0;
    std::size_t bytes = 0;
    reader.for_each_row([&](std::span<const marquee::table::Cell> row) {
      if (++rows > kMaxRows) throw EnoughRows{};
      // Touch every string so ASan sees any dangling view.
      for (const auto& cell : row) {
        if (const auto* s = std::get_if<std::string_view>(&cell)) {
          for (char ch : *s) bytes += static_cast<unsigned char>(ch);
        }
      }
    });
    (void)bytes;
  } catch (const marquee::parquet::ParquetError&) {
  } catch (const EnoughRows&) {
  }
  return 0;
}

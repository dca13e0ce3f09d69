#include "parquet/options.hpp"

#include "table/table_writer.hpp"

#include <algorithm>
#include <cctype>

#include "common/error.hpp"
#include "marquee/version.hpp"

#ifndef MARQUEE_BUILD_ID
#define MARQUEE_BUILD_ID "unknown"
#endif

namespace marquee::parquet {

std::string_view compression_name(Compression compression) {
  switch (compression) {
    case Compression::None: return "none";
    case Compression::Snappy: return "snappy";
    case Compression::Zstd: return "zstd";
  }
  return "?";
}

Compression parse_compression(const std::string& text) {
  std::string lower = text;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (Compression c : {Compression::Zstd, Compression::Snappy, Compression::None}) {
    if (lower == compression_name(c)) return c;
  }
  throw InputError("--compression: unknown codec '" + text + "' (expected zstd, snappy or none)");
}

std::string default_created_by() {
  return std::string("marquee version ") + kVersion + " (build " + MARQUEE_BUILD_ID + ")";
}

KeyValueList marquee_metadata(std::string run_id, std::string input_sha256) {
  return table::marquee_file_metadata(run_id, input_sha256);
}

}  // namespace marquee::parquet

#pragma once
// What a Parquet artifact looks like: codec, row group and page sizing,
// dictionary limit, file metadata. Defaults suit the ETL; tests shrink them.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace marquee::parquet {

enum class Compression : std::uint8_t { None, Snappy, Zstd };

// "none", "snappy" or "zstd".
std::string_view compression_name(Compression compression);

// Parses "zstd|snappy|none" (case-insensitive) for the CLI; throws
// marquee::InputError naming the --compression parameter otherwise.
Compression parse_compression(const std::string& text);

// "marquee version <X> (build <sha or unknown>)": the form the spec suggests
// for created_by, which parquet-mr and Arrow parse into application + version.
std::string default_created_by();

using KeyValueList = std::vector<std::pair<std::string, std::string>>;  // = table::FileMetadata

// The key/value metadata every Marquee artifact carries: marquee.version,
// marquee.schema_version (from version.hpp), marquee.run_id, marquee.input_sha256.
KeyValueList marquee_metadata(std::string run_id, std::string input_sha256);

struct WriterOptions {
  Compression compression = Compression::Zstd;
  // zstd level 1: within a few percent of level 3's size on these tables, at
  // about twice the speed (see writer_bench).
  int zstd_level = 1;
  // A row group ends at whichever limit comes first. The whole row group is
  // buffered (encoded and compressed) before it is written, so these bound
  // the writer's memory.
  std::uint64_t row_group_max_rows = 1'000'000;
  std::uint64_t row_group_max_bytes = 64ull << 20;
  // A data page ends at whichever limit comes first (bytes before compression).
  std::size_t page_max_bytes = 1u << 20;
  std::size_t page_max_rows = 20'000;
  // A string column's dictionary (PLAIN-encoded size, entries) may grow to
  // these; past either the rest of the column chunk is written PLAIN.
  // 8 MiB rather than parquet-mr's and Arrow's 1 MiB: a text column whose
  // values repeat (titles, overviews of re-released or copied records) keeps
  // its dictionary, and the job compresses its few distinct values instead
  // of every copy (docs/PARQUET.md). Columns of distinct values still fall
  // back after their first page. The entry cap bounds the hash table an
  // input can make the writer build: 1 MiB of distinct short strings held
  // up to about 159,000 entries, now at most 65,536.
  std::size_t dictionary_max_bytes = 8u << 20;
  std::size_t dictionary_max_entries = 1u << 16;
  // min/max statistics of longer strings are truncated to this many bytes
  // (at a UTF-8 character boundary; max rounded up), flagged as inexact.
  std::size_t statistics_max_bytes = 256;
  // Threads that compress data pages beside the threads filling tables,
  // shared by all the tables of a sink (CompressionPool). 0 or 1: each
  // writer compresses its own pages. The files are the same either way.
  std::size_t compression_threads = 0;
  // Write a CRC32 of every page, so readers detect flipped bytes.
  bool page_checksums = true;
  KeyValueList key_value_metadata;
  std::string created_by = default_created_by();
};

}  // namespace marquee::parquet

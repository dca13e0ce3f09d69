#pragma once
// `marquee etl`: input -> csv -> validate -> model + rollups -> tables.
// Writes OUT/errors.jsonl, OUT/manifest.json and, when the run succeeds,
// OUT/tables/<table>.<format>. Tables are built in a staging directory and
// renamed into place only when every file is complete; a failed run leaves no
// tables (and removes those of an earlier run in OUT, so a failed manifest is
// never next to stale tables).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "csv/options.hpp"
#include "job/manifest.hpp"
#include "job/ratings_job.hpp"
#include "table/table_writer.hpp"

namespace marquee::job {

// Makes the table sink for a staging directory (CSV, Parquet, ...).
using SinkFactory = std::function<std::unique_ptr<table::TableSink>(const std::filesystem::path&)>;

inline constexpr std::size_t kDefaultRollupMemory = std::size_t{256} << 20;

struct EtlOptions {
  std::string input;               // file, directory or zip (see input/byte_source.hpp)
  std::filesystem::path out_dir;
  std::string format = "csv";      // recorded in the manifest
  std::string run_id;              // carried in the artifacts' metadata (empty for plain etl)
  SinkFactory make_sink;           // defaults to CSV when empty
  double max_reject_ratio = 0.01;  // rejected / records_read above this fails the run
  csv::ReaderOptions csv;
  // MovieLens ratings and links (job/ratings_job.hpp); none when empty.
  RatingsFiles ratings;
  // Validation threads beside the reader and the writer; 0 or 1 runs the
  // whole job on the calling thread. The output is the same, byte for byte,
  // whatever the number.
  std::size_t threads = 1;
  // About how much memory company_year and company_year_genre may hold
  // before their totals are spilled to an unnamed scratch file in out_dir
  // (rollup::Rollups::set_spill). The default keeps 100x in memory.
  std::size_t rollup_memory = kDefaultRollupMemory;
  // Called now and then with (bytes read, total bytes if known, 0 otherwise).
  std::function<void(std::uint64_t, std::uint64_t)> progress;
};

struct EtlResult {
  int exit_code = 0;  // 0 succeeded, 1 too many rejected rows
  Manifest manifest;
  std::size_t rollup_parts = 0;  // parts the company rollups spilled to disk (0: none)
};

// Throws marquee::InputError (exit code 2) for unusable input: missing path,
// bad archive, empty file, missing columns; nothing is written then.
EtlResult run_etl(const EtlOptions& options);

}  // namespace marquee::job

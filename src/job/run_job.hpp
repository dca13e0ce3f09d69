#pragma once
// `marquee run` and the other storage commands (load, publish, runs, migrate):
// the whole job from input to served snapshot. docs/STORAGE.md describes it.
//
// marquee run INPUT: under the job lock (store/lock.hpp), after removing stale
// staging directories:
//  1. transform INPUT (or, with `base`, the corrections on top of a base run;
//     job/corrections.hpp) into DATA_DIR/runs/.staging-<run_id>/ as Parquet;
//  2. seal its manifest (each file's size and sha256), fsync everything and
//     rename it to DATA_DIR/runs/<run_id>/;
//  3. verify the run directory and load it in one transaction;
//  4. publish it (one transaction), then retire runs beyond `keep`.
// A failure or a kill at any step leaves the published run, and everything a
// reader sees, as it was. A transform that fails its checks (too many
// rejected rows) is kept in DATA_DIR/failed/<run_id>/ (errors.jsonl,
// manifest.json) and nothing is loaded.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "csv/options.hpp"
#include "job/corrections.hpp"
#include "job/etl_job.hpp"
#include "job/ratings_job.hpp"
#include "job/manifest.hpp"
#include "job/telemetry.hpp"
#include "parquet/options.hpp"
#include "store/store.hpp"

namespace marquee::job {

struct StorageOptions {
  std::filesystem::path data_dir = "data";
  std::string db_url;  // empty: SQLite at DATA_DIR/marquee.db
  std::chrono::milliseconds lock_timeout{30000};
  // One line per step ("loaded ...", "published ..."); may be empty.
  std::function<void(const std::string&)> log;
  // StatsD metrics and lifecycle events (job/telemetry.hpp); may be null.
  JobTelemetry* telemetry = nullptr;
};

struct RunOptions {
  std::string input;  // movies_metadata.csv, a directory holding it, or the dataset's zip
  StorageOptions storage;
  double max_reject_ratio = 0.01;
  parquet::Compression compression = parquet::Compression::Zstd;
  std::size_t threads = 1;  // validation threads (EtlOptions::threads)
  std::size_t rollup_memory = kDefaultRollupMemory;  // EtlOptions::rollup_memory
  std::size_t max_record_bytes = csv::kDefaultMaxRecordBytes;
  std::size_t keep = 5;  // runs kept loaded (the published one is kept besides)
  bool publish = true;
  // Corrections: "published" or a run id; empty for a full input.
  std::string base;
  std::string delete_ids_file;  // corrections only; empty for none
  RatingsFiles ratings;  // full inputs only (not with base)
  std::function<void(std::uint64_t, std::uint64_t)> progress;
  // --archive s3://BUCKET/PREFIX: recorded in the manifest as archive.url
  // (PREFIX/RUN_ID/); the upload itself happens after publishing
  // (job/archive.hpp), so the served snapshot never waits on S3.
  std::string archive;
};

struct RunResult {
  int exit_code = 0;  // 0 succeeded; 1 the transform failed its checks
  std::string run_id;
  std::filesystem::path run_dir;  // runs/<id>, or failed/<id> when exit_code is 1
  Manifest manifest;
  std::optional<std::string> base_run_id;
  std::optional<CorrectionCounts> corrections;
  std::map<std::string, std::uint64_t> loaded_rows;
  std::optional<store::PublishedRun> published;
  std::vector<std::string> retired;
  std::vector<std::filesystem::path> removed_staging;
};

// Throws marquee::InputError (exit 2) for unusable input or arguments,
// store::LockTimeout (exit 1) when another job holds the lock too long, and
// store::DatabaseError for database failures.
RunResult run_job(const RunOptions& options);

struct LoadOptions {
  std::filesystem::path run_dir;
  StorageOptions storage;
  bool publish = false;
};

struct LoadResult {
  std::string run_id;
  std::filesystem::path run_dir;  // DATA_DIR/runs/<run_id>
  std::map<std::string, std::uint64_t> loaded_rows;
  std::optional<store::PublishedRun> published;
};

// `marquee load RUN_DIR`: verifies the directory against its manifest (sizes,
// sha256, row counts), copies it to DATA_DIR/runs/<run_id>/ unless it is
// there, and loads it. A run already loaded or published is refused
// (store::RunAlreadyLoaded); nothing is duplicated.
LoadResult load_run_dir(const LoadOptions& options);

// `marquee publish RUN_ID`: serves a loaded run (rollback or roll forward).
store::PublishedRun publish_run(const StorageOptions& options, const std::string& run_id);

struct RunsListing {
  std::vector<store::RunInfo> runs;  // newest first
  std::optional<store::PublishedRun> published;
};
RunsListing list_runs(const StorageOptions& options);

// `marquee migrate`: applies pending migrations.
store::MigrationReport migrate_database(const StorageOptions& options);

// The database URL that `options` names.
std::string database_url(const StorageOptions& options);

}  // namespace marquee::job

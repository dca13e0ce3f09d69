#pragma once
// Run directories: DATA_DIR/runs/<run_id>/ holds tables/*.parquet,
// errors.jsonl and manifest.json. A run directory is built as
// DATA_DIR/runs/.staging-<run_id>/ and renamed into place only when complete
// and fsynced; its manifest then lists every other file with size and sha256,
// which is what `marquee load` checks before trusting the directory.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "job/manifest.hpp"

namespace marquee::job {

// "20240501T120000Z-1a2b3c": creation time (UTC, sortable) and 6 random hex digits.
std::string new_run_id();

// Where things live in a data directory.
struct DataDir {
  std::filesystem::path root;

  std::filesystem::path runs() const { return root / "runs"; }
  std::filesystem::path run(const std::string& run_id) const { return runs() / run_id; }
  std::filesystem::path staging(const std::string& run_id) const { return runs() / (".staging-" + run_id); }
  // Failed transforms keep their errors.jsonl and manifest.json here.
  std::filesystem::path failed() const { return root / "failed"; }
  std::filesystem::path lock_file() const { return root / "marquee.lock"; }
  std::filesystem::path sqlite_db() const { return root / "marquee.db"; }
};

// Removes DATA_DIR/runs/.staging-* left by a killed job (call it holding the
// job lock: no other job can be writing one then). Returns what it removed.
std::vector<std::filesystem::path> remove_stale_staging(const DataDir& data);

// Writes `dir`/manifest.json: `manifest` with, in front, "run_id" and
// "created_at", then `extra`'s keys, then "files": {path: {size, sha256}}
// for every file under `dir` except the manifest itself.
void seal_manifest(const std::filesystem::path& dir, const Manifest& manifest,
                   const std::string& run_id, const std::string& created_at,
                   const boost::json::object& extra = {});

// fsyncs every file and directory under `staging`, renames it to `target` and
// fsyncs the parent: after this returns the run directory is durable and
// complete, or absent.
void commit_directory(const std::filesystem::path& staging, const std::filesystem::path& target);

struct VerifiedRun {
  std::filesystem::path dir;
  std::string run_id;
  std::string created_at;
  std::string manifest;                              // manifest.json text
  std::map<std::string, std::filesystem::path> table_files;  // table -> file
  std::map<std::string, std::uint64_t> table_rows;   // table -> rows (manifest)
  std::string input_sha256;
};

// Reads `dir`/manifest.json and checks it before anything is loaded: status
// succeeded, a valid run id, every listed file present with its size and
// sha256, and a file for every snapshot table. Throws InputError naming the
// directory and the first file that fails.
VerifiedRun verify_run_dir(const std::filesystem::path& dir);

}  // namespace marquee::job

#pragma once
// Each group of subcommands lives in a file of its own and registers itself
// here: it adds its CLI11 subcommands and says what to run when one is chosen.
// main() only parses, dispatches and maps errors to exit codes.
#include <cstddef>
#include <functional>
#include <utility>
#include <vector>

#include <filesystem>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/environment.hpp"
#include "job/run_job.hpp"

namespace marquee::cli {

using Runner = std::function<int()>;  // returns the process exit code

class Commands {
 public:
  void add(CLI::App* subcommand, Runner run) { list_.emplace_back(subcommand, std::move(run)); }
  const std::vector<std::pair<CLI::App*, Runner>>& list() const { return list_; }

 private:
  std::vector<std::pair<CLI::App*, Runner>> list_;
};

// --max-record-bytes on the commands that read CSV (etl, run).
inline void add_max_record_bytes_option(CLI::App* cmd, std::size_t& value) {
  cmd->add_option("--max-record-bytes", value,
                  "Largest CSV record accepted, in bytes; a larger one is rejected whole (record_too_large)")
      ->check(CLI::Range(std::size_t{1024}, std::size_t{1} << 30))
      ->capture_default_str();
}

// --rollup-memory (MARQUEE_ROLLUP_MEMORY) on the commands that transform
// (etl, run): MiB that company_year and company_year_genre may hold before
// they spill to a scratch file. 0 spills after every batch (tests use it).
inline void add_rollup_memory_option(CLI::App* cmd, std::size_t& mib) {
  auto* option = cmd->add_option("--rollup-memory", mib,
                                 "MiB the company rollups may hold in memory before spilling sorted parts to an "
                                 "unnamed scratch file beside the output (docs/DATA_MODEL.md)")
                     ->check(CLI::Range(std::size_t{0}, std::size_t{1} << 20))
                     ->capture_default_str();
  environment_option(cmd, option, "MARQUEE_ROLLUP_MEMORY");
}

// --ratings and --links on the commands that transform (etl, run).
inline void add_ratings_options(CLI::App* cmd, std::string& ratings, std::string& links) {
  auto* r = cmd->add_option("--ratings", ratings,
                            "MovieLens ratings.csv or ratings_small.csv: adds movie_rating (needs --links)");
  auto* l = cmd->add_option("--links", links, "MovieLens links.csv (movieId,imdbId,tmdbId): adds link (needs --ratings)");
  r->needs(l);
  l->needs(r);
}

void add_etl_commands(CLI::App& app, Commands& commands);       // etl, generate
void add_storage_commands(CLI::App& app, Commands& commands);   // run, load, migrate, runs, publish
void add_api_commands(CLI::App& app, Commands& commands);       // serve, token
void add_s3_commands(CLI::App& app, Commands& commands);        // archive (s3_commands.cpp)

// S3 (s3_commands.cpp): uploads a published run (`marquee run --archive`);
// on failure says how to finish it and returns the exit code. And `marquee
// load s3://...`: downloads the archived run, loads it, removes the download.
int archive_after_run(const std::string& run_id, const std::filesystem::path& run_dir, const std::string& to);
job::LoadResult load_from_s3(const std::string& url, const job::StorageOptions& storage, bool publish);
void add_events_command(CLI::App& app, Commands& commands);     // events
void add_diff_command(CLI::App& app, Commands& commands);       // diff
void add_split_command(CLI::App& app, Commands& commands);      // split (called by add_etl_commands)

}  // namespace marquee::cli

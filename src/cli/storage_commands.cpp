// `marquee run`, `load`, `publish`, `runs` and `migrate`: the job with
// storage and publishing (job/run_job.hpp; docs/STORAGE.md).
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <thread>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "cli/commands.hpp"

#include "obs/log.hpp"
#include "cli/obs_options.hpp"
#include "cli/publish_announce.hpp"
#include "csv/options.hpp"
#include "common/error.hpp"
#include "job/archive.hpp"
#include "job/run_job.hpp"
#include "objstore/s3_config.hpp"
#include "parquet/options.hpp"
#include "store/lock.hpp"

namespace marquee::cli {
namespace {

struct StorageArgs {
  std::string data_dir = "data";
  std::string db;
  std::string lock_timeout = "30s";
  std::string redis;  // announce publishes to standby replicas (cli/publish_announce.hpp)
};

void add_storage_options(CLI::App* cmd, StorageArgs& args, bool with_lock = true) {
  cmd->add_option("--data-dir", args.data_dir,
                  "Data directory: runs/, failed/, the lock file and (by default) marquee.db")
      ->capture_default_str();
  cmd->add_option("--db", args.db,
                  "Database: postgresql://USER@HOST:PORT/DB, or sqlite:PATH (default: SQLite at DATA_DIR/marquee.db)");
  if (with_lock) {
    cmd->add_option("--lock-timeout", args.lock_timeout,
                    "How long to wait for another job's lock (e.g. 30s, 500ms, 2m)")
        ->capture_default_str();
  }
}

// For the commands that publish.
void add_announce_option(CLI::App* cmd, StorageArgs& args) {
  cmd->add_option("--redis", args.redis,
                  "After a publish on PostgreSQL, announce it to replicas on standbys: redis://host:port "
                  "(default: MARQUEE_PUBLISH_REDIS)");
}

// The progress line (stderr, terminals only) is ended before any other output.
bool progress_line_open = false;
void end_progress_line() {
  if (progress_line_open) std::fputs("\n", stderr);
  progress_line_open = false;
}

// Step lines go to stdout, except for commands whose stdout is their answer.
job::StorageOptions storage_options(const StorageArgs& args, bool log_to_stdout = true) {
  job::StorageOptions options;
  options.data_dir = args.data_dir;
  options.db_url = args.db;
  options.lock_timeout = store::parse_duration(args.lock_timeout, "--lock-timeout");
  // With --log-format json, step lines are log records on stderr like the rest.
  options.log = [log_to_stdout](const std::string& line) {
    end_progress_line();
    if (obs::log_format() == obs::LogFormat::Json) return obs::log("info", line);
    (log_to_stdout ? std::cout : std::cerr) << line << std::endl;
  };
  return options;
}

void show_progress(std::uint64_t done, std::uint64_t total) {
  progress_line_open = true;
  if (total == 0) {
    std::fprintf(stderr, "\r%.1f MB read", static_cast<double>(done) / 1e6);
  } else {
    std::fprintf(stderr, "\r%3.0f%% read", 100.0 * static_cast<double>(done) / static_cast<double>(total));
  }
  std::fflush(stderr);
}

struct RunArgs {
  std::string input;
  StorageArgs storage;
  double max_reject_ratio = 0.01;
  std::string compression = "zstd";
  std::size_t threads = std::max(1u, std::thread::hardware_concurrency());
  std::size_t max_record_bytes = csv::kDefaultMaxRecordBytes;
  std::size_t rollup_memory_mib = job::kDefaultRollupMemory >> 20;
  std::size_t keep = 5;
  bool no_publish = false;
  std::string base;
  std::string delete_ids;
  std::string archive;
  std::string ratings, links;
};

void add_run(CLI::App& app, RunArgs& args) {
  auto* cmd = app.add_subcommand(
      "run", "Transform INPUT into a new run (Parquet), load it into the database and publish it");
  cmd->add_option("input", args.input,
                  "movies_metadata.csv, a directory holding it, or the dataset's zip; with --base, a "
                  "corrections file in the same format")
      ->required();
  add_storage_options(cmd, args.storage);
  add_announce_option(cmd, args.storage);
  cmd->add_option("--keep", args.keep, "Runs kept loaded; older ones are retired (never the published one)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100000}))
      ->capture_default_str();
  cmd->add_option("--max-reject-ratio", args.max_reject_ratio,
                  "Fail (exit 1, nothing loaded) when rejected rows exceed this share of records")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cmd->add_option("--compression", args.compression, "Parquet compression: zstd, snappy or none")
      ->capture_default_str();
  cmd->add_option("--threads", args.threads,
                  "Validation threads (1: all on one thread); the output is the same whatever the number")
      ->check(CLI::Range(std::size_t{1}, std::size_t{256}))
      ->capture_default_str();
  add_max_record_bytes_option(cmd, args.max_record_bytes);
  add_rollup_memory_option(cmd, args.rollup_memory_mib);
  cmd->add_flag("--no-publish", args.no_publish, "Load the run but keep serving the published one");
  cmd->add_option("--base", args.base,
                  "Apply INPUT as corrections on top of this run: 'published' or a run id");
  cmd->add_option("--delete-ids", args.delete_ids,
                  "With --base: a file of movie ids to remove, one per line");
  environment_option(cmd,
                     cmd->add_option("--archive", args.archive,
                                     "After publishing, upload the run to s3://BUCKET/PREFIX/RUN_ID/ (docs/S3.md)"),
                     "MARQUEE_ARCHIVE");
  add_ratings_options(cmd, args.ratings, args.links);
  cmd->get_option("--ratings")->excludes("--base");
}

std::string counts_line(const job::Manifest& m) {
  const job::Counts& c = m.counts;
  return fmt::format("{} records, {} movies kept, {} rejected, {} repaired, {} duplicates, {} warnings",
                     c.records_read, c.movies_kept, c.rejected, c.repaired, c.duplicates, c.warnings);
}

int run_run(const RunArgs& args) {
  job::RunOptions options;
  options.input = args.input;
  options.storage = storage_options(args.storage);
  options.max_reject_ratio = args.max_reject_ratio;
  options.compression = parquet::parse_compression(args.compression);
  options.threads = args.threads;
  options.rollup_memory = args.rollup_memory_mib << 20;
  options.max_record_bytes = args.max_record_bytes;
  options.ratings = {args.ratings, args.links};
  options.keep = args.keep;
  options.publish = !args.no_publish;
  options.base = args.base;
  options.delete_ids_file = args.delete_ids;
  options.archive = args.archive;
  if (::isatty(STDERR_FILENO)) options.progress = show_progress;
  Observability o = make_observability("run", std::filesystem::path(args.storage.data_dir) / "events.jsonl");
  options.storage.telemetry = o.telemetry.get();
  const job::RunResult result = job::run_job(options);
  end_progress_line();
  if (result.exit_code != 0) {
    std::cout << fmt::format("FAILED: {}\n", counts_line(result.manifest));
    obs::log("error", fmt::format("{}; nothing was loaded, errors and manifest kept in {}", result.manifest.failure,
                                  result.run_dir.string()),
             {}, "run");
    return result.exit_code;
  }
  std::cout << fmt::format("run {} {}\n", result.run_id, result.published ? "published" : "loaded (not published)");
  // Announced before archiving: the run is served whatever the archive does.
  if (result.published) announce_publish(announce_redis_url(args.storage.redis), options.storage.db_url, result.run_id);
  if (!args.archive.empty()) return archive_after_run(result.run_id, result.run_dir, args.archive);
  return 0;
}

struct LoadArgs {
  std::string run_dir;
  StorageArgs storage;
  bool publish = false;
};

void add_load(CLI::App& app, LoadArgs& args) {
  auto* cmd = app.add_subcommand(
      "load", "Load an existing run directory (checked against its manifest) into the database");
  cmd->add_option("run_dir", args.run_dir,
                  "A run directory written by `marquee run`, or an archived run: s3://BUCKET/PREFIX/RUN_ID")
      ->required();
  add_storage_options(cmd, args.storage);
  add_announce_option(cmd, args.storage);
  cmd->add_flag("--publish", args.publish, "Also publish the run once loaded");
}

int run_load(const LoadArgs& args) {
  job::LoadOptions options;
  options.run_dir = args.run_dir;
  options.storage = storage_options(args.storage);
  options.publish = args.publish;
  Observability o = make_observability("load", std::filesystem::path(args.storage.data_dir) / "events.jsonl");
  options.storage.telemetry = o.telemetry.get();
  const job::LoadResult result = objstore::is_s3_url(args.run_dir)
                                     ? load_from_s3(args.run_dir, options.storage, args.publish)
                                     : job::load_run_dir(options);
  std::cout << fmt::format("run {} {}\n", result.run_id, result.published ? "loaded and published" : "loaded");
  if (result.published) announce_publish(announce_redis_url(args.storage.redis), options.storage.db_url, result.run_id);
  return 0;
}

struct PublishArgs {
  std::string run_id;
  StorageArgs storage;
};

int run_publish(const PublishArgs& args) {
  job::StorageOptions options = storage_options(args.storage);
  Observability o = make_observability("publish", std::filesystem::path(args.storage.data_dir) / "events.jsonl");
  options.telemetry = o.telemetry.get();
  const store::PublishedRun p = job::publish_run(options, args.run_id);
  std::cout << fmt::format("published run {} (generation {})\n", p.run_id, p.generation);
  announce_publish(announce_redis_url(args.storage.redis), args.storage.db, p.run_id);
  return 0;
}

struct RunsArgs {
  StorageArgs storage;
  bool json = false;
};

std::uint64_t total(const std::map<std::string, std::uint64_t>& rows) {
  std::uint64_t n = 0;
  for (const auto& [table, count] : rows) n += count;
  return n;
}

std::uint64_t movies(const store::RunInfo& run) {
  const auto it = run.table_rows.find("movie");
  return it == run.table_rows.end() ? 0 : it->second;
}

int run_runs(const RunsArgs& args) {
  const job::RunsListing listing = job::list_runs(storage_options(args.storage, false));
  if (args.json) {
    boost::json::array runs;
    for (const store::RunInfo& r : listing.runs) {
      boost::json::object o;
      o["run_id"] = r.run_id;
      o["status"] = r.status;
      o["published"] = r.published();
      o["created_at"] = r.created_at;
      o["loaded_at"] = r.loaded_at ? boost::json::value(*r.loaded_at) : nullptr;
      o["published_at"] = r.published_at ? boost::json::value(*r.published_at) : nullptr;
      o["retired_at"] = r.retired_at ? boost::json::value(*r.retired_at) : nullptr;
      o["movies"] = movies(r);
      o["rows"] = total(r.table_rows);
      boost::json::object tables;
      for (const auto& [table, n] : r.table_rows) tables[table] = n;
      o["tables"] = std::move(tables);
      runs.push_back(std::move(o));
    }
    boost::json::object root;
    if (listing.published) {
      root["published"] = {{"run_id", listing.published->run_id},
                           {"published_at", listing.published->published_at},
                           {"generation", listing.published->generation}};
    } else {
      root["published"] = nullptr;
    }
    root["runs"] = std::move(runs);
    std::cout << boost::json::serialize(root) << "\n";
    return 0;
  }
  if (listing.runs.empty()) {
    std::cout << "no runs yet\n";
    return 0;
  }
  std::cout << fmt::format("  {:<24} {:<9} {:<24} {:>9} {:>10}\n", "RUN", "STATUS", "CREATED", "MOVIES", "ROWS");
  for (const store::RunInfo& r : listing.runs) {
    std::cout << fmt::format("{} {:<24} {:<9} {:<24} {:>9} {:>10}\n", r.published() ? '*' : ' ', r.run_id,
                             r.status, r.created_at, movies(r), total(r.table_rows));
  }
  if (listing.published) {
    std::cout << fmt::format("* published: {} (generation {}, since {})\n", listing.published->run_id,
                             listing.published->generation, listing.published->published_at);
  }
  return 0;
}

int run_migrate(const StorageArgs& args) {
  const store::MigrationReport report = job::migrate_database(storage_options(args));
  for (const auto& name : report.applied) std::cout << "applied " << name << "\n";
  std::cout << fmt::format("schema at version {}{}\n", report.version, report.applied.empty() ? " (up to date)" : "");
  return 0;
}

}  // namespace

void add_storage_commands(CLI::App& app, Commands& commands) {
  auto run = std::make_shared<RunArgs>();
  add_run(app, *run);
  commands.add(app.get_subcommand("run"), [run] { return run_run(*run); });

  auto load = std::make_shared<LoadArgs>();
  add_load(app, *load);
  commands.add(app.get_subcommand("load"), [load] { return run_load(*load); });

  auto publish = std::make_shared<PublishArgs>();
  auto* publish_cmd = app.add_subcommand("publish", "Serve another loaded run (rollback or roll forward)");
  publish_cmd->add_option("run_id", publish->run_id, "A run listed by `marquee runs`")->required();
  add_storage_options(publish_cmd, publish->storage);
  add_announce_option(publish_cmd, publish->storage);
  commands.add(publish_cmd, [publish] { return run_publish(*publish); });

  auto runs = std::make_shared<RunsArgs>();
  auto* runs_cmd = app.add_subcommand("runs", "List runs: id, status, counts; * marks the published one");
  add_storage_options(runs_cmd, runs->storage, false);
  runs_cmd->add_flag("--json", runs->json, "Machine-readable output");
  commands.add(runs_cmd, [runs] { return run_runs(*runs); });

  auto migrate = std::make_shared<StorageArgs>();
  auto* migrate_cmd = app.add_subcommand("migrate", "Apply pending database migrations");
  add_storage_options(migrate_cmd, *migrate);
  commands.add(migrate_cmd, [migrate] { return run_migrate(*migrate); });
}

}  // namespace marquee::cli

#include "job/run_job.hpp"

#include <algorithm>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "common/atomic_file.hpp"
#include "common/path_guard.hpp"
#include "common/error.hpp"
#include "diff/run_diff.hpp"
#include "input/byte_source.hpp"
#include "job/archive.hpp"
#include "objstore/s3_config.hpp"
#include "job/error_log.hpp"
#include "job/etl_job.hpp"
#include "job/retention.hpp"
#include "job/run_dir.hpp"
#include "job/storage_session.hpp"
#include "job/test_hooks.hpp"
#include "parquet/reader.hpp"
#include "parquet/writer.hpp"
#include "store/lock.hpp"
#include "table/memory_sink.hpp"

namespace marquee::job {
namespace fs = std::filesystem;
namespace bj = boost::json;
namespace {

// Removes a staging directory unless it was committed: a failed job leaves
// nothing (a killed one leaves it to the next job's stale-staging cleanup).
class StagingGuard : public PathGuard {
 public:
  explicit StagingGuard(const fs::path& path) : PathGuard(path) { fs::create_directories(path); }
};

// The `parquet` test pause: after the first table file is complete.
class PausingSink : public table::TableSink {
 public:
  explicit PausingSink(std::unique_ptr<table::TableSink> inner) : inner_(std::move(inner)) {}
  std::unique_ptr<table::TableWriter> open(const table::Schema& schema) override {
    return std::make_unique<Writer>(inner_->open(schema), *this);
  }
  std::string extension() const override { return inner_->extension(); }
  void set_file_metadata(const table::FileMetadata& metadata) override { inner_->set_file_metadata(metadata); }

 private:
  class Writer : public table::TableWriter {
   public:
    Writer(std::unique_ptr<table::TableWriter> inner, PausingSink& sink) : inner_(std::move(inner)), sink_(sink) {}
    void write_row(std::span<const table::Cell> row) override { inner_->write_row(row); }
    void finish() override {
      inner_->finish();
      if (!sink_.paused_) {
        sink_.paused_ = true;
        pause_point("parquet");
      }
    }
    std::uint64_t rows_written() const override { return inner_->rows_written(); }
    const table::Schema& schema() const override { return inner_->schema(); }

   private:
    std::unique_ptr<table::TableWriter> inner_;
    PausingSink& sink_;
  };
  std::unique_ptr<table::TableSink> inner_;
  bool paused_ = false;
};

// Lends a sink that the caller keeps (run_etl owns the one it is given).
class SharedSink : public table::TableSink {
 public:
  explicit SharedSink(std::shared_ptr<table::TableSink> inner) : inner_(std::move(inner)) {}
  std::unique_ptr<table::TableWriter> open(const table::Schema& schema) override { return inner_->open(schema); }
  std::string extension() const override { return inner_->extension(); }
  void set_file_metadata(const table::FileMetadata& metadata) override { inner_->set_file_metadata(metadata); }

 private:
  std::shared_ptr<table::TableSink> inner_;
};

// The artifacts' metadata (run id, input sha256) is set on the sink once the
// input has been read (TableSink::set_file_metadata).
std::unique_ptr<table::TableSink> parquet_sink(const fs::path& dir, parquet::Compression compression,
                                               std::size_t threads) {
  parquet::WriterOptions writer;
  writer.compression = compression;
  writer.compression_threads = threads;
  return std::make_unique<PausingSink>(std::make_unique<parquet::ParquetTableSink>(dir, writer));
}

EtlOptions etl_options(const RunOptions& options, const fs::path& out_dir, const std::string& run_id) {
  EtlOptions etl;
  etl.input = options.input;
  etl.out_dir = out_dir;
  etl.format = "parquet";
  etl.max_reject_ratio = options.max_reject_ratio;
  etl.run_id = run_id;
  etl.threads = options.threads;
  etl.rollup_memory = options.rollup_memory;
  etl.csv.max_record_bytes = options.max_record_bytes;
  etl.progress = [progress = options.progress, paused = false](std::uint64_t done, std::uint64_t total) mutable {
    if (!paused) {
      paused = true;
      pause_point("transform");
    }
    if (progress) progress(done, total);
  };
  return etl;
}

TableScanner parquet_scanner(const std::map<std::string, fs::path>& files) {
  return [&files](const std::string& table, const RowVisitor& visit) {
    parquet::ParquetReader reader(files.at(table));
    const table::Schema& schema = reader.schema();
    reader.for_each_row([&](std::span<const table::Cell> row) { visit(schema, row); });
  };
}

TableScanner memory_scanner(const table::MemoryTableSink& sink) {
  return [&sink](const std::string& name, const RowVisitor& visit) {
    const table::MemoryTable& t = sink.table(name);
    for (const table::OwnedRow& row : t.rows) visit(t.schema, table::borrow_row(row));
  };
}

// Collects the merge's diagnostics, to append them to errors.jsonl.
class CollectingSink : public model::DiagnosticSink {
 public:
  void report(model::Diagnostic d) override { diagnostics.push_back(std::move(d)); }
  std::vector<model::Diagnostic> diagnostics;
};

void append_diagnostics(const fs::path& errors_file, const std::vector<model::Diagnostic>& diagnostics,
                        Manifest& manifest) {
  if (diagnostics.empty()) return;
  std::ifstream in(errors_file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  std::string out = text.str();
  for (const model::Diagnostic& d : diagnostics) {
    append_jsonl(out, d);
    ++manifest.diagnostics[fmt::format("{}/{}", model::to_string(d.severity), model::to_string(d.reason))];
    if (d.severity == model::Severity::Warning) ++manifest.counts.warnings;
  }
  AtomicFile file(errors_file);
  file.write(out);
  file.commit();
}

struct Transformed {
  Manifest manifest;
  bj::object extra;  // manifest keys beyond job::Manifest's
  int exit_code = 0;
};

Transformed transform_full(const RunOptions& options, const fs::path& staging, const std::string& run_id) {
  EtlOptions etl = etl_options(options, staging, run_id);
  etl.make_sink = [&](const fs::path& dir) { return parquet_sink(dir, options.compression, options.threads); };
  etl.ratings = options.ratings;
  EtlResult result = run_etl(etl);
  if (result.rollup_parts > 0) {
    say(options.storage, fmt::format("rollups: company totals spilled to disk in {} parts (--rollup-memory {} MiB)",
                                     result.rollup_parts, options.rollup_memory >> 20));
  }
  return {std::move(result.manifest), {}, result.exit_code};
}

struct BaseRun {
  std::string run_id;
  VerifiedRun verified;
};

BaseRun resolve_base(StorageSession& session, const std::string& base) {
  std::string run_id = base;
  if (base == "published") {
    const auto published = session.store().published();
    if (!published) throw InputError("--base published: no run is published yet in " + session.store().db().target());
    run_id = published->run_id;
  }
  const fs::path dir = session.data().run(run_id);
  if (!store::valid_run_id(run_id) || !fs::is_directory(dir)) {
    throw InputError(fmt::format("--base {}: no run directory {} (runs retired by --keep lose theirs; "
                                 "`marquee load` an archived copy first)", base, dir.string()));
  }
  return {run_id, verify_run_dir(dir)};
}

Transformed transform_corrections(const RunOptions& options, StorageSession& session, const fs::path& staging,
                                  const std::string& run_id, RunResult& result) {
  const BaseRun base = resolve_base(session, options.base);
  const auto delete_ids = options.delete_ids_file.empty() ? std::unordered_set<std::int64_t>{}
                                                          : read_delete_ids(options.delete_ids_file);
  // Phase 1: validate the corrections file like any input (errors.jsonl, the
  // manifest's counts), keeping its tables in memory.
  auto memory = std::make_shared<table::MemoryTableSink>();
  EtlOptions etl = etl_options(options, staging, run_id);
  etl.make_sink = [memory](const fs::path&) { return std::make_unique<SharedSink>(memory); };
  EtlResult checked = run_etl(etl);
  Transformed out{std::move(checked.manifest), {}, checked.exit_code};
  if (out.exit_code != 0) return out;
  // Phase 2: base + corrections through the model and rollups, as Parquet.
  auto sink = parquet_sink(staging / "tables", options.compression, options.threads);
  sink->set_file_metadata(table::marquee_file_metadata(run_id, out.manifest.input_sha256));
  CollectingSink merge_diagnostics;
  const MergeResult merged = merge_corrections(parquet_scanner(base.verified.table_files), memory_scanner(*memory),
                                               delete_ids, *sink, merge_diagnostics);
  append_diagnostics(staging / "errors.jsonl", merge_diagnostics.diagnostics, out.manifest);
  out.manifest.tables.clear();
  for (const auto& [name, rows] : merged.table_rows) {
    out.manifest.tables.push_back({name, "tables/" + name + ".parquet", rows});
  }
  const CorrectionCounts& c = merged.counts;
  out.extra["corrections"] = {{"base_run_id", base.run_id},
                              {"base_movies", c.base_movies},
                              {"corrected_movies", c.corrections},
                              {"replaced", c.replaced},
                              {"added", c.added},
                              {"deleted", c.deleted},
                              {"delete_ids", delete_ids.size()},
                              {"delete_ids_not_found", c.delete_ids_not_found},
                              {"movies", c.movies}};
  result.base_run_id = base.run_id;
  result.corrections = c;
  return out;
}

bool same_schema(const table::Schema& a, const table::Schema& b) {
  if (a.columns.size() != b.columns.size()) return false;
  for (std::size_t i = 0; i < a.columns.size(); ++i) {
    if (a.columns[i].name != b.columns[i].name || a.columns[i].type != b.columns[i].type) return false;
  }
  return true;
}

// Loads a verified run directory through the Parquet reader, checking every
// table's schema and row count against the model and the manifest.
std::map<std::string, std::uint64_t> load_verified(store::Store& store, const VerifiedRun& run) {
  std::vector<store::TableData> tables;
  std::size_t index = 0;
  std::vector<const table::Schema*> schemas = store::snapshot_tables();
  for (const table::Schema* schema : store::ratings_tables()) {
    if (run.table_files.contains(schema->name)) schemas.push_back(schema);
  }
  for (const table::Schema* schema : schemas) {
    const fs::path file = run.table_files.at(schema->name);
    const std::uint64_t expected = run.table_rows.at(schema->name);
    tables.push_back({schema, [schema, file, expected, first = index++ == 0](table::TableWriter& writer) {
                        if (!first) pause_point("load");
                        parquet::ParquetReader reader(file);
                        if (!same_schema(reader.schema(), *schema)) {
                          throw InputError(fmt::format("{}: columns differ from table {} of this Marquee",
                                                       file.string(), schema->name));
                        }
                        reader.copy_to(writer);
                        if (writer.rows_written() != expected) {
                          throw InputError(fmt::format("{}: {} rows, its manifest says {}", file.string(),
                                                       writer.rows_written(), expected));
                        }
                      }});
    // Balances loads over threads: a row costs about as much to load as 64
    // bytes of Parquet (movie's long texts against the bridges' many short
    // rows, measured at 100x real-shaped). An unreadable size counts as 0.
    std::error_code ignored;
    const auto size = fs::file_size(file, ignored);
    tables.back().cost = expected + (ignored ? 0 : size / 64);
  }
  return store.load_run({run.run_id, run.created_at, run.manifest}, tables);
}

std::uint64_t total_rows(const std::map<std::string, std::uint64_t>& rows) {
  std::uint64_t n = 0;
  for (const auto& [table, count] : rows) n += count;
  return n;
}

// The manifest's "diff": counts of what this run changes against the run
// published now (docs/DIFF.md), read from both runs' Parquet before the
// manifest is sealed. No published run, or its directory retired: no diff.
// A diff that fails only costs the diff (a warning), never the run.
void add_diff_against_published(StorageSession& session, const fs::path& staging, bj::object& extra) {
  try {
    const auto published = session.store().published();
    if (!published) return;
    const fs::path dir = session.data().run(published->run_id);
    if (!fs::is_directory(dir)) return;
    extra["diff"] = diff::summary_json(diff::diff_runs(dir, staging));
  } catch (const std::exception& e) {
    say(session.options(), std::string("warning: no diff against the published run: ") + e.what());
  }
}

// Loads a committed run directory into the store and, when asked,
// publishes it: the end of both `marquee run` and `marquee load`.
template <class Result>
void load_and_publish(StorageSession& session, const StorageOptions& storage, bool publish, Result& result) {
  const VerifiedRun verified = verify_run_dir(result.run_dir);
  auto started = std::chrono::steady_clock::now();
  result.loaded_rows = load_verified(session.store(), verified);
  say(storage, fmt::format("loaded run {} into {} ({} tables, {} rows)", result.run_id,
                           session.store().db().target(), result.loaded_rows.size(),
                           total_rows(result.loaded_rows)));
  if (storage.telemetry) storage.telemetry->loaded(result.run_id, result.loaded_rows, ms_since(started));
  if (publish) {
    pause_point("publish");
    started = std::chrono::steady_clock::now();
    const auto previous = session.store().published();
    result.published = session.store().publish(result.run_id);
    say(storage, fmt::format("published run {} (generation {})", result.run_id, result.published->generation));
    if (storage.telemetry) {
      storage.telemetry->published(result.run_id, previous ? std::optional(previous->run_id) : std::nullopt,
                                   result.published->generation, result.loaded_rows["movie"], ms_since(started));
    }
  }
}

}  // namespace

std::string database_url(const StorageOptions& options) {
  if (!options.db_url.empty()) return options.db_url;
  return "sqlite:" + (options.data_dir / "marquee.db").string();
}

namespace {
RunResult run_job_steps(const RunOptions& options, RunResult& result);
}  // namespace

// Every failure, whatever throws, ends the job's telemetry as failed.
RunResult run_job(const RunOptions& options) {
  RunResult result;
  try {
    return run_job_steps(options, result);
  } catch (const std::exception& e) {
    if (options.storage.telemetry) options.storage.telemetry->finished(result.run_id, false, e.what());
    throw;
  }
}

namespace {

RunResult run_job_steps(const RunOptions& options, RunResult& result) {
  if (options.base.empty() && !options.delete_ids_file.empty()) {
    throw InputError("--delete-ids applies to corrections: give --base too");
  }
  if (!options.archive.empty()) {  // a bad --archive fails before any work
    objstore::parse_s3_url(options.archive);
    objstore::S3Config::from_env(options.archive);
  }
  input::open_input(options.input);  // a missing input fails before the data directory is touched
  StorageSession session(options.storage, "marquee run " + options.input, true);
  JobTelemetry* telemetry = options.storage.telemetry;
  result.removed_staging = remove_stale_staging(session.data());
  for (const auto& path : result.removed_staging) {
    say(options.storage, "removed stale staging directory " + path.string());
  }
  result.run_id = new_run_id();
  if (telemetry) telemetry->started(result.run_id, options.input);
  const std::string created_at = store::utc_now();
  const fs::path staging = session.data().staging(result.run_id);
  StagingGuard guard(staging);

  Transformed t = options.base.empty() ? transform_full(options, staging, result.run_id)
                                       : transform_corrections(options, session, staging, result.run_id, result);
  result.manifest = t.manifest;
  const Counts& c = t.manifest.counts;
  say(options.storage, fmt::format("transform: {} records, {} movies kept, {} rejected, {} repaired, "
                                   "{} duplicates, {} warnings",
                                   c.records_read, c.movies_kept, c.rejected, c.repaired, c.duplicates, c.warnings));
  if (result.corrections) {
    const CorrectionCounts& k = *result.corrections;
    say(options.storage, fmt::format("corrections on run {}: {} base movies, {} replaced, {} added, {} deleted "
                                     "({} delete ids not found) -> {} movies",
                                     *result.base_run_id, k.base_movies, k.replaced, k.added, k.deleted,
                                     k.delete_ids_not_found, k.movies));
  }
  if (!options.archive.empty() && t.exit_code == 0) {
    t.extra["archive"] = {{"url", archive_url(options.archive, result.run_id)}};
  }
  if (t.exit_code == 0) add_diff_against_published(session, staging, t.extra);
  seal_manifest(staging, t.manifest, result.run_id, created_at, t.extra);
  if (telemetry) telemetry->transformed(result.run_id, t.manifest);
  if (t.exit_code != 0) {
    if (telemetry) telemetry->finished(result.run_id, false, t.manifest.failure);
    fs::create_directories(session.data().failed());
    result.run_dir = session.data().failed() / result.run_id;
    commit_directory(staging, result.run_dir);
    guard.release();
    prune_failed(session.data(), options.keep);
    result.exit_code = t.exit_code;
    return result;
  }
  result.run_dir = session.data().run(result.run_id);
  commit_directory(staging, result.run_dir);
  guard.release();
  say(options.storage, fmt::format("run {} written to {}", result.run_id, result.run_dir.string()));
  try {
    load_and_publish(session, options.storage, options.publish, result);
  } catch (const std::exception& e) {
    demote_unloaded_run(session, result.run_id, e.what());
    throw;
  }
  result.retired = apply_retention(session, options.keep, result.run_id);
  for (const auto& id : result.retired) say(options.storage, "retired run " + id);
  if (telemetry) {
    telemetry->retired(result.retired);
    telemetry->finished(result.run_id, true);
  }
  return result;
}

}  // namespace


namespace {
LoadResult load_run_dir_steps(const LoadOptions& options, std::string& run_id);
}  // namespace

LoadResult load_run_dir(const LoadOptions& options) {
  JobTelemetry* telemetry = options.storage.telemetry;
  std::string run_id;
  try {
    LoadResult result = load_run_dir_steps(options, run_id);
    if (telemetry) telemetry->finished(run_id, true);
    return result;
  } catch (const std::exception& e) {
    if (telemetry) telemetry->finished(run_id, false, e.what());
    throw;
  }
}

namespace {

LoadResult load_run_dir_steps(const LoadOptions& options, std::string& run_id) {
  VerifiedRun source = verify_run_dir(options.run_dir);
  run_id = source.run_id;
  if (options.storage.telemetry) options.storage.telemetry->started(run_id, options.run_dir.string());
  StorageSession session(options.storage, "marquee load " + options.run_dir.string(), true);
  if (const auto existing = session.store().run(source.run_id); existing && existing->status != "retired") {
    throw store::RunAlreadyLoaded(fmt::format("run {} is already loaded (status {}) in {}; nothing was changed",
                                              source.run_id, existing->status, session.store().db().target()));
  }
  LoadResult result;
  result.run_id = source.run_id;
  result.run_dir = session.data().run(source.run_id);
  std::error_code error;
  const bool in_place = fs::equivalent(options.run_dir, result.run_dir, error);
  if (!in_place) {
    if (fs::exists(result.run_dir)) {
      const VerifiedRun there = verify_run_dir(result.run_dir);
      if (there.manifest != source.manifest) {
        throw InputError(fmt::format("{} already holds a different run directory for run {}; not overwritten",
                                     result.run_dir.string(), source.run_id));
      }
    } else {
      remove_stale_staging(session.data());
      const fs::path staging = session.data().staging(source.run_id);
      StagingGuard guard(staging);
      fs::copy(options.run_dir, staging, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
      commit_directory(staging, result.run_dir);
      guard.release();
      say(options.storage, fmt::format("copied {} to {}", options.run_dir.string(), result.run_dir.string()));
    }
  }
  load_and_publish(session, options.storage, options.publish, result);
  return result;
}

}  // namespace

store::PublishedRun publish_run(const StorageOptions& options, const std::string& run_id) {
  JobTelemetry* telemetry = options.telemetry;
  try {
    if (telemetry) telemetry->started(run_id, run_id);
    StorageSession session(options, "marquee publish " + run_id, true);
    const auto started = std::chrono::steady_clock::now();
    const auto previous = session.store().published();
    store::PublishedRun published = session.store().publish(run_id);
    if (telemetry) {
      // The publish has committed: counting its movies for the event must not turn it into a failure.
      std::uint64_t movies = 0;
      try {
        movies = session.store().count_rows("movie", run_id);
      } catch (const std::exception&) {
      }
      telemetry->published(run_id, previous ? std::optional(previous->run_id) : std::nullopt, published.generation,
                           movies, ms_since(started));
      telemetry->finished(run_id, true);
    }
    return published;
  } catch (const std::exception& e) {
    if (telemetry) telemetry->finished(run_id, false, e.what());
    throw;
  }
}

RunsListing list_runs(const StorageOptions& options) {
  StorageSession session(options, "marquee runs", false);
  return {session.store().runs(), session.store().published()};
}

store::MigrationReport migrate_database(const StorageOptions& options) {
  if (options.db_url.empty()) fs::create_directories(options.data_dir);
  store::Store store = store::Store::open(database_url(options));
  store.db().set_lock_timeout(options.lock_timeout);
  return store.migrate();
}

}  // namespace marquee::job

#pragma once
// Snapshots in a database: runs are loaded whole, published by flipping one
// pointer, and retired whole. docs/STORAGE.md has the schema and the rules.
//
// - A run is loaded in ONE transaction together with its `runs` row, so a
//   crashed load leaves nothing behind (there is no 'loading' status).
//   PostgreSQL: each table's rows go into a new plain table "<table>:<run_id>"
//   (COPY), which is then attached as the run's partition; attaching takes a
//   lock that readers do not wait for.
//   SQLite: the rows go into a new file of the run's own, outside any
//   transaction; renaming it into place commits with the `runs` row
//   (sqlite_run_file.hpp). Runs loaded before migration V004 keep their rows
//   in the shared tables.
// - Publishing updates `runs` and the `published` row (generation + 1) in one
//   transaction; PostgreSQL also sends NOTIFY marquee_publish, '<run_id>' in it.
//   A reader sees the old run or the new one, never a mix.
// - Retiring marks the run 'retired' and drops its rows (PostgreSQL: detaches
//   its partitions CONCURRENTLY and drops them; SQLite: deletes its file). The published run is never
//   retired. The row in `runs` stays, with its manifest, as history.
// Knows tables and SQL; never files or Parquet (rows come through TableData).
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/connection.hpp"
#include "store/migrations.hpp"
#include "table/schema.hpp"
#include "table/table_writer.hpp"

namespace marquee::store {

// The tables of a snapshot, in load order: the model's, then the rollups'.
const std::vector<const table::Schema*>& snapshot_tables();
// Tables a snapshot has only when its run read ratings (movie_rating, link):
// loaded when present, dropped with the run either way.
const std::vector<const table::Schema*>& ratings_tables();

// Run ids are used in partition names: 1-40 of [A-Za-z0-9_.-], starting with
// a letter or digit. Marquee's own look like 20240501T120000Z-1a2b3c.
bool valid_run_id(std::string_view run_id);

// The PostgreSQL partition holding `run_id`'s rows of `table`: "table:run_id".
std::string partition_name(std::string_view table, std::string_view run_id);

struct RunInfo {
  std::string run_id;
  std::string status;  // "loaded" | "published" | "retired"
  std::string created_at;
  std::optional<std::string> loaded_at, published_at, retired_at;
  std::string manifest;                         // manifest.json as loaded
  std::map<std::string, std::uint64_t> table_rows;  // from the manifest's "tables"
  bool published() const { return status == "published"; }
};

struct PublishedRun {
  std::string run_id;
  std::string published_at;
  std::int64_t generation = 0;
};

// The rows of one snapshot table: write_rows() writes them all to the loader.
struct TableData {
  const table::Schema* schema = nullptr;
  std::function<void(table::TableWriter&)> write_rows;
  // Roughly what loading it costs, e.g. its Parquet file's size; loads that
  // spread tables over threads balance by it. 0 = unknown (cheap).
  std::uint64_t cost = 0;
};

struct NewRun {
  std::string run_id;
  std::string created_at;  // ISO-8601 UTC
  std::string manifest;    // manifest.json text
};

// Thrown when loading a run that is already loaded or published.
class RunAlreadyLoaded : public DatabaseError {
 public:
  using DatabaseError::DatabaseError;
};

// Thrown for a run id that is unknown, or in the wrong status for the action.
class RunStateError : public DatabaseError {
 public:
  using DatabaseError::DatabaseError;
};

class Store {
 public:
  // `url`, when given, lets a PostgreSQL load open more sessions: its tables
  // are then copied on several connections at once (load_run).
  explicit Store(std::unique_ptr<Connection> db, std::string url = {});
  // connect(url) and wrap it.
  static Store open(const std::string& url);

  Connection& db() { return *db_; }

  // Applies pending migrations: the embedded ones, or, when the environment
  // variable MARQUEE_TEST_MIGRATIONS_DIR is set (a TEST HOOK), the V*.sql
  // files in that directory.
  MigrationReport migrate();

  // Loads a whole run (see above). Throws RunAlreadyLoaded if it is loaded or
  // published (nothing changes); a retired run is loaded again. Returns the
  // rows loaded per table. PostgreSQL with a url: up to
  // MARQUEE_PG_LOAD_CONNECTIONS (default 4) tables at once, each on a session
  // of its own, into plain tables that nothing reads; then one transaction
  // attaches them all and records the run. write_rows may then run on
  // several threads at once (each TableData's on one).
  std::map<std::string, std::uint64_t> load_run(const NewRun& run, std::span<const TableData> tables);

  // Serves `run_id` (loaded or already published). Throws RunStateError if
  // unknown or retired.
  PublishedRun publish(const std::string& run_id);
  std::optional<PublishedRun> published();

  // All runs, newest first (by created_at, then run_id).
  std::vector<RunInfo> runs();
  std::optional<RunInfo> run(const std::string& run_id);

  // Retires every loaded run except the `keep` most recently loaded ones and
  // the published one; also finishes retirements a crash interrupted.
  // Returns the ids retired now.
  std::vector<std::string> retire_old_runs(std::size_t keep);
  // Retires one loaded run. Throws RunStateError if it is published or unknown.
  void retire(const std::string& run_id);

  // Rows of `table` stored for `run_id`.
  std::uint64_t count_rows(const std::string& table, const std::string& run_id);

 private:
  std::map<std::string, std::uint64_t> load_run_file(const NewRun& run, std::span<const TableData> tables);
  void record_loaded(const NewRun& run, const std::optional<std::string>& status, bool own_file);
  bool run_files();
  bool has_own_file(const std::string& run_id);
  void drop_orphan_run_files();
  void load_table(const TableData& data, const std::string& run_id);
  std::map<std::string, std::uint64_t> load_run_postgres(const NewRun& run, std::span<const TableData> tables);
  std::uint64_t copy_partition(Connection& db, const TableData& data, const std::string& run_id);
  void attach_partition(const std::string& table, const std::string& run_id);
  void copy_in_parallel(std::span<const TableData> tables, const std::string& run_id,
                        std::map<std::string, std::uint64_t>& rows);
  void drop_run_rows(const std::string& run_id);
  void drop_partition(const std::string& table, const std::string& partition);
  void drop_orphan_partitions();
  bool postgres() const;

  std::unique_ptr<Connection> db_;
  std::string url_;
  std::size_t load_sessions_;  // MARQUEE_PG_LOAD_CONNECTIONS
  std::optional<bool> run_files_;
};

}  // namespace marquee::store

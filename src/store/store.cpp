#include "store/store.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <mutex>
#include <thread>
#include <regex>
#include <set>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/path_guard.hpp"
#include "model/ratings.hpp"
#include "model/tables.hpp"
#include "rollup/rollups.hpp"
#include "store/sqlite_run_file.hpp"
#include "store/value_text.hpp"

namespace marquee::store {
namespace {

using detail::quote_identifier;

std::map<std::string, std::uint64_t> manifest_rows(const std::string& manifest) {
  std::map<std::string, std::uint64_t> rows;
  boost::system::error_code error;
  const boost::json::value doc = boost::json::parse(manifest, error);
  if (error || !doc.is_object()) return rows;
  const auto* tables = doc.as_object().if_contains("tables");
  if (tables == nullptr || !tables->is_object()) return rows;
  for (const auto& [name, entry] : tables->as_object()) {
    if (!entry.is_object()) continue;
    if (const auto* n = entry.as_object().if_contains("rows"); n && n->is_number()) {
      rows[std::string(name)] = n->to_number<std::uint64_t>();
    }
  }
  return rows;
}

RunInfo to_run_info(const std::vector<std::optional<std::string>>& row) {
  RunInfo info;
  info.run_id = row[0].value_or("");
  info.status = row[1].value_or("");
  info.created_at = row[2].value_or("");
  info.loaded_at = row[3];
  info.published_at = row[4];
  info.retired_at = row[5];
  info.manifest = row[6].value_or("");
  info.table_rows = manifest_rows(info.manifest);
  return info;
}

constexpr const char* kRunColumns =
    "SELECT run_id, status, created_at, loaded_at, published_at, retired_at, manifest FROM runs";

// Rolls back unless committed: every write below is all-or-nothing.
class Transaction {
 public:
  explicit Transaction(Connection& db) : db_(db) { db_.begin_write(); }
  ~Transaction() {
    if (!done_) {
      try {
        db_.rollback();
      } catch (...) {
        // The session is broken anyway; the server rolls back on disconnect.
      }
    }
  }
  void commit() {
    db_.commit();
    done_ = true;
  }

 private:
  Connection& db_;
  bool done_ = false;
};

std::optional<std::string> run_status(Connection& db, const std::string& run_id, bool for_update) {
  const Param id[] = {run_id};
  const std::string sql = std::string("SELECT status FROM runs WHERE run_id = $1") +
                          (for_update && db.dialect() == "postgresql" ? " FOR UPDATE" : "");
  const Result r = db.query(sql, id);
  if (r.rows.empty()) return std::nullopt;
  return r.rows[0][0];
}

RunAlreadyLoaded already_loaded(Connection& db, const std::string& run_id, const std::string& status) {
  return RunAlreadyLoaded(fmt::format("run {} is already loaded (status {}) in {}; not loaded again", run_id,
                                      status, db.target()));
}

std::vector<const table::Schema*> all_tables() {
  std::vector<const table::Schema*> tables = snapshot_tables();
  tables.insert(tables.end(), ratings_tables().begin(), ratings_tables().end());
  return tables;
}

void check_run_id(std::string_view run_id) {
  if (!valid_run_id(run_id)) {
    throw RunStateError(fmt::format("'{}' is not a valid run id (1-40 of A-Z a-z 0-9 _ . -, "
                                    "starting with a letter or digit)", run_id));
  }
}

}  // namespace

const std::vector<const table::Schema*>& snapshot_tables() {
  static const std::vector<const table::Schema*> tables = {
      &model::movie_schema(),         &model::company_schema(),
      &model::genre_schema(),         &model::country_schema(),
      &model::language_schema(),      &model::collection_schema(),
      &model::movie_company_schema(), &model::movie_genre_schema(),
      &model::movie_country_schema(), &model::movie_language_schema(),
      &rollup::company_year_schema(), &rollup::company_year_genre_schema(),
      &rollup::genre_year_schema()};
  return tables;
}

const std::vector<const table::Schema*>& ratings_tables() {
  static const std::vector<const table::Schema*> tables = {&model::movie_rating_schema(), &model::link_schema()};
  return tables;
}

bool valid_run_id(std::string_view run_id) {
  static const std::regex pattern(R"([A-Za-z0-9][A-Za-z0-9_.-]{0,39})");
  return std::regex_match(run_id.begin(), run_id.end(), pattern);
}

std::string partition_name(std::string_view table, std::string_view run_id) {
  return fmt::format("{}:{}", table, run_id);
}

namespace {

// MARQUEE_PG_LOAD_CONNECTIONS: read when a PostgreSQL store opens, so a bad
// value stops a `run` before its transform rather than after it (and any
// other command on that store: a setting that is wrong is wrong everywhere).
std::size_t load_sessions_from_env() {
  const char* text = std::getenv("MARQUEE_PG_LOAD_CONNECTIONS");
  if (text == nullptr || *text == '\0') return 4;
  const std::string_view digits(text);
  const bool all_digits = digits.size() <= 2 && digits.find_first_not_of("0123456789") == std::string_view::npos;
  const long value = all_digits ? std::strtol(text, nullptr, 10) : 0;
  if (value < 1 || value > 16) {
    throw InputError(fmt::format("MARQUEE_PG_LOAD_CONNECTIONS must be a whole number from 1 to 16 (got '{}')", text));
  }
  return static_cast<std::size_t>(value);
}

}  // namespace

Store::Store(std::unique_ptr<Connection> db, std::string url)
    : db_(std::move(db)), url_(std::move(url)), load_sessions_(postgres() && !url_.empty() ? load_sessions_from_env() : 4) {}

Store Store::open(const std::string& url) { return Store(connect(url), url); }

bool Store::postgres() const { return db_->dialect() == "postgresql"; }

MigrationReport Store::migrate() {
  if (const char* dir = std::getenv("MARQUEE_TEST_MIGRATIONS_DIR"); dir && *dir) {
    const auto migrations = migrations_from_directory(dir);
    return store::migrate(*db_, migrations);
  }
  const auto migrations = embedded_migrations(db_->dialect());
  return store::migrate(*db_, migrations);
}

std::map<std::string, std::uint64_t> Store::load_run(const NewRun& run, std::span<const TableData> tables) {
  check_run_id(run.run_id);
  if (run_files()) return load_run_file(run, tables);
  if (postgres() && !url_.empty()) return load_run_postgres(run, tables);
  // A retirement that a crash interrupted may have left this run's partitions.
  if (postgres()) drop_orphan_partitions();
  Transaction tx(*db_);
  const auto status = run_status(*db_, run.run_id, true);
  if (status && *status != "retired") throw already_loaded(*db_, run.run_id, *status);
  std::map<std::string, std::uint64_t> rows;
  for (const TableData& data : tables) {
    load_table(data, run.run_id);
    rows[data.schema->name] = count_rows(data.schema->name, run.run_id);
  }
  record_loaded(run, status, false);
  tx.commit();
  return rows;
}

// The file is built outside any transaction (readers and publishes go on);
// the run becomes visible only when the rename and its runs row commit
// together under the database's write lock.
std::map<std::string, std::uint64_t> Store::load_run_file(const NewRun& run, std::span<const TableData> tables) {
  if (const auto status = run_status(*db_, run.run_id, false); status && *status != "retired") {
    throw already_loaded(*db_, run.run_id, *status);
  }
  const std::filesystem::path target = sqlite_run_file(db_->target(), run.run_id);
  std::filesystem::create_directories(target.parent_path());
  const std::filesystem::path building = target.string() + fmt::format(".loading-{}", ::getpid());
  PathGuard building_guard(building);  // a run file that did not become a run
  const auto rows = build_sqlite_run_file(building, run_file_schema(*db_, all_tables(), run.run_id), tables);

  Transaction tx(*db_);
  const auto status = run_status(*db_, run.run_id, true);
  if (status && *status != "retired") throw already_loaded(*db_, run.run_id, *status);
  std::filesystem::rename(building, target);
  building_guard.release();
  PathGuard target_guard(target);
  try {
    fsync_directory(target.parent_path());  // the rename is durable before the run is recorded
  } catch (const std::system_error& e) {
    throw DatabaseError(fmt::format("run file {}: {}", target.string(), e.what()));
  }
  record_loaded(run, status, true);
  tx.commit();
  target_guard.release();
  return rows;
}

// own_file: a SQLite run file (storage 'file'); otherwise runs.storage, where
// it exists, keeps its default, 'shared'.
void Store::record_loaded(const NewRun& run, const std::optional<std::string>& status, bool own_file) {
  const Param values[] = {run.run_id, run.created_at, run.manifest, utc_now()};
  if (status) {
    db_->query(fmt::format("UPDATE runs SET status = 'loaded', created_at = $2, manifest = $3, loaded_at = $4, "
                           "published_at = NULL, retired_at = NULL{} WHERE run_id = $1",
                           own_file ? ", storage = 'file'" : ""),
               values);
  } else {
    db_->query(fmt::format("INSERT INTO runs (run_id, created_at, status, manifest, loaded_at{}) "
                           "VALUES ($1, $2, 'loaded', $3, $4{})",
                           own_file ? ", storage" : "", own_file ? ", 'file'" : ""),
               values);
  }
}

// SQLite since migration V004, except in memory (there is no directory for
// the files): each run in a file of its own.
bool Store::run_files() {
  if (postgres() || db_->target() == ":memory:") return false;
  if (!run_files_) {
    run_files_ = runs_have_storage(*db_);
    if (!*run_files_) {
      run_files_.reset();  // asked again: a migration may come later
      return false;
    }
  }
  return true;
}

bool Store::has_own_file(const std::string& run_id) {
  if (!run_files()) return false;
  const Param id[] = {run_id};
  const Result r = db_->query("SELECT storage FROM runs WHERE run_id = $1", id);
  return !r.rows.empty() && r.rows[0][0] == "file";
}

void Store::load_table(const TableData& data, const std::string& run_id) {
  const std::string& table = data.schema->name;
  if (!postgres()) {
    auto loader = db_->bulk_loader(*data.schema, table, run_id);
    data.write_rows(*loader);
    loader->finish();
    return;
  }
  copy_partition(*db_, data, run_id);
  attach_partition(table, run_id);
}

// A plain table first: COPY into it takes no lock on the parent, and the
// CHECK constraint lets ATTACH skip scanning it. run_id is validated, so it
// can be a literal (DDL takes no parameters). Its indexes (migration V004)
// are built once the rows are in, each by one sort instead of grown row by
// row (issue 11, docs/BENCHMARKS.md).
std::uint64_t Store::copy_partition(Connection& db, const TableData& data, const std::string& run_id) {
  const std::string& table = data.schema->name;
  const std::string partition = quote_identifier(partition_name(table, run_id));
  db.execute(fmt::format("CREATE TABLE {} (LIKE {} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)", partition,
                         quote_identifier(table)));
  db.execute(fmt::format("ALTER TABLE {} ADD CONSTRAINT {} CHECK (run_id = '{}')", partition,
                         quote_identifier(partition_name(table, run_id) + ":run"), run_id));
  auto loader = db.bulk_loader(*data.schema, partition_name(table, run_id), run_id);
  data.write_rows(*loader);
  loader->finish();
  const Param names[] = {table, partition_name(table, run_id)};
  db.query("SELECT marquee_index_partition($1, $2)", names);
  return loader->rows_written();
}

void Store::attach_partition(const std::string& table, const std::string& run_id) {
  db_->execute(fmt::format("ALTER TABLE {} ATTACH PARTITION {} FOR VALUES IN ('{}')", quote_identifier(table),
                           quote_identifier(partition_name(table, run_id)), run_id));
}

// Tables are copied on several sessions at once, each committing its own
// plain table: one COPY keeps one server process busy, and the client's
// encoding waits on it. Until the last transaction below attaches them,
// nothing reads these tables; a failed or killed load leaves them to
// drop_orphan_partitions.
std::map<std::string, std::uint64_t> Store::load_run_postgres(const NewRun& run, std::span<const TableData> tables) {
  drop_orphan_partitions();
  if (const auto status = run_status(*db_, run.run_id, false); status && *status != "retired") {
    throw already_loaded(*db_, run.run_id, *status);
  }
  std::map<std::string, std::uint64_t> rows;
  try {
    copy_in_parallel(tables, run.run_id, rows);
    Transaction tx(*db_);
    const auto status = run_status(*db_, run.run_id, true);
    if (status && *status != "retired") throw already_loaded(*db_, run.run_id, *status);
    for (const TableData& data : tables) attach_partition(data.schema->name, run.run_id);
    record_loaded(run, status, false);
    tx.commit();
  } catch (...) {
    try {
      drop_orphan_partitions();
    } catch (...) {
      // The next load or retirement drops them.
    }
    throw;
  }
  return rows;
}

void Store::copy_in_parallel(std::span<const TableData> tables, const std::string& run_id,
                             std::map<std::string, std::uint64_t>& rows) {
  const std::size_t sessions = std::min(load_sessions_, tables.size());
  std::atomic<std::size_t> next{0};
  std::mutex mutex;
  std::exception_ptr failure;
  const auto work = [&] {
    try {
      auto db = connect(url_);
      for (std::size_t i = next++; i < tables.size(); i = next++) {
        {
          const std::lock_guard lock(mutex);
          if (failure) return;
        }
        db->begin();
        const std::uint64_t n = copy_partition(*db, tables[i], run_id);
        db->commit();
        const std::lock_guard lock(mutex);
        rows[tables[i].schema->name] = n;
      }
    } catch (...) {
      const std::lock_guard lock(mutex);
      if (!failure) failure = std::current_exception();
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < sessions; ++i) threads.emplace_back(work);
  for (std::thread& thread : threads) thread.join();
  if (failure) std::rethrow_exception(failure);
}

PublishedRun Store::publish(const std::string& run_id) {
  check_run_id(run_id);
  Transaction tx(*db_);
  const auto status = run_status(*db_, run_id, true);
  if (!status) throw RunStateError(fmt::format("no run {} in {}", run_id, db_->target()));
  if (*status == "retired") {
    throw RunStateError(fmt::format("run {} is retired (its rows were dropped); load its run "
                                    "directory again with `marquee load` before publishing it",
                                    run_id));
  }
  const std::string now = utc_now();
  const Param id[] = {run_id};
  const Param id_now[] = {run_id, now};
  db_->query("UPDATE runs SET status = 'loaded' WHERE status = 'published' AND run_id <> $1", id);
  db_->query("UPDATE runs SET status = 'published', published_at = $2 WHERE run_id = $1", id_now);
  db_->query("INSERT INTO published (singleton, run_id, published_at, generation) VALUES (1, $1, $2, 1) "
             "ON CONFLICT (singleton) DO UPDATE SET run_id = excluded.run_id, "
             "published_at = excluded.published_at, generation = published.generation + 1",
             id_now);
  if (postgres()) db_->query("SELECT pg_notify('marquee_publish', $1)", id);
  auto pointer = published();
  tx.commit();
  return *pointer;
}

std::optional<PublishedRun> Store::published() {
  const Result r = db_->query("SELECT run_id, published_at, generation FROM published WHERE singleton = 1");
  if (r.rows.empty()) return std::nullopt;
  return PublishedRun{r.rows[0][0].value_or(""), r.rows[0][1].value_or(""),
                      std::stoll(r.rows[0][2].value_or("0"))};
}

std::vector<RunInfo> Store::runs() {
  const Result r = db_->query(std::string(kRunColumns) + " ORDER BY created_at DESC, run_id DESC");
  std::vector<RunInfo> out;
  for (const auto& row : r.rows) out.push_back(to_run_info(row));
  return out;
}

std::optional<RunInfo> Store::run(const std::string& run_id) {
  const Param id[] = {run_id};
  const Result r = db_->query(std::string(kRunColumns) + " WHERE run_id = $1", id);
  if (r.rows.empty()) return std::nullopt;
  return to_run_info(r.rows[0]);
}

std::vector<std::string> Store::retire_old_runs(std::size_t keep) {
  const Result r = db_->query(
      "SELECT run_id, status FROM runs WHERE status IN ('loaded', 'published') "
      "ORDER BY loaded_at DESC, run_id DESC");
  std::vector<std::string> retired;
  for (std::size_t i = keep; i < r.rows.size(); ++i) {
    if (r.rows[i][1] == "published") continue;
    retire(*r.rows[i][0]);
    retired.push_back(*r.rows[i][0]);
  }
  if (postgres()) drop_orphan_partitions();
  if (run_files()) drop_orphan_run_files();
  return retired;
}

void Store::retire(const std::string& run_id) {
  Transaction tx(*db_);
  const auto status = run_status(*db_, run_id, true);
  if (!status) throw RunStateError(fmt::format("no run {} in {}", run_id, db_->target()));
  if (*status == "published") {
    throw RunStateError(fmt::format("run {} is published; publish another run before retiring it", run_id));
  }
  const bool own_file = has_own_file(run_id);
  const Param values[] = {run_id, utc_now()};
  db_->query("UPDATE runs SET status = 'retired', retired_at = $2 WHERE run_id = $1 AND status = 'loaded'", values);
  if (!postgres() && !own_file) drop_run_rows(run_id);
  tx.commit();
  // After the commit: DETACH ... CONCURRENTLY cannot run inside a
  // transaction, and a run file must outlive its 'loaded' row. Readers that
  // still have the file open finish with it; it is gone from the directory.
  if (postgres()) drop_run_rows(run_id);
  if (own_file) std::filesystem::remove(sqlite_run_file(db_->target(), run_id));
}

// Run files whose run is not loaded or published: left by a retirement or a
// load that a crash interrupted. Under the write lock, so that a load cannot
// register its file between the listing and the removal.
void Store::drop_orphan_run_files() {
  const std::filesystem::path directory = sqlite_runs_directory(db_->target());
  if (!std::filesystem::is_directory(directory)) return;
  Transaction tx(*db_);
  std::set<std::string> live;
  for (const auto& row : db_->query("SELECT run_id FROM runs WHERE status IN ('loaded', 'published')").rows) {
    live.insert(row[0].value_or(""));
  }
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    const std::string name = entry.path().filename().string();
    if (is_orphan_run_file(name, live)) {
      std::error_code ignored;
      std::filesystem::remove(entry.path(), ignored);
    }
  }
  tx.commit();
}

void Store::drop_run_rows(const std::string& run_id) {
  for (const table::Schema* schema : all_tables()) {
    if (postgres()) {
      drop_partition(schema->name, partition_name(schema->name, run_id));
    } else {
      const Param id[] = {run_id};
      db_->query(fmt::format("DELETE FROM {} WHERE run_id = $1", quote_identifier(schema->name)), id);
    }
  }
}

// Detaches (CONCURRENTLY: readers of the parent are never blocked) and drops
// one partition; resumes a detach that a crash left pending.
void Store::drop_partition(const std::string& table, const std::string& partition) {
  const Param name[] = {quote_identifier(partition)};
  const Result r = db_->query(
      "SELECT i.inhdetachpending FROM pg_inherits i WHERE i.inhrelid = to_regclass($1)", name);
  if (!r.rows.empty()) {
    const bool pending = r.rows[0][0] == "true";
    db_->execute(fmt::format("ALTER TABLE {} DETACH PARTITION {} {}", quote_identifier(table),
                             quote_identifier(partition), pending ? "FINALIZE" : "CONCURRENTLY"));
  }
  db_->execute(fmt::format("DROP TABLE IF EXISTS {}", quote_identifier(partition)));
}

// Partitions of runs that are not loaded or published: left by a retirement
// that was interrupted (loads are transactional and leave none).
void Store::drop_orphan_partitions() {
  std::set<std::string> tables;
  for (const table::Schema* schema : all_tables()) tables.insert(schema->name);
  const Result live = db_->query("SELECT run_id FROM runs WHERE status IN ('loaded', 'published')");
  std::set<std::string> live_runs;
  for (const auto& row : live.rows) live_runs.insert(row[0].value_or(""));
  const Result r = db_->query(
      "SELECT c.relname FROM pg_class c WHERE c.relkind = 'r' AND c.relname LIKE '%:%' "
      "AND c.relnamespace = current_schema()::regnamespace");
  for (const auto& row : r.rows) {
    const std::string name = row[0].value_or("");
    const auto colon = name.find(':');
    const std::string table = name.substr(0, colon);
    const std::string run_id = name.substr(colon + 1);
    if (tables.count(table) && !live_runs.count(run_id)) drop_partition(table, name);
  }
}

std::uint64_t Store::count_rows(const std::string& table, const std::string& run_id) {
  const Param id[] = {run_id};
  const std::string schema = db_->run_schema(run_id);
  const Result r = db_->query(
      fmt::format("SELECT COUNT(*) FROM {}{} WHERE run_id = $1", schema, quote_identifier(table)), id);
  return std::stoull(r.rows.at(0).at(0).value_or("0"));
}

}  // namespace marquee::store

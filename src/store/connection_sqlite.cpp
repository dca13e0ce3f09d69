// The embedded backend: one sqlite3 handle per Connection.
// WAL mode lets readers (the API) keep reading the last committed state while
// a job loads a run; synchronous=FULL makes each commit durable, which matters
// for the publish pointer more than the few milliseconds it costs.
// A run loaded since migration V004 lives in a file of its own
// (sqlite_run_file.hpp), which run_schema() attaches read-only on demand.
#include <sqlite3.h>
#include <sys/stat.h>

#include <cctype>
#include <cstring>
#include <filesystem>
#include <list>
#include <map>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "store/connection.hpp"
#include "store/sqlite_run_file.hpp"
#include "store/value_text.hpp"

namespace marquee::store::detail {
namespace {

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql, const std::string& target) {
    const char* tail = nullptr;
    if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, &tail) != SQLITE_OK) {
      throw DatabaseError(fmt::format("sqlite {}: cannot prepare statement: {}", target, sqlite3_errmsg(db)));
    }
    if (stmt_ == nullptr) throw DatabaseError(fmt::format("sqlite {}: empty statement", target));
    const std::string_view rest(tail, static_cast<std::size_t>(sql.data() + sql.size() - tail));
    if (rest.find_first_not_of(" \t\r\n;") != std::string_view::npos) {
      sqlite3_finalize(stmt_);
      throw DatabaseError(fmt::format("sqlite {}: query() takes one statement; use execute()", target));
    }
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  sqlite3_stmt* get() const { return stmt_; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

bool declared_boolean(sqlite3_stmt* stmt, int column) {
  const char* declared = sqlite3_column_decltype(stmt, column);
  return declared != nullptr && sqlite3_stricmp(declared, "BOOLEAN") == 0;
}

std::optional<std::string> column_text(sqlite3_stmt* stmt, int column) {
  switch (sqlite3_column_type(stmt, column)) {
    case SQLITE_NULL: return std::nullopt;
    case SQLITE_INTEGER:
      if (declared_boolean(stmt, column)) {
        return std::string(sqlite3_column_int64(stmt, column) != 0 ? "true" : "false");
      }
      return std::to_string(sqlite3_column_int64(stmt, column));
    case SQLITE_FLOAT: return double_text(sqlite3_column_double(stmt, column));
    default: {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, column));
      return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt, column)));
    }
  }
}

class SqliteConnection;

// Prepared INSERT of one row at a time, inside the caller's transaction.
// An empty run_id: the table stores no run_id (a run file's is generated).
class SqliteLoader : public table::TableWriter {
 public:
  SqliteLoader(sqlite3* db, const table::Schema& schema, std::string_view target_table,
               std::string_view run_id, std::string target)
      : db_(db), schema_(schema), target_(std::move(target)), first_(run_id.empty() ? 1 : 2) {
    std::string columns = run_id.empty() ? "" : "run_id";
    std::string values = run_id.empty() ? "" : "?1";
    for (std::size_t i = 0; i < schema_.columns.size(); ++i) {
      const char* comma = columns.empty() ? "" : ", ";
      columns += comma + quote_identifier(schema_.columns[i].name);
      values += fmt::format("{}?{}", comma, static_cast<int>(i) + first_);
    }
    const std::string sql = fmt::format("INSERT INTO {} ({}) VALUES ({})",
                                        quote_identifier(target_table), columns, values);
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK) {
      throw DatabaseError(fmt::format("sqlite {}: cannot prepare load of {}: {}", target_,
                                      target_table, sqlite3_errmsg(db_)));
    }
    if (!run_id.empty()) {
      sqlite3_bind_text(stmt_, 1, run_id.data(), static_cast<int>(run_id.size()), SQLITE_TRANSIENT);
    }
  }
  ~SqliteLoader() override { sqlite3_finalize(stmt_); }

  void write_row(std::span<const table::Cell> row) override {
    table::check_row(schema_, row);
    for (std::size_t i = 0; i < row.size(); ++i) bind(static_cast<int>(i) + first_, row[i], schema_.columns[i].type);
    if (sqlite3_step(stmt_) != SQLITE_DONE) {
      const std::string message = sqlite3_errmsg(db_);
      sqlite3_reset(stmt_);
      throw DatabaseError(fmt::format("sqlite {}: loading {} row {}: {}", target_, schema_.name,
                                      rows_ + 1, message));
    }
    sqlite3_reset(stmt_);
    ++rows_;
  }
  void finish() override {}
  std::uint64_t rows_written() const override { return rows_; }
  const table::Schema& schema() const override { return schema_; }

 private:
  void bind(int index, const table::Cell& cell, table::Type type) {
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, table::Null>) {
            sqlite3_bind_null(stmt_, index);
          } else if constexpr (std::is_same_v<T, std::int32_t>) {
            if (type == table::Type::Date) {
              const std::string text = date_text(v);
              sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
            } else {
              sqlite3_bind_int64(stmt_, index, v);
            }
          } else if constexpr (std::is_same_v<T, std::int64_t>) {
            sqlite3_bind_int64(stmt_, index, v);
          } else if constexpr (std::is_same_v<T, double>) {
            sqlite3_bind_double(stmt_, index, v);
          } else if constexpr (std::is_same_v<T, bool>) {
            sqlite3_bind_int(stmt_, index, v ? 1 : 0);
          } else {
            bind_text(index, v);
          }
        },
        cell);
  }
  void bind_text(int index, std::string_view text) {
    if (text.find('\0') != std::string_view::npos) {
      const std::string clean = without_nul(text);
      sqlite3_bind_text(stmt_, index, clean.data(), static_cast<int>(clean.size()), SQLITE_TRANSIENT);
    } else {
      // Static: the cell's bytes stay valid until this row has been stepped.
      sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
    }
  }

  sqlite3* db_;
  table::Schema schema_;
  std::string target_;
  int first_;  // the parameter of the first schema column
  sqlite3_stmt* stmt_ = nullptr;
  std::uint64_t rows_ = 0;
};

// Identifies a file, so that a run file replaced or deleted since it was
// attached is noticed (a retired run loaded again gets a new file).
struct FileId {
  dev_t device = 0;
  ino_t inode = 0;
  bool operator==(const FileId&) const = default;
};

std::optional<FileId> file_id(const std::filesystem::path& path) {
  struct stat info{};
  if (::stat(path.c_str(), &info) != 0) return std::nullopt;
  return FileId{info.st_dev, info.st_ino};
}

// A file name as a SQLite URI path: only unreserved bytes stay literal.
std::string uri_path(const std::string& path) {
  std::string out;
  for (const unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '.' || c == '-' || c == '_') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

// SQLite keeps allocation statistics by default, under a global mutex taken
// for every malloc and free, which the run file's two writers contended for:
// without them a load at 100x took 17% less CPU (docs/BENCHMARKS.md), and an
// uncached API request about 20% less. Nobody reads the figures. Must be set before SQLite initializes, so once, before the
// first connection (a no-op if something initialized it already).
void configure_sqlite_once() {
  static const int configured = [] { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }();
  (void)configured;
}

class SqliteConnection : public Connection {
 public:
  SqliteConnection(const std::string& path, bool build_file) : path_(path) {
    configure_sqlite_once();
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      const std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw DatabaseError(fmt::format("cannot open SQLite database {}: {}", path, message));
    }
    sqlite3_extended_result_codes(db_, 1);
    set_lock_timeout(std::chrono::seconds(30));
    if (build_file) {
      // A file nobody else opens while it is built (run files were built
      // this way before sqlite_file/; tests and sqlite_file_bench build
      // their reference with it): no journal, no syncs, 16 KiB pages, and
      // the sorter of CREATE INDEX may use two threads.
      execute("PRAGMA page_size = 16384");
      execute("PRAGMA journal_mode = OFF");
      execute("PRAGMA synchronous = OFF");
      execute("PRAGMA locking_mode = EXCLUSIVE");
      execute("PRAGMA cache_size = -262144");
      execute("PRAGMA threads = 2");
      return;
    }
    execute("PRAGMA foreign_keys = ON");
    execute("PRAGMA journal_mode = WAL");
    execute("PRAGMA synchronous = FULL");
  }
  ~SqliteConnection() override { sqlite3_close_v2(db_); }

  std::string_view dialect() const override { return "sqlite"; }
  std::string target() const override { return path_; }

  void execute(std::string_view sql) override {
    char* error = nullptr;
    const std::string text(sql);
    if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      const std::string message = error ? error : sqlite3_errmsg(db_);
      sqlite3_free(error);
      throw DatabaseError(fmt::format("sqlite {}: {}", path_, message));
    }
  }

  Result query(std::string_view sql, std::span<const Param> params) override {
    Statement stmt(db_, sql, path_);
    bind_params(stmt.get(), params);
    Result result;
    const int columns = sqlite3_column_count(stmt.get());
    for (int i = 0; i < columns; ++i) result.columns.emplace_back(sqlite3_column_name(stmt.get(), i));
    for (;;) {
      const int rc = sqlite3_step(stmt.get());
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) throw DatabaseError(fmt::format("sqlite {}: {}", path_, sqlite3_errmsg(db_)));
      auto& row = result.rows.emplace_back();
      row.reserve(static_cast<std::size_t>(columns));
      for (int i = 0; i < columns; ++i) row.push_back(column_text(stmt.get(), i));
    }
    return result;
  }

  void begin() override { execute("BEGIN"); }
  void begin_write() override { execute("BEGIN IMMEDIATE"); }
  void commit() override { execute("COMMIT"); }
  void rollback() override {
    if (!sqlite3_get_autocommit(db_)) execute("ROLLBACK");
  }
  void set_lock_timeout(std::chrono::milliseconds timeout) override {
    sqlite3_busy_timeout(db_, static_cast<int>(timeout.count()));
  }

  std::unique_ptr<table::TableWriter> bulk_loader(const table::Schema& schema,
                                                  std::string_view target_table,
                                                  std::string_view run_id) override {
    // A load is one transaction of millions of rows: with SQLite's default
    // 2 MB page cache its pages spill to the WAL again and again (sys time
    // halves at 1x with this). Loading connections get up to 256 MiB, held
    // only as the transaction needs it; readers (the API) keep the default.
    if (!bulk_cache_set_) {
      execute("PRAGMA cache_size = -262144");
      bulk_cache_set_ = true;
    }
    return std::make_unique<SqliteLoader>(db_, schema, target_table, run_id, path_);
  }

  std::string run_schema(std::string_view run_id) override {
    if (path_ == ":memory:") return {};
    drop_stale_attachments();
    const std::string prefix = quote_identifier(fmt::format("run:{}", run_id)) + ".";
    for (auto it = attached_.begin(); it != attached_.end(); ++it) {
      if (it->run_id == run_id) {
        attached_.splice(attached_.begin(), attached_, it);
        return prefix;
      }
    }
    if (!run_has_own_file(run_id)) return {};
    attach(std::string(run_id));
    return prefix;
  }

 private:
  // Attached run files kept per session, most recently used first; SQLite
  // allows 10 attachments by default (SQLITE_LIMIT_ATTACHED).
  static constexpr std::size_t kMaxAttached = 8;
  static constexpr std::int64_t kRunFileMap = std::int64_t{1} << 30;  // address space, not memory
  struct Attached {
    std::string run_id;
    std::filesystem::path path;
    FileId id;
  };

  bool run_has_own_file(std::string_view run_id) {
    if (!storage_column_) {
      // Before migration V004 every run is in this database's own tables.
      storage_column_ = runs_have_storage(*this);
      if (!*storage_column_) {
        storage_column_.reset();
        return false;
      }
    }
    // A retired run's file is gone, as its rows would be from shared tables.
    const Param id[] = {std::string(run_id)};
    const Result r = query("SELECT storage, status FROM runs WHERE run_id = $1", id);
    return !r.rows.empty() && r.rows[0][0] == "file" && r.rows[0][1] != "retired";
  }

  // Read-only: a reader must never create a file that retirement deleted,
  // nor write into a run. Immutable: a run file never changes once it is a
  // run, so SQLite may skip the file locks, the change-counter read and the
  // hot-journal check it otherwise makes for every statement (about 8% of an
  // uncached API request, measured with wrk).
  void attach(std::string run_id) {
    const std::filesystem::path path = sqlite_run_file(path_, run_id);
    while (attached_.size() >= kMaxAttached) detach(std::prev(attached_.end()));
    const auto id = file_id(path);
    if (!id) throw DatabaseError(fmt::format("sqlite {}: run {} has no file {}", path_, run_id, path.string()));
    const std::string uri = fmt::format("file:{}?mode=ro&immutable=1", uri_path(path.string()));
    // Checked before it is attached: a refused file never becomes readable
    // through this session.
    check_run_file_columns(run_id, path, uri);
    const Param uri_param[] = {uri};
    query(fmt::format("ATTACH DATABASE $1 AS {}", quote_identifier("run:" + run_id)), uri_param);
    // Reads through a mapping, not a copy into the session's small page
    // cache per 16 KiB page: safe, as the file never changes.
    execute(fmt::format("PRAGMA {}.mmap_size = {}", quote_identifier("run:" + run_id), kRunFileMap));
    attached_.push_front(Attached{std::move(run_id), path, *id});
  }

  // A run file keeps the columns its snapshot tables had when it was built.
  // After a migration that changes one, a query naming a new column would
  // fail on the older file with a bare "no such column", or a SELECT * give
  // other columns: refuse the file instead, saying why and what to do. The
  // snapshot tables: every table of this database with a run_id column but
  // the runs bookkeeping (runs, published); columns compared in order, but
  // for run_id, which a run file has last and generated.
  void check_run_file_columns(const std::string& run_id, const std::filesystem::path& path, const std::string& uri) {
    const TableColumns& want = main_columns();
    const TableColumns have = file_columns(path, uri);
    if (want == have) return;
    std::string why;
    for (const auto& [table, columns] : want) {
      const auto found = have.find(table);
      if (found == have.end()) {
        why = fmt::format("it has no table {}", table);
        break;
      }
      if (found->second != columns) {
        why = fmt::format("its table {} has columns ({}) where the database's has ({})", table,
                          fmt::join(found->second, ", "), fmt::join(columns, ", "));
        break;
      }
    }
    if (why.empty()) {
      for (const auto& [table, columns] : have) {
        if (!want.contains(table)) {
          why = fmt::format("it has a table {} the database does not", table);
          break;
        }
      }
    }
    throw DatabaseError(fmt::format(
        "sqlite {}: run {}'s file {} was built for another schema: {}. Run the job again (marquee run) for "
        "a run of this schema; a run once retired can also be loaded again from its directory "
        "(marquee load), which rebuilds its file",
        path_, run_id, path.string(), why));
  }

  // Table -> its columns in order, without run_id, for the tables that have
  // a run_id column, from rows of (table, column).
  using TableColumns = std::map<std::string, std::vector<std::string>>;
  static TableColumns snapshot_columns(const std::vector<std::pair<std::string, std::string>>& rows) {
    TableColumns tables;
    std::set<std::string> with_run_id;
    for (const auto& [table, column] : rows) {
      if (table == "runs" || table == "published") continue;
      if (column == "run_id") {
        with_run_id.insert(table);
      } else {
        tables[table].push_back(column);
      }
    }
    std::erase_if(tables, [&](const auto& entry) { return !with_run_id.contains(entry.first); });
    return tables;
  }
  // Both sides read a database opened as main: this one, and a run file
  // through a connection of its own.
  static constexpr const char* kColumnsSql =
      "SELECT m.name, p.name FROM main.sqlite_schema m, pragma_table_xinfo(m.name, 'main') p "
      "WHERE m.type = 'table' ORDER BY m.name, p.cid";

  // This database's, read again only when its schema changed (a migration).
  const TableColumns& main_columns() {
    const std::string version = query("PRAGMA main.schema_version", {}).rows.at(0).at(0).value_or("");
    if (version != main_columns_version_) {
      std::vector<std::pair<std::string, std::string>> rows;
      for (const auto& row : query(kColumnsSql, {}).rows) rows.emplace_back(*row[0], *row[1]);
      main_columns_ = snapshot_columns(rows);
      main_columns_version_ = version;
    }
    return main_columns_;
  }

  // A run file's, through a connection of its own, so that the file is
  // never attached to this session before it passed.
  TableColumns file_columns(const std::filesystem::path& path, const std::string& uri) const {
    sqlite3* file = nullptr;
    const int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX;
    std::vector<std::pair<std::string, std::string>> rows;
    std::string error;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_open_v2(uri.c_str(), &file, flags, nullptr) != SQLITE_OK ||
        sqlite3_prepare_v2(file, kColumnsSql, -1, &stmt, nullptr) != SQLITE_OK) {
      error = file ? sqlite3_errmsg(file) : "out of memory";
    } else {
      int rc;
      while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        rows.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)),
                          reinterpret_cast<const char*>(sqlite3_column_text(stmt, 1)));
      }
      if (rc != SQLITE_DONE) error = sqlite3_errmsg(file);
    }
    sqlite3_finalize(stmt);
    sqlite3_close_v2(file);
    if (!error.empty()) {
      throw DatabaseError(fmt::format("sqlite {}: cannot read run file {}: {}", path_, path.string(), error));
    }
    return snapshot_columns(rows);
  }
  TableColumns main_columns_;
  std::string main_columns_version_;

  void detach(std::list<Attached>::iterator it) {
    execute(fmt::format("DETACH DATABASE {}", quote_identifier("run:" + it->run_id)));
    attached_.erase(it);
  }

  // A retired run's file is deleted; an attachment would keep its disk
  // space (and its rows) alive for as long as this session lives.
  void drop_stale_attachments() {
    for (auto it = attached_.begin(); it != attached_.end();) {
      const auto next = std::next(it);
      if (file_id(it->path) != std::optional<FileId>(it->id)) detach(it);
      it = next;
    }
  }

  std::list<Attached> attached_;
  std::optional<bool> storage_column_;
  bool bulk_cache_set_ = false;

  void bind_params(sqlite3_stmt* stmt, std::span<const Param> params) {
    if (sqlite3_bind_parameter_count(stmt) != static_cast<int>(params.size())) {
      throw DatabaseError(fmt::format("sqlite {}: statement takes {} parameters, {} given", path_,
                                      sqlite3_bind_parameter_count(stmt), params.size()));
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
      const std::string name = fmt::format("${}", i + 1);
      const int index = sqlite3_bind_parameter_index(stmt, name.c_str());
      if (index == 0) throw DatabaseError(fmt::format("sqlite {}: parameter {} is not used", path_, name));
      std::visit(
          [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::nullptr_t>) {
              sqlite3_bind_null(stmt, index);
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
              sqlite3_bind_int64(stmt, index, v);
            } else if constexpr (std::is_same_v<T, double>) {
              sqlite3_bind_double(stmt, index, v);
            } else {
              sqlite3_bind_text(stmt, index, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
            }
          },
          params[i]);
    }
  }

  std::string path_;
  sqlite3* db_ = nullptr;
};

}  // namespace

std::unique_ptr<Connection> connect_sqlite(const std::string& path) {
  if (path != ":memory:") {
    const auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty() && !std::filesystem::is_directory(parent)) {
      throw DatabaseError(fmt::format("cannot open SQLite database {}: directory {} does not exist",
                                      path, parent.string()));
    }
  }
  return std::make_unique<SqliteConnection>(path, false);
}

std::unique_ptr<Connection> create_sqlite_run_file(const std::string& path) {
  return std::make_unique<SqliteConnection>(path, true);
}

}  // namespace marquee::store::detail

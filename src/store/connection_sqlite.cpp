// The embedded backend: one sqlite3 handle per Connection.
// WAL mode lets readers (the API) keep reading the last committed state while
// a job loads a run; synchronous=FULL makes each commit durable, which matters
// for the publish pointer more than the few milliseconds it costs.
#include <sqlite3.h>

#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "store/connection.hpp"
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
class SqliteLoader : public table::TableWriter {
 public:
  SqliteLoader(sqlite3* db, const table::Schema& schema, std::string_view target_table,
               std::string_view run_id, std::string target)
      : db_(db), schema_(schema), target_(std::move(target)) {
    std::string columns = "run_id";
    std::string values = "?1";
    for (std::size_t i = 0; i < schema_.columns.size(); ++i) {
      columns += ", " + quote_identifier(schema_.columns[i].name);
      values += fmt::format(", ?{}", i + 2);
    }
    const std::string sql = fmt::format("INSERT INTO {} ({}) VALUES ({})",
                                        quote_identifier(target_table), columns, values);
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK) {
      throw DatabaseError(fmt::format("sqlite {}: cannot prepare load of {}: {}", target_,
                                      target_table, sqlite3_errmsg(db_)));
    }
    sqlite3_bind_text(stmt_, 1, run_id.data(), static_cast<int>(run_id.size()), SQLITE_TRANSIENT);
  }
  ~SqliteLoader() override { sqlite3_finalize(stmt_); }

  void write_row(std::span<const table::Cell> row) override {
    table::check_row(schema_, row);
    for (std::size_t i = 0; i < row.size(); ++i) bind(static_cast<int>(i) + 2, row[i], schema_.columns[i].type);
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
  sqlite3_stmt* stmt_ = nullptr;
  std::uint64_t rows_ = 0;
};

class SqliteConnection : public Connection {
 public:
  explicit SqliteConnection(const std::string& path) : path_(path) {
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      const std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw DatabaseError(fmt::format("cannot open SQLite database {}: {}", path, message));
    }
    sqlite3_extended_result_codes(db_, 1);
    set_lock_timeout(std::chrono::seconds(30));
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

 private:
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
  return std::make_unique<SqliteConnection>(path);
}

}  // namespace marquee::store::detail

#pragma once
// One database session, SQLite or PostgreSQL, behind one small interface so
// that migrations, snapshot management and the read queries are written once.
// Knows tables and SQL, never HTTP or input files.
//
// SQL placeholders are written $1, $2, ... for both backends (the SQLite
// connection binds them by number). Results come back as text, which is what
// both client libraries produce natively and what JSON serialization needs.
// Both backends give the same text for the same value: integers in decimal,
// doubles in the shortest form that reads back exactly ("0.1", "1e+20"),
// dates 'YYYY-MM-DD', booleans "true"/"false" (for columns declared BOOLEAN;
// an expression over them is a plain integer in SQLite).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "table/schema.hpp"
#include "table/table_writer.hpp"

namespace marquee::store {

using Param = std::variant<std::nullptr_t, std::int64_t, double, std::string>;

struct Result {
  std::vector<std::string> columns;
  std::vector<std::vector<std::optional<std::string>>> rows;  // nullopt = SQL NULL
};

// Thrown for database failures; the message names the operation and the
// database error, never credentials.
class DatabaseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Connection {
 public:
  virtual ~Connection() = default;
  virtual std::string_view dialect() const = 0;  // "sqlite" or "postgresql"
  // Runs one or more statements that return nothing (DDL, migrations).
  virtual void execute(std::string_view sql) = 0;
  virtual Result query(std::string_view sql, std::span<const Param> params = {}) = 0;
  virtual void begin() = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;
  // Begins a transaction that will write. SQLite takes the database's write
  // lock now (BEGIN IMMEDIATE, waiting up to the busy timeout) rather than at
  // the first write, so two writers cannot deadlock on a lock upgrade.
  virtual void begin_write() { begin(); }
  // How long a statement waits for a lock held by another session before it
  // fails (SQLite busy timeout; PostgreSQL lock_timeout). 0 = do not wait.
  virtual void set_lock_timeout(std::chrono::milliseconds timeout) {}
  // The target for messages: the SQLite path, or the PostgreSQL URL without
  // its password.
  virtual std::string target() const { return std::string(dialect()); }
  // Bulk-loads rows into an existing table whose columns are the schema's
  // columns plus a leading run_id column filled with `run_id`. PostgreSQL uses
  // COPY; SQLite a prepared INSERT inside the caller's transaction. U+0000,
  // which PostgreSQL's TEXT cannot hold, is stored as U+FFFD on both backends.
  // SQLite only: an empty run_id loads a table that stores no run_id (a run
  // file's tables generate it).
  virtual std::unique_ptr<table::TableWriter> bulk_loader(const table::Schema& schema,
                                                          std::string_view target_table,
                                                          std::string_view run_id) = 0;
  // Where `run_id`'s snapshot tables are, as a prefix for their names in SQL:
  // "" for this database's own tables (PostgreSQL's partitioned tables; SQLite
  // runs loaded before migration V004 and in-memory databases), or
  // "\"run:ID\"." for a SQLite run stored in its own file, which this call
  // attaches read-only to the session (store/sqlite_run_file.hpp). An unknown
  // run gets "" (whose tables hold none of its rows).
  virtual std::string run_schema(std::string_view run_id) { return {}; }
};

// url: "postgresql://..." / "postgres://..." for PostgreSQL; "sqlite:PATH" or a
// plain PATH for SQLite. Throws DatabaseError naming the target (without any
// password) when it cannot connect.
std::unique_ptr<Connection> connect(const std::string& url);

}  // namespace marquee::store

#pragma once
// Writes a whole SQLite database file without SQLite: each table's rows
// become a B-tree written once, page by page (btree.hpp), its indexes are
// sorted (record_sorter.hpp) and built the same way, and page 1 (the header
// and the schema) comes last. A run file is written once and never updated
// in place, and SQLite's own inserts spent most of a load searching and
// rebalancing trees that a sorted build never has to (docs/STORAGE.md,
// "Writing a run file"). The result is an ordinary database: SQLite opens
// it, and tests check it with PRAGMA integrity_check against SQLite's own
// build of the same rows.
//
// Generic over tables: knows declared types, keys and indexes, not movies.
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <atomic>
#include <span>
#include <string>
#include <vector>

#include "store/sqlite_file/btree.hpp"
#include "table/schema.hpp"
#include "table/table_writer.hpp"

namespace marquee::store::sqlite_file {

struct ColumnSpec {
  std::string name;
  std::string declared_type;
  bool not_null = false;
};

struct IndexSpec {
  std::string name;
  std::string sql;  // CREATE [UNIQUE] INDEX ..., as sqlite_schema keeps it
  std::vector<std::string> columns;
  std::vector<bool> nocase;  // per column: COLLATE NOCASE (else BINARY)
  bool unique = false;
};

// One table. Its stored columns (a generated VIRTUAL column, which no
// record holds, appears only in `sql`); `primary_key` non-empty makes it a
// WITHOUT ROWID table clustered on those columns.
struct TableSpec {
  std::string name;
  std::string sql;  // CREATE TABLE ..., as sqlite_schema keeps it
  std::vector<ColumnSpec> columns;
  std::vector<std::string> primary_key;
  std::vector<IndexSpec> indexes;
};

struct WriterOptions {
  std::uint32_t page_size = 16384;
  // Per sorter (one per index and per WITHOUT ROWID table being written).
  // 64 MiB saved no CPU at 100x real-shaped and took 110 MB more at peak.
  std::size_t sort_memory = 32u << 20;
  // The largest row, in bytes: SQLite's SQLITE_MAX_LENGTH, past which it
  // would neither store nor read one.
  std::size_t max_row = 1'000'000'000;
};

class DatabaseWriter {
 public:
  // Creates (truncates) `path`. Throws DatabaseError.
  DatabaseWriter(const std::filesystem::path& path, WriterOptions options = {});

  // A writer of `table`'s rows with the columns of `schema` (by name, each
  // a column of the table; the table's other columns are NULL). Rows are
  // checked as SQLite would: NOT NULL, primary keys and UNIQUE indexes
  // (DatabaseError naming the table and row). Different tables may be
  // written on different threads at once; the table's trees are built by
  // its finish().
  std::unique_ptr<table::TableWriter> open(const TableSpec& table, const table::Schema& schema);

  // Creates, empty, every table of `tables` never opened, then writes the
  // schema (in this order) and the header. The file is complete but not
  // synced. Throws DatabaseError, also for a table opened but not finished
  // (its writer failed or was dropped): never an empty table in its place.
  void finish(std::span<const TableSpec> tables);

  // Makes every table writer still writing rows throw (DatabaseError) at
  // its next few thousand rows: another thread's table failed, and the file
  // will be removed, so the rest of the work is wasted.
  void abandon() { abandoned_ = true; }
  bool abandoned() const { return abandoned_; }

  // Called by a table's writer when its trees are complete.
  void add_roots(const std::string& table, std::uint32_t root, std::map<std::string, std::uint32_t> indexes);

 private:
  WriterOptions options_;
  PageFile file_;
  std::mutex mutex_;
  std::map<std::string, std::pair<std::uint32_t, std::map<std::string, std::uint32_t>>> roots_;
  std::set<std::string> opened_;
  std::atomic<bool> abandoned_{false};
};

}  // namespace marquee::store::sqlite_file

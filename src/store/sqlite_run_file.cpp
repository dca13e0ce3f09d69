#include "store/sqlite_run_file.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <exception>
#include <mutex>
#include <thread>
#include <cstdlib>
#include <system_error>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/atomic_file.hpp"
#include "common/path_guard.hpp"
#include "store/sqlite_file/database_writer.hpp"
#include "store/value_text.hpp"

namespace marquee::store {
namespace {

using detail::quote_identifier;

std::int64_t number(const std::optional<std::string>& cell) { return cell ? std::stoll(*cell) : 0; }

// One column of the main table, as CREATE TABLE declares it in the run file.
std::string column_definition(const std::vector<std::optional<std::string>>& row) {
  const std::string type = row[1].value_or("");
  return fmt::format("{} {}{}", quote_identifier(row[0].value_or("")), type, number(row[2]) != 0 ? " NOT NULL" : "");
}

struct IndexColumn {
  std::string name;
  bool nocase = false;
};

// The key columns of index `index` of the main database, run_id left out.
// The run-file writer sorts by BINARY or NOCASE, ascending; other indexes
// are refused by name rather than built in the wrong order.
std::vector<IndexColumn> index_columns(Connection& main, const std::string& index, const std::string& table) {
  const Param name[] = {index};
  const Result r = main.query(
      "SELECT name, coll, \"desc\" FROM pragma_index_xinfo($1) WHERE key = 1 ORDER BY seqno", name);
  std::vector<IndexColumn> columns;
  for (const auto& row : r.rows) {
    if (!row[0]) {
      throw DatabaseError(fmt::format("sqlite {}: index {} of {} is on an expression, which a run file "
                                      "cannot copy",
                                      main.target(), index, table));
    }
    if (*row[0] == "run_id") continue;
    const std::string collation = row[1].value_or("BINARY");
    if ((collation != "BINARY" && collation != "NOCASE") || number(row[2]) != 0) {
      throw DatabaseError(fmt::format("sqlite {}: index {} of {} sorts {} by {}{}, which a run file "
                                      "cannot build (BINARY or NOCASE, ascending)",
                                      main.target(), index, table, *row[0], collation,
                                      number(row[2]) != 0 ? " DESC" : ""));
    }
    columns.push_back({*row[0], collation == "NOCASE"});
  }
  return columns;
}

std::string index_sql(const std::string& index, const std::string& table, const std::vector<IndexColumn>& columns,
                      bool unique) {
  std::vector<std::string> keys;
  for (const IndexColumn& c : columns) keys.push_back(quote_identifier(c.name) + (c.nocase ? " COLLATE NOCASE" : ""));
  return fmt::format("CREATE {}INDEX {} ON {} ({})", unique ? "UNIQUE " : "", quote_identifier(index),
                     quote_identifier(table), fmt::join(keys, ", "));
}

sqlite_file::IndexSpec index_spec(const std::string& index, const std::string& table,
                                  const std::vector<IndexColumn>& columns, bool unique) {
  sqlite_file::IndexSpec out{index, index_sql(index, table, columns, unique), {}, {}, unique};
  for (const IndexColumn& c : columns) {
    out.columns.push_back(c.name);
    out.nocase.push_back(c.nocase);
  }
  return out;
}

sqlite_file::TableSpec make_table(Connection& main, const std::string& table, std::string_view run_id) {
  const Param name[] = {table};
  const Result columns =
      main.query("SELECT name, type, \"notnull\", pk FROM pragma_table_info($1) ORDER BY cid", name);
  if (columns.rows.empty()) {
    throw DatabaseError(fmt::format("sqlite {}: no table {}; run `marquee migrate`", main.target(), table));
  }
  sqlite_file::TableSpec out;
  out.name = table;
  std::vector<std::string> definitions;
  std::string generated;
  std::map<std::int64_t, std::string> key;  // by position in the primary key
  for (const auto& row : columns.rows) {
    const std::string column = row[0].value_or("");
    if (column == "run_id") {
      // Stored nowhere (see the header); run_id is validated
      // ([A-Za-z0-9_.-]), so it can be a literal.
      generated = fmt::format("run_id {} GENERATED ALWAYS AS ('{}') VIRTUAL", row[1].value_or("TEXT"), run_id);
      continue;
    }
    definitions.push_back(column_definition(row));
    out.columns.push_back({column, row[1].value_or(""), number(row[2]) != 0});
    if (number(row[3]) > 0) key[number(row[3])] = column;
  }
  // run_id last among the columns, where the shared tables' queries and the
  // schema check expect it.
  if (!generated.empty()) definitions.push_back(generated);
  std::vector<std::string> key_columns;
  for (auto& [position, column] : key) key_columns.push_back(column);
  // A composite key becomes the table itself (WITHOUT ROWID): no second
  // structure to build. A one-column key (movie, company, ...) stays a
  // unique index over a rowid table, so that the table's rows are written in
  // the order they come, unsorted.
  if (key_columns.size() > 1) {
    std::vector<std::string> quoted;
    for (const std::string& c : key_columns) quoted.push_back(quote_identifier(c));
    definitions.push_back(fmt::format("PRIMARY KEY ({})", fmt::join(quoted, ", ")));
    out.sql = fmt::format("CREATE TABLE {} ({}) WITHOUT ROWID", quote_identifier(table),
                               fmt::join(definitions, ", "));
    out.primary_key = key_columns;
  } else {
    out.sql = fmt::format("CREATE TABLE {} ({})", quote_identifier(table), fmt::join(definitions, ", "));
    if (!key_columns.empty()) {
      out.indexes.push_back(index_spec(table + ":key", table, {{key_columns.front(), false}}, true));
    }
  }
  const Result indexes = main.query("SELECT name, \"unique\" FROM pragma_index_list($1) WHERE origin = 'c'", name);
  for (const auto& row : indexes.rows) {
    const std::string index = row[0].value_or("");
    const auto index_keys = index_columns(main, index, table);
    if (index_keys.empty()) continue;
    out.indexes.push_back(index_spec(index, table, index_keys, number(row[1]) != 0));
  }
  return out;
}

// The pages were written without syncs, so nothing reached the disk for sure:
// the file must be durable before the rename that makes it a run.
void sync_file(const std::filesystem::path& path) {
  try {
    fsync_file(path);
  } catch (const std::system_error& e) {
    throw DatabaseError(fmt::format("cannot sync run file {}: {}", path.string(), e.what()));
  }
}

}  // namespace

bool runs_have_storage(Connection& db) {
  return !db.query("SELECT 1 FROM pragma_table_info('runs') WHERE name = 'storage'").rows.empty();
}

std::filesystem::path sqlite_runs_directory(const std::filesystem::path& database) {
  return database.parent_path() / (database.filename().string() + ".runs");
}

std::filesystem::path sqlite_run_file(const std::filesystem::path& database, std::string_view run_id) {
  return sqlite_runs_directory(database) / (std::string(run_id) + ".sqlite");
}

bool is_orphan_run_file(const std::string& file_name, const std::set<std::string>& live) {
  constexpr std::string_view kSuffix = ".sqlite";
  constexpr std::string_view kLoading = ".sqlite.loading-";
  if (const auto at = file_name.find(kLoading); at != std::string::npos) {
    std::string pid_text = file_name.substr(at + kLoading.size());
    // ".part": the second file of a load by an older Marquee (two SQLite writers).
    if (pid_text.ends_with(".part")) pid_text.resize(pid_text.size() - 5);
    if (pid_text.empty() || pid_text.find_first_not_of("0123456789") != std::string::npos) return false;
    const long pid = std::strtol(pid_text.c_str(), nullptr, 10);
    return pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
  }
  if (!file_name.ends_with(kSuffix)) return false;
  const std::string run_id = file_name.substr(0, file_name.size() - kSuffix.size());
  return valid_run_id(run_id) && !live.contains(run_id);
}

RunFileSchema run_file_schema(Connection& main, std::span<const table::Schema* const> tables,
                              std::string_view run_id) {
  if (!valid_run_id(run_id)) throw DatabaseError(fmt::format("'{}' is not a valid run id", run_id));
  RunFileSchema out;
  for (const table::Schema* schema : tables) out.tables.push_back(make_table(main, schema->name, run_id));
  return out;
}

namespace {

const sqlite_file::TableSpec& table_of(const RunFileSchema& schema, const std::string& name) {
  for (const sqlite_file::TableSpec& t : schema.tables) {
    if (t.name == name) return t;
  }
  throw DatabaseError(fmt::format("a run file has no table {}", name));
}

// The tables in the order two threads should take them, the costliest
// first, each thread taking the next as it finishes one (longest first:
// the two finish close together). A table's weight is its cost (about its
// rows) times its width plus its sorts: the movie table's many columns
// against the bridge tables' key and index sorts (measured at 100x
// real-shaped). Tables without a cost count as cheap.
std::vector<const TableData*> schedule(const RunFileSchema& schema, std::span<const TableData> data) {
  std::vector<std::pair<std::uint64_t, const TableData*>> weighted;
  for (const TableData& t : data) {
    const sqlite_file::TableSpec& spec = table_of(schema, t.schema->name);
    const std::uint64_t sorts = spec.indexes.size() + (spec.primary_key.empty() ? 0 : 1);
    weighted.emplace_back(std::max<std::uint64_t>(t.cost, 1) * (t.schema->columns.size() + 2 * sorts), &t);
  }
  std::stable_sort(weighted.begin(), weighted.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<const TableData*> order;
  for (const auto& [weight, t] : weighted) order.push_back(t);
  return order;
}

// Takes tables from `order` until none is left; rows written per table.
void build_tables(sqlite_file::DatabaseWriter& writer, const RunFileSchema& schema,
                  const std::vector<const TableData*>& order, std::atomic<std::size_t>& next,
                  std::map<std::string, std::uint64_t>& rows, std::mutex& rows_mutex) {
  for (std::size_t i = next++; i < order.size(); i = next++) {
    const TableData* table = order[i];
    auto loader = writer.open(table_of(schema, table->schema->name), *table->schema);
    table->write_rows(*loader);
    loader->finish();
    const std::lock_guard lock(rows_mutex);
    rows[table->schema->name] = loader->rows_written();
  }
}

}  // namespace

// Written by Marquee's own writer (sqlite_file/), not through SQLite's
// inserts: a run file is written once, so its B-trees can be built bottom-up
// from sorted rows, page by page, where SQLite searched and split its trees
// for every row and spent most of a load doing so (docs/BENCHMARKS.md). Two
// threads take the tables in turn (schedule()), writing into the same file.
std::map<std::string, std::uint64_t> build_sqlite_run_file(const std::filesystem::path& path,
                                                          const RunFileSchema& schema,
                                                          std::span<const TableData> data) {
  std::filesystem::remove(path);
  const auto order = schedule(schema, data);
  std::atomic<std::size_t> next{0};
  std::map<std::string, std::uint64_t> rows;
  std::mutex rows_mutex;
  {
    sqlite_file::DatabaseWriter writer(path);
    // The first thread to fail stops the other (its error is then only that
    // it was abandoned), and its error is the one reported.
    std::exception_ptr failure;
    std::atomic<bool> helper_failed_first{false};
    std::atomic<bool> someone_failed{false};
    const auto stop_the_other = [&] {
      next = order.size();
      writer.abandon();
    };
    std::thread helper([&] {
      try {
        build_tables(writer, schema, order, next, rows, rows_mutex);
      } catch (...) {
        failure = std::current_exception();
        if (!someone_failed.exchange(true)) helper_failed_first = true;
        stop_the_other();
      }
    });
    try {
      build_tables(writer, schema, order, next, rows, rows_mutex);
    } catch (...) {
      someone_failed.exchange(true);
      stop_the_other();
      helper.join();
      if (helper_failed_first) std::rethrow_exception(failure);
      throw;
    }
    helper.join();
    if (failure) std::rethrow_exception(failure);
    writer.finish(schema.tables);  // tables no data came for (a run without ratings): present and empty
  }
  sync_file(path);
  return rows;
}

}  // namespace marquee::store

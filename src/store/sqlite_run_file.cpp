#include "store/sqlite_run_file.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <array>
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

// The key columns of index `index` of the main database, run_id left out.
std::vector<std::string> index_columns(Connection& main, const std::string& index, const std::string& table) {
  const Param name[] = {index};
  const Result r = main.query(
      "SELECT name, coll, \"desc\" FROM pragma_index_xinfo($1) WHERE key = 1 ORDER BY seqno", name);
  std::vector<std::string> columns;
  for (const auto& row : r.rows) {
    if (!row[0]) {
      throw DatabaseError(fmt::format("sqlite {}: index {} of {} is on an expression, which a run file "
                                      "cannot copy",
                                      main.target(), index, table));
    }
    if (*row[0] == "run_id") continue;
    std::string column = quote_identifier(*row[0]);
    if (row[1] && *row[1] != "BINARY") column += " COLLATE " + quote_identifier(*row[1]);
    if (number(row[2]) != 0) column += " DESC";
    columns.push_back(std::move(column));
  }
  return columns;
}

RunFileTable make_table(Connection& main, const std::string& table, std::string_view run_id) {
  const Param name[] = {table};
  const Result columns =
      main.query("SELECT name, type, \"notnull\", pk FROM pragma_table_info($1) ORDER BY cid", name);
  if (columns.rows.empty()) {
    throw DatabaseError(fmt::format("sqlite {}: no table {}; run `marquee migrate`", main.target(), table));
  }
  RunFileTable out{table, {}, {}, {}};
  std::vector<std::string> definitions;
  std::map<std::int64_t, std::string> key;  // by position in the primary key
  for (const auto& row : columns.rows) {
    if (row[0] == "run_id") {
      // Added last (see the header); run_id is validated ([A-Za-z0-9_.-]),
      // so it can be a literal.
      out.add_run_id = fmt::format("ALTER TABLE {} ADD COLUMN run_id {} GENERATED ALWAYS AS ('{}') VIRTUAL",
                                   quote_identifier(table), row[1].value_or("TEXT"), run_id);
      continue;
    }
    definitions.push_back(column_definition(row));
    if (number(row[3]) > 0) key[number(row[3])] = quote_identifier(row[0].value_or(""));
  }
  std::vector<std::string> key_columns;
  for (auto& [position, column] : key) key_columns.push_back(column);
  // A composite key becomes the table itself (WITHOUT ROWID): no second
  // structure to build, and most of these tables arrive in key order. A
  // one-column key (movie, company, ...) stays a unique index over a rowid
  // table, built after the rows, which is faster than inserting rows that
  // arrive out of id order into a table clustered by id.
  if (key_columns.size() > 1) {
    definitions.push_back(fmt::format("PRIMARY KEY ({})", fmt::join(key_columns, ", ")));
    out.create = fmt::format("CREATE TABLE {} ({}) WITHOUT ROWID", quote_identifier(table),
                             fmt::join(definitions, ", "));
  } else {
    out.create = fmt::format("CREATE TABLE {} ({})", quote_identifier(table), fmt::join(definitions, ", "));
    if (!key_columns.empty()) {
      out.indexes.push_back(fmt::format("CREATE UNIQUE INDEX {} ON {} ({})", quote_identifier(table + ":key"),
                                        quote_identifier(table), key_columns.front()));
    }
  }
  const Result indexes = main.query("SELECT name, \"unique\" FROM pragma_index_list($1) WHERE origin = 'c'", name);
  for (const auto& row : indexes.rows) {
    const std::string index = row[0].value_or("");
    const auto index_keys = index_columns(main, index, table);
    if (index_keys.empty()) continue;
    out.indexes.push_back(fmt::format("CREATE {}INDEX {} ON {} ({})", number(row[1]) != 0 ? "UNIQUE " : "",
                                      quote_identifier(index), quote_identifier(table),
                                      fmt::join(index_keys, ", ")));
  }
  return out;
}

// With no journal and synchronous=OFF nothing reached the disk for sure:
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
    if (pid_text.ends_with(".part")) pid_text.resize(pid_text.size() - 5);  // the second part being built
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

const RunFileTable& table_of(const RunFileSchema& schema, const std::string& name) {
  for (const RunFileTable& t : schema.tables) {
    if (t.name == name) return t;
  }
  throw DatabaseError(fmt::format("a run file has no table {}", name));
}

// Splits the tables in two parts of about equal cost, the costliest first
// (greedy); tables without a cost count as cheap.
std::array<std::vector<const TableData*>, 2> split(std::span<const TableData> data) {
  std::vector<const TableData*> order;
  for (const TableData& t : data) order.push_back(&t);
  std::stable_sort(order.begin(), order.end(), [](auto* a, auto* b) { return a->cost > b->cost; });
  std::array<std::vector<const TableData*>, 2> parts;
  std::array<std::uint64_t, 2> costs{0, 0};
  for (const TableData* t : order) {
    const std::size_t lighter = costs[0] <= costs[1] ? 0 : 1;
    parts[lighter].push_back(t);
    costs[lighter] += std::max<std::uint64_t>(t->cost, 1);
  }
  return parts;
}

// One part's tables, rows and indexes, inside the session's transaction.
void build_part(Connection& db, const RunFileSchema& schema, const std::vector<const TableData*>& part,
                std::map<std::string, std::uint64_t>& rows, std::mutex& rows_mutex) {
  for (const TableData* table : part) {
    const RunFileTable& ddl = table_of(schema, table->schema->name);
    db.execute(ddl.create);
    auto loader = db.bulk_loader(*table->schema, table->schema->name, "");
    table->write_rows(*loader);
    loader->finish();
    for (const std::string& create : ddl.indexes) db.execute(create);
    const std::lock_guard lock(rows_mutex);
    rows[table->schema->name] = loader->rows_written();
  }
}

}  // namespace

// Two sessions build at once, one into the run file, one into a second file
// beside it: SQLite has one writer per file, and a load's time is SQLite's.
// The second part is then copied in by `INSERT INTO t SELECT * FROM part.t`,
// which SQLite performs as a copy of the B-trees' records (its transfer
// optimization, for tables and indexes of identical definition) without
// decoding or re-sorting them: 0.7 s for the 2 million rows that took 3.2 s
// to load (100x real-shaped). That optimization does not apply to tables
// with generated columns, hence run_id is added once the rows are in.
std::map<std::string, std::uint64_t> build_sqlite_run_file(const std::filesystem::path& path,
                                                          const RunFileSchema& schema,
                                                          std::span<const TableData> data) {
  const std::filesystem::path second = path.string() + ".part";
  std::filesystem::remove(path);
  std::filesystem::remove(second);
  const PathGuard remove_second(second);  // merged in, or not needed: never kept

  const auto parts = split(data);
  std::map<std::string, std::uint64_t> rows;
  std::mutex rows_mutex;
  auto db = detail::create_sqlite_run_file(path.string());
  db->execute("BEGIN");
  {
    std::exception_ptr failure;
    std::thread helper([&] {
      try {
        const auto part_db = detail::create_sqlite_run_file(second.string());
        part_db->execute("BEGIN");
        build_part(*part_db, schema, parts[1], rows, rows_mutex);
        part_db->execute("COMMIT");
      } catch (...) {
        failure = std::current_exception();
      }
    });
    try {
      build_part(*db, schema, parts[0], rows, rows_mutex);
    } catch (...) {
      helper.join();
      throw;
    }
    helper.join();
    if (failure) std::rethrow_exception(failure);
  }
  if (!parts[1].empty()) {
    const Param file[] = {second.string()};
    db->query("ATTACH DATABASE $1 AS part", file);
    for (const TableData* table : parts[1]) {
      const RunFileTable& ddl = table_of(schema, table->schema->name);
      db->execute(ddl.create);
      for (const std::string& create : ddl.indexes) db->execute(create);
      db->execute(fmt::format("INSERT INTO main.{0} SELECT * FROM part.{0}", quote_identifier(ddl.name)));
    }
  }
  // Tables no data came for (a run without ratings): present and empty.
  for (const RunFileTable& ddl : schema.tables) {
    if (!rows.contains(ddl.name)) {
      db->execute(ddl.create);
      for (const std::string& create : ddl.indexes) db->execute(create);
    }
    if (!ddl.add_run_id.empty()) db->execute(ddl.add_run_id);
  }
  db->execute("COMMIT");
  db.reset();  // detaches the second file (not possible inside the transaction)
  sync_file(path);
  return rows;
}

}  // namespace marquee::store

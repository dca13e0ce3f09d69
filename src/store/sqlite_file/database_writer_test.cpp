// The run-file writer against SQLite itself: random tables (rowid and
// WITHOUT ROWID, NULLs, long texts that overflow, U+0000, extreme numbers,
// NOCASE and UNIQUE indexes) are written by DatabaseWriter and, row for row,
// by SQLite's own INSERTs into a second file. SQLite must then find our file
// sound (PRAGMA integrity_check: page structure, key order, every row in
// every index) and read back the same rows, with the same types, in the
// same order through every index.
#include "store/sqlite_file/database_writer.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <deque>
#include <functional>
#include <limits>
#include <random>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "store/connection.hpp"
#include "store/sqlite_file/btree.hpp"
#include "store/sqlite_file/record.hpp"
#include "store/value_text.hpp"

namespace marquee::store::sqlite_file {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() / fmt::format("marquee-sqlite-file-{}-{}", ::getpid(), counter_++);
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

// A table definition with both its SQL and its spec, and rows to write.
struct Case {
  TableSpec spec;
  table::Schema schema;
  std::vector<std::vector<table::Cell>> rows;
  std::deque<std::string> texts;  // owns the rows' strings (a deque: they never move)
};

const char* declared(table::Type type) {
  switch (type) {
    case table::Type::Int32: return "INTEGER";
    case table::Type::Int64: return "BIGINT";
    case table::Type::Double: return "REAL";
    case table::Type::Bool: return "BOOLEAN";
    case table::Type::String: return "TEXT";
    case table::Type::Date: return "DATE";
  }
  return "";
}

class Generator {
 public:
  explicit Generator(std::uint64_t seed) : rng_(seed) {}

  Case make_case(const std::string& name, bool without_rowid, std::size_t rows) {
    Case c;
    c.spec.name = name;
    c.schema.name = name;
    const std::size_t columns = 2 + pick(5);
    const table::Type kTypes[] = {table::Type::Int32, table::Type::Int64, table::Type::Double,
                                  table::Type::Bool,  table::Type::String, table::Type::Date};
    std::vector<std::string> definitions;
    for (std::size_t i = 0; i < columns; ++i) {
      // The first column or two: the key; never Double there, whose key order is tested by itself below.
      const table::Type type = i < 2 ? (pick(2) == 0 ? table::Type::Int64 : table::Type::String) : kTypes[pick(6)];
      const bool not_null = i < 2 || pick(3) == 0;
      const std::string column = fmt::format("c{}", i);
      // Integers in a REAL column too: SQLite stores them as the doubles they become.
      const std::string type_name = type == table::Type::Int64 && i >= 2 && pick(2) == 0 ? "REAL" : declared(type);
      c.schema.columns.push_back({column, type, !not_null});
      c.spec.columns.push_back({column, type_name, not_null});
      definitions.push_back(fmt::format("\"{}\" {}{}", column, type_name, not_null ? " NOT NULL" : ""));
    }
    definitions.push_back("run_id TEXT GENERATED ALWAYS AS ('r1') VIRTUAL");
    if (without_rowid) {
      c.spec.primary_key = {"c0", "c1"};
      definitions.push_back("PRIMARY KEY (\"c0\", \"c1\")");
    }
    c.spec.sql = fmt::format("CREATE TABLE \"{}\" ({}){}", name, fmt::join(definitions, ", "),
                             without_rowid ? " WITHOUT ROWID" : "");
    add_index(c, name + "_u", {"c0"}, {false}, !without_rowid);
    const std::string last = fmt::format("c{}", columns - 1);
    const bool text = c.schema.columns.back().type == table::Type::String;
    add_index(c, name + "_x", {last, "c0"}, {text && pick(2) == 0, false}, false);
    add_index(c, name + "_y", {"c1"}, {c.schema.columns[1].type == table::Type::String, false}, false);
    std::set<std::string> keys;
    while (c.rows.size() < rows) {
      std::vector<table::Cell> row;
      for (const table::Column& column : c.schema.columns) row.push_back(value(c, column));
      // Keys unique, as the UNIQUE index and the primary key require (by
      // their own collation: c0 is BINARY).
      const std::string key = fmt::format("{}", cell_text(row[0]));
      if (!keys.insert(key).second) continue;
      c.rows.push_back(std::move(row));
    }
    return c;
  }

  std::size_t pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }

 private:
  static std::string cell_text(const table::Cell& cell) {
    // As stored: U+0000 becomes U+FFFD, so "\0" and "\uFFFD" are one key.
    if (const auto* s = std::get_if<std::string_view>(&cell)) return "s" + detail::without_nul(*s);
    if (const auto* i = std::get_if<std::int64_t>(&cell)) return fmt::format("i{}", *i);
    return "?";
  }

  void add_index(Case& c, const std::string& name, std::vector<std::string> columns, std::vector<bool> nocase,
                 bool unique) {
    std::vector<std::string> keys;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      keys.push_back(fmt::format("\"{}\"{}", columns[i], nocase[i] ? " COLLATE NOCASE" : ""));
    }
    c.spec.indexes.push_back({name,
                              fmt::format("CREATE {}INDEX \"{}\" ON \"{}\" ({})", unique ? "UNIQUE " : "", name,
                                          c.spec.name, fmt::join(keys, ", ")),
                              columns, nocase, unique});
  }

  table::Cell value(Case& c, const table::Column& column) {
    if (column.nullable && pick(6) == 0) return table::Null{};
    switch (column.type) {
      case table::Type::Int32: return static_cast<std::int32_t>(integer());
      case table::Type::Int64: return integer();
      case table::Type::Bool: return pick(2) == 0;
      case table::Type::Date: {
        // Years before 0, before 1000 and after 9999 too: the writer formats dates itself.
        static const std::int32_t kSpecial[] = {std::numeric_limits<std::int32_t>::min(),
                                                std::numeric_limits<std::int32_t>::max(), -800000, -719469,
                                                -719468, -365000, -1, 0, 2932896};
        if (pick(4) == 0) return kSpecial[pick(std::size(kSpecial))];
        return static_cast<std::int32_t>(pick(200000)) - 100000;
      }
      case table::Type::Double: {
        static const double kSpecial[] = {0.0, -0.0, 1.0, -1.0, 3.0, 1e300, -1e-300, 0.5, 9007199254740993.0,
                                          9223372036854775807.0, -9223372036854775808.0,
                                          std::numeric_limits<double>::infinity(),
                                          std::numeric_limits<double>::quiet_NaN()};
        if (pick(3) == 0) {
          const double v = kSpecial[pick(std::size(kSpecial))];
          if (std::isnan(v) && !column.nullable) return 2.5;
          return v;
        }
        return std::uniform_real_distribution<double>(-1e6, 1e6)(rng_);
      }
      case table::Type::String: {
        c.texts.push_back(text());
        return std::string_view(c.texts.back());
      }
    }
    return table::Null{};
  }

  std::int64_t integer() {
    static const std::int64_t kSpecial[] = {0, 1, -1, 127, 128, -128, -129, 32767, 32768, 8388607, 8388608,
                                            2147483647, 2147483648LL, 140737488355327LL, 140737488355328LL,
                                            std::numeric_limits<std::int64_t>::max(),
                                            std::numeric_limits<std::int64_t>::min()};
    if (pick(3) == 0) return kSpecial[pick(std::size(kSpecial))];
    return static_cast<std::int64_t>(rng_()) >> pick(64);
  }

  std::string text() {
    static const std::string kPieces[] = {"a", "A", "b", "B", "z", "Z", "é", "\xF0\x9F\x8E\xAC", " ",
                                          std::string(1, '\0'), "_", "~"};
    std::size_t length = pick(12);
    if (pick(40) == 0) length = 200 + pick(5000);  // past a page: overflow pages
    std::string out;
    for (std::size_t i = 0; i < length; ++i) out += kPieces[pick(std::size(kPieces))];
    return out;
  }

  std::mt19937_64 rng_;
};

// Writes the rows through `loader`.
void write(table::TableWriter& loader, const Case& c) {
  for (const auto& row : c.rows) loader.write_row(row);
  loader.finish();
}

// SQLite's own build of the same tables: CREATE, then INSERT (Marquee's
// SQLite loader, which binds each cell), then the indexes.
void build_with_sqlite(const fs::path& path, const std::vector<const Case*>& cases) {
  auto db = detail::create_sqlite_run_file(path.string());
  db->execute("BEGIN");
  for (const Case* p : cases) {
    const Case& c = *p;
    db->execute(c.spec.sql);
    write(*db->bulk_loader(c.schema, c.spec.name, ""), c);
    for (const IndexSpec& index : c.spec.indexes) db->execute(index.sql);
  }
  db->execute("COMMIT");
}

void build_with_writer(const fs::path& path, const std::vector<const Case*>& cases, WriterOptions options) {
  DatabaseWriter writer(path, options);
  for (const Case* c : cases) write(*writer.open(c->spec, c->schema), *c);
  std::vector<TableSpec> specs;
  for (const Case* c : cases) specs.push_back(c->spec);
  writer.finish(specs);
}

std::vector<std::string> lines(Connection& db, const std::string& sql) {
  std::vector<std::string> out;
  for (const auto& row : db.query(sql).rows) {
    std::string line;
    for (const auto& cell : row) line += (cell ? *cell : "<null>") + "|";
    out.push_back(line);
  }
  return out;
}

// Every value with its type, in the table's own order (rowid or key), and
// every index walked in its order.
std::vector<std::vector<std::string>> contents(const fs::path& path, const std::vector<const Case*>& cases) {
  auto db = detail::connect_sqlite(path.string());
  std::vector<std::vector<std::string>> out;
  for (const Case* p : cases) {
    const Case& c = *p;
    std::vector<std::string> values;
    for (const auto& column : c.spec.columns) {
      values.push_back(fmt::format("quote(\"{0}\") || ':' || typeof(\"{0}\")", column.name));
    }
    const bool rowid = c.spec.primary_key.empty();
    out.push_back(lines(*db, fmt::format("SELECT {}{}, run_id FROM \"{}\"", rowid ? "rowid, " : "",
                                         fmt::join(values, ", "), c.spec.name)));
    for (const IndexSpec& index : c.spec.indexes) {
      std::vector<std::string> keys;
      for (std::size_t i = 0; i < index.columns.size(); ++i) {
        keys.push_back(fmt::format("\"{}\"{}", index.columns[i], index.nocase[i] ? " COLLATE NOCASE" : ""));
      }
      // INDEXED BY: the rows come from walking that index, in its order.
      out.push_back(lines(*db, fmt::format("SELECT {}{} FROM \"{}\" INDEXED BY \"{}\" ORDER BY {}",
                                           rowid ? "rowid, " : "", fmt::join(values, ", "), c.spec.name,
                                           index.name, fmt::join(keys, ", "))));
    }
  }
  return out;
}

std::string integrity(const fs::path& path) {
  auto db = detail::connect_sqlite(path.string());
  std::string out;
  for (const auto& row : db->query("PRAGMA integrity_check").rows) out += row.at(0).value_or("") + "\n";
  return out;
}

struct Shape {
  std::uint32_t page_size;
  std::size_t rows;
  std::size_t sort_memory;
};

class DatabaseWriterTest : public testing::TestWithParam<Shape> {};

TEST_P(DatabaseWriterTest, SqliteReadsBackWhatItWouldHaveWrittenItself) {
  const Shape shape = GetParam();
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    SCOPED_TRACE(fmt::format("seed {}", seed));
    TempDir dir;
    Generator generator(seed * 7919 + shape.page_size);
    // Never copied (the rows point into each case's texts), and a vector
    // copies on growth what it cannot move without throwing: reserved.
    std::vector<Case> cases;
    cases.reserve(4);
    cases.push_back(generator.make_case("plain", false, shape.rows));
    cases.push_back(generator.make_case("clustered", true, shape.rows));
    cases.push_back(generator.make_case("empty", false, 0));
    cases.push_back(generator.make_case("one", true, 1));
    // One file per table as well as all in one: small pages hold little schema.
    std::vector<std::vector<const Case*>> files = {{}};
    for (const Case& c : cases) {
      files.front().push_back(&c);
      if (shape.page_size < 16384) files.push_back({&c});
    }
    if (shape.page_size < 16384) files.erase(files.begin());
    for (std::size_t f = 0; f < files.size(); ++f) {
      const fs::path theirs = dir.path() / fmt::format("sqlite{}.db", f);
      const fs::path ours = dir.path() / fmt::format("ours{}.db", f);
      build_with_sqlite(theirs, files[f]);
      build_with_writer(ours, files[f], {shape.page_size, shape.sort_memory});
      EXPECT_EQ(integrity(ours), "ok\n");
      const auto expected = contents(theirs, files[f]);
      const auto actual = contents(ours, files[f]);
      ASSERT_EQ(actual.size(), expected.size());
      for (std::size_t i = 0; i < expected.size(); ++i) {
        ASSERT_EQ(actual[i].size(), expected[i].size()) << "file " << f << " result " << i;
        for (std::size_t j = 0; j < expected[i].size(); ++j) {
          ASSERT_EQ(actual[i][j], expected[i][j]) << "file " << f << " result " << i << " line " << j;
        }
      }
    }
  }
}

// 1024-byte pages: deep trees and overflow on every long text; a tiny sort
// budget: many spilled runs merged. 16384 with 12,000 rows: large sorts in
// memory, with keys equal in their first 16 bytes. 65536: the largest page,
// whose empty content area is written as 0.
INSTANTIATE_TEST_SUITE_P(Shapes, DatabaseWriterTest,
                         testing::Values(Shape{1024, 3000, 4096}, Shape{2048, 2000, 1 << 20},
                                         Shape{4096, 5000, 64 << 10}, Shape{16384, 12000, 32 << 20},
                                         Shape{65536, 3000, 32 << 20}),
                         [](const auto& info) { return fmt::format("page{}", info.param.page_size); });

// The message of the DatabaseError that `action` throws, or "no error".
std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const DatabaseError& e) {
    return e.what();
  }
  return "no error";
}

TEST(DatabaseWriter, ADuplicateKeyIsRefusedNamingTheTableAndKey) {
  for (const bool without_rowid : {false, true}) {
    TempDir dir;
    Generator generator(5);
    Case c = generator.make_case("t", without_rowid, 50);
    c.rows.push_back(c.rows[17]);
    DatabaseWriter writer(dir.path() / "ours.db", {1024, 1 << 20});
    auto loader = writer.open(c.spec, c.schema);
    const std::string what = error_of([&] { write(*loader, c); });
    EXPECT_NE(what.find("UNIQUE constraint failed"), std::string::npos) << what;
    EXPECT_NE(what.find(without_rowid ? "PRIMARY KEY (c0, c1)" : "index t_u (c0)"), std::string::npos) << what;
  }
}

TEST(DatabaseWriter, ANullInANotNullColumnIsRefusedNamingTheRowAndColumn) {
  TempDir dir;
  Generator generator(6);
  Case c = generator.make_case("t", false, 10);
  c.schema.columns[0].nullable = true;  // the writer's own check, not check_row's
  c.rows[4][0] = table::Null{};
  DatabaseWriter writer(dir.path() / "ours.db", {1024, 1 << 20});
  auto loader = writer.open(c.spec, c.schema);
  const std::string what = error_of([&] { write(*loader, c); });
  EXPECT_NE(what.find("loading t row 5: NOT NULL constraint failed: t.c0"), std::string::npos) << what;
}

TEST(DatabaseWriter, ANotNullColumnTheRowsDoNotHaveIsRefused) {
  TempDir dir;
  TableSpec spec{"t", "CREATE TABLE t (a INTEGER, b TEXT NOT NULL)", {{"a", "INTEGER", false}, {"b", "TEXT", true}},
                 {}, {}};
  const table::Schema schema{"t", {{"a", table::Type::Int64, false}}};  // no b: NULL in every row
  DatabaseWriter writer(dir.path() / "ours.db");
  auto loader = writer.open(spec, schema);
  const table::Cell row[] = {std::int64_t{1}};
  EXPECT_NE(error_of([&] { loader->write_row(row); }).find("loading t row 1: NOT NULL constraint failed: t.b"),
            std::string::npos);
  // And the table, missing that row, is never finished as if complete.
  EXPECT_NE(error_of([&] { loader->finish(); }).find("finished after it failed"), std::string::npos);
}

TEST(DatabaseWriter, ARowOverSqlitesLengthLimitIsRefusedNamingIt) {
  TempDir dir;
  TableSpec spec{"t", "CREATE TABLE t (s TEXT)", {{"s", "TEXT", false}}, {}, {}};
  const table::Schema schema{"t", {{"s", table::Type::String, false}}};
  WriterOptions options;
  options.max_row = 1000;  // the default, SQLite's 10^9 bytes, is too large to test
  DatabaseWriter writer(dir.path() / "ours.db", options);
  auto loader = writer.open(spec, schema);
  const std::string fits(990, 'x');
  const std::string over(1000, 'x');
  const table::Cell first[] = {std::string_view(fits)};
  loader->write_row(first);
  const table::Cell second[] = {std::string_view(over)};
  const std::string what = error_of([&] { loader->write_row(second); });
  EXPECT_NE(what.find("loading t row 2: the row takes 1003 bytes, over SQLite's limit of 1000"), std::string::npos)
      << what;
}

TEST(DatabaseWriter, AnIntegerInARealColumnIsTheDoubleItBecomesForUniqueness) {
  TempDir dir;
  TableSpec spec{"t",
                 "CREATE TABLE t (x REAL)",
                 {{"x", "REAL", false}},
                 {},
                 {{"t_x", "CREATE UNIQUE INDEX t_x ON t (x)", {"x"}, {false}, true}}};
  const table::Schema schema{"t", {{"x", table::Type::Int64, false}}};
  DatabaseWriter writer(dir.path() / "ours.db");
  auto loader = writer.open(spec, schema);
  // Two integers, one double: SQLite's own load fails on this UNIQUE index.
  const table::Cell first[] = {std::int64_t{9007199254740993}};
  const table::Cell second[] = {std::int64_t{9007199254740992}};
  loader->write_row(first);
  loader->write_row(second);
  EXPECT_THROW(loader->finish(), DatabaseError);
}

TEST(DatabaseWriter, ATableNoDataCameForIsCreatedEmptyWithItsIndexes) {
  TempDir dir;
  const TableSpec spec{"c",
                       "CREATE TABLE c (id INTEGER NOT NULL, name TEXT NOT NULL)",
                       {{"id", "INTEGER", true}, {"name", "TEXT", true}},
                       {},
                       {{"c_name", "CREATE INDEX c_name ON c (name COLLATE NOCASE)", {"name"}, {true}, false}}};
  {
    DatabaseWriter writer(dir.path() / "ours.db");
    writer.finish(std::span(&spec, 1));
  }
  EXPECT_EQ(integrity(dir.path() / "ours.db"), "ok\n");
  auto db = detail::connect_sqlite((dir.path() / "ours.db").string());
  EXPECT_EQ(db->query("SELECT count(*) FROM c INDEXED BY c_name WHERE name = 'x'").rows.at(0).at(0), "0");
}

TEST(DatabaseWriter, TwoThreadsWriteTheirTablesIntoOneFile) {
  TempDir dir;
  Generator generator(8);
  std::vector<Case> cases;
  cases.reserve(4);
  for (const char* name : {"a", "b", "c", "d"}) cases.push_back(generator.make_case(name, name[0] % 2 == 0, 4000));
  std::vector<const Case*> all;
  for (const Case& c : cases) all.push_back(&c);
  build_with_sqlite(dir.path() / "sqlite.db", all);
  {
    DatabaseWriter writer(dir.path() / "ours.db", {4096, 64 << 10});
    std::thread other([&] {
      write(*writer.open(cases[1].spec, cases[1].schema), cases[1]);
      write(*writer.open(cases[3].spec, cases[3].schema), cases[3]);
    });
    write(*writer.open(cases[0].spec, cases[0].schema), cases[0]);
    write(*writer.open(cases[2].spec, cases[2].schema), cases[2]);
    other.join();
    std::vector<TableSpec> specs;
    for (const Case& c : cases) specs.push_back(c.spec);
    writer.finish(specs);
  }
  EXPECT_EQ(integrity(dir.path() / "ours.db"), "ok\n");
  EXPECT_EQ(contents(dir.path() / "ours.db", all), contents(dir.path() / "sqlite.db", all));
}

TEST(DatabaseWriter, ATableThatFailedIsNeverCompletedEmpty) {
  TempDir dir;
  Generator generator(9);
  Case c = generator.make_case("t", true, 20);
  c.rows.push_back(c.rows[3]);  // a duplicate key: its finish() fails
  DatabaseWriter writer(dir.path() / "ours.db", {1024, 1 << 20});
  auto loader = writer.open(c.spec, c.schema);
  EXPECT_THROW(write(*loader, c), DatabaseError);
  EXPECT_NE(error_of([&] { loader->finish(); }).find("finished after it failed"), std::string::npos);
  EXPECT_NE(error_of([&] { writer.finish(std::span(&c.spec, 1)); }).find("table t was opened but never finished"),
            std::string::npos);
}

TEST(DatabaseWriter, AnAbandonedWriterStopsWithinAFewThousandRows) {
  TempDir dir;
  Generator generator(10);
  Case c = generator.make_case("t", false, 10000);
  DatabaseWriter writer(dir.path() / "ours.db", {4096, 1 << 20});
  auto loader = writer.open(c.spec, c.schema);
  writer.abandon();
  std::size_t written = 0;
  const std::string what = error_of([&] {
    for (const auto& row : c.rows) {
      loader->write_row(row);
      ++written;
    }
  });
  EXPECT_NE(what.find("abandoned"), std::string::npos) << what;
  EXPECT_LT(written, 4096u);
}

TEST(DatabaseWriter, AConversionSqliteWouldMakeIsRefusedUpFront) {
  TempDir dir;
  TableSpec spec{"t", "CREATE TABLE t (n INTEGER)", {{"n", "INTEGER", false}}, {}, {}};
  const table::Schema schema{"t", {{"n", table::Type::String, true}}};
  DatabaseWriter writer(dir.path() / "ours.db");
  EXPECT_THROW(writer.open(spec, schema), DatabaseError);  // SQLite would turn '12' into 12
}

// Found at 1000x real-shaped: a 3.8 GB run file put a leaf on page 65537,
// which holds byte 2^30 at 16 KiB pages, and SQLite's integrity_check
// reported a "2nd reference to page 65537". Unit-tested here: a file that
// reaches the page takes over a GiB.
TEST(PageFile, NoPageIsTheLockBytePage) {
  TempDir dir;
  for (const std::uint32_t page_size : {512u, 16384u, 65536u}) {
    PageFile file(dir.path() / "pages.db", page_size);
    const std::uint32_t lock = (1u << 30) / page_size + 1;
    EXPECT_EQ(file.lock_byte_page(), lock);
    std::uint32_t last = 0;
    while (last < lock + 2) {
      const std::uint32_t number = file.allocate();
      ASSERT_NE(number, lock) << "page size " << page_size;
      ASSERT_GT(number, last);
      last = number;
    }
    EXPECT_EQ(file.page_count(), last);  // the lock-byte page counted, as the file holds it
  }
}

TEST(SqliteRecord, VarintsAreSqlitesBigEndianSevenBitGroups) {
  const auto bytes = [](std::uint64_t v) {
    std::string out;
    put_varint(out, v);
    EXPECT_EQ(out.size(), varint_size(v));
    std::string hex;
    for (const char c : out) hex += fmt::format("{:02x}", static_cast<unsigned char>(c));
    return hex;
  };
  EXPECT_EQ(bytes(0), "00");
  EXPECT_EQ(bytes(127), "7f");
  EXPECT_EQ(bytes(128), "8100");
  EXPECT_EQ(bytes(16383), "ff7f");
  EXPECT_EQ(bytes(16384), "818000");
  EXPECT_EQ(bytes(0x00ffffffffffffffULL), "ffffffffffffff7f");
  EXPECT_EQ(bytes(0x0100000000000000ULL), "80c0808080808080" "00");  // nine bytes: the last holds 8 bits
  EXPECT_EQ(bytes(~0ULL), "ffffffffffffffffff");
}

TEST(SqliteRecord, DeclaredTypesGetSqlitesAffinities) {
  EXPECT_EQ(affinity_of("INTEGER"), Affinity::Integer);
  EXPECT_EQ(affinity_of("bigint"), Affinity::Integer);
  EXPECT_EQ(affinity_of("VARCHAR(10)"), Affinity::Text);
  EXPECT_EQ(affinity_of(""), Affinity::Blob);
  EXPECT_EQ(affinity_of("DOUBLE PRECISION"), Affinity::Real);
  EXPECT_EQ(affinity_of("BOOLEAN"), Affinity::Numeric);
  EXPECT_EQ(affinity_of("DATE"), Affinity::Numeric);
  EXPECT_EQ(affinity_of("FLOATING POINT"), Affinity::Integer);  // "INT" wins, as in SQLite
}

}  // namespace
}  // namespace marquee::store::sqlite_file

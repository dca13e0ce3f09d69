#include "store/connection.hpp"

#include <gtest/gtest.h>

#include "store/test_backends.hpp"
#include "store/value_text.hpp"

namespace marquee::store {
namespace {

using testing::BackendTest;

class ConnectionTest : public BackendTest {};

TEST_P(ConnectionTest, ParametersOfEveryKindRoundTripAsText) {
  auto db = open();
  const Param params[] = {std::int64_t{-9223372036854775807LL}, 0.1, std::string("é\"'x"), nullptr};
  const Result r = db->query("SELECT $1 AS a, $2 AS b, $3 AS c, $4 AS d, $1 AS again", params);
  ASSERT_EQ(r.columns, (std::vector<std::string>{"a", "b", "c", "d", "again"}));
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0][0], "-9223372036854775807");
  EXPECT_EQ(r.rows[0][1], "0.1");
  EXPECT_EQ(r.rows[0][2], "é\"'x");
  EXPECT_EQ(r.rows[0][3], std::nullopt);
  EXPECT_EQ(r.rows[0][4], "-9223372036854775807");
}

TEST_P(ConnectionTest, StoredValuesReadBackInTheSameTextOnBothBackends) {
  auto db = open();
  const std::string real = postgres() ? "DOUBLE PRECISION" : "REAL";
  db->execute("CREATE TABLE v (run_id TEXT, d " + real + ", b BOOLEAN, day DATE)");
  const table::Schema schema{"v", {{"d", table::Type::Double, true}, {"b", table::Type::Bool, true},
                                   {"day", table::Type::Date, true}}};
  auto writer = db->bulk_loader(schema, "v", "r1");
  // 2000-02-29 is day 11016 after 1970-01-01 (30 years, 7 leap days, +59).
  const table::Cell rows[][3] = {{0.1, true, std::int32_t{11016}},
                                 {1e20, false, std::int32_t{0}},
                                 {123.456, table::Null{}, std::int32_t{-1}},
                                 {table::Null{}, true, table::Null{}},
                                 {0.00001, false, std::int32_t{19874}}};
  for (const auto& row : rows) writer->write_row(row);
  writer->finish();
  EXPECT_EQ(writer->rows_written(), 5u);
  const Result r = db->query("SELECT run_id, d, b, day FROM v ORDER BY d NULLS FIRST");
  ASSERT_EQ(r.rows.size(), 5u);
  using Row = std::vector<std::optional<std::string>>;
  EXPECT_EQ(r.rows[0], (Row{"r1", std::nullopt, "true", std::nullopt}));
  EXPECT_EQ(r.rows[1], (Row{"r1", "1e-05", "false", "2024-05-31"}));
  EXPECT_EQ(r.rows[2], (Row{"r1", "0.1", "true", "2000-02-29"}));
  EXPECT_EQ(r.rows[3], (Row{"r1", "123.456", std::nullopt, "1969-12-31"}));
  EXPECT_EQ(r.rows[4], (Row{"r1", "1e+20", "false", "1970-01-01"}));
}

TEST_P(ConnectionTest, BulkLoadKeepsAwkwardTextExactly) {
  auto db = open();
  db->execute("CREATE TABLE t (run_id TEXT NOT NULL, n BIGINT NOT NULL, s TEXT)");
  const table::Schema schema{"t", {{"n", table::Type::Int64}, {"s", table::Type::String, true}}};
  const std::string awkward[] = {"tab\there", "line\nbreak\r\n", "back\\slash \\N", "quote \" '",
                                 "日本語 ✓", "", std::string("nul\0byte", 8)};
  auto writer = db->bulk_loader(schema, "t", "run-1");
  std::int64_t n = 0;
  for (const auto& s : awkward) {
    const table::Cell row[] = {n++, std::string_view(s)};
    writer->write_row(row);
  }
  const table::Cell null_row[] = {n++, table::Null{}};
  writer->write_row(null_row);
  writer->finish();
  const Result r = db->query("SELECT n, s, run_id FROM t ORDER BY n");
  ASSERT_EQ(r.rows.size(), 8u);
  for (std::size_t i = 0; i < 6; ++i) EXPECT_EQ(r.rows[i][1], awkward[i]) << i;
  EXPECT_EQ(r.rows[6][1], "nul\xEF\xBF\xBD" "byte");  // U+0000 -> U+FFFD on both backends
  EXPECT_EQ(r.rows[7][1], std::nullopt);
  EXPECT_EQ(r.rows[7][2], "run-1");
}

TEST_P(ConnectionTest, BulkLoaderRejectsARowThatDoesNotFitTheSchema) {
  auto db = open();
  db->execute("CREATE TABLE t (run_id TEXT NOT NULL, n BIGINT NOT NULL)");
  const table::Schema schema{"t", {{"n", table::Type::Int64}}};
  auto writer = db->bulk_loader(schema, "t", "r");
  const table::Cell bad[] = {table::Null{}};
  EXPECT_THROW(writer->write_row(bad), std::invalid_argument);
}

TEST_P(ConnectionTest, RollbackDiscardsAndCommitKeeps) {
  auto db = open();
  db->execute("CREATE TABLE t (n INTEGER)");
  db->begin_write();
  db->execute("INSERT INTO t VALUES (1)");
  db->rollback();
  db->begin();
  db->execute("INSERT INTO t VALUES (2)");
  db->commit();
  const Result r = db->query("SELECT n FROM t");
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0][0], "2");
  EXPECT_NO_THROW(db->rollback());  // no transaction open: harmless
}

TEST_P(ConnectionTest, ErrorsNameTheBackendAndTheProblem) {
  auto db = open();
  try {
    db->query("SELECT * FROM no_such_table");
    FAIL() << "expected DatabaseError";
  } catch (const DatabaseError& e) {
    EXPECT_NE(std::string(e.what()).find("no_such_table"), std::string::npos) << e.what();
  }
  const Param one[] = {std::int64_t{1}};
  EXPECT_THROW(db->query("SELECT 1", one), DatabaseError);  // a parameter too many
}

TEST_P(ConnectionTest, WritesOfOneSessionAreInvisibleToAnotherUntilCommit) {
  auto writer = open();
  auto reader = open();
  writer->execute("CREATE TABLE t (n INTEGER)");
  writer->begin_write();
  writer->execute("INSERT INTO t VALUES (1)");
  EXPECT_EQ(reader->query("SELECT COUNT(*) FROM t").rows[0][0], "0");  // WAL: no waiting
  writer->commit();
  EXPECT_EQ(reader->query("SELECT COUNT(*) FROM t").rows[0][0], "1");
}

INSTANTIATE_TEST_SUITE_P(Backends, ConnectionTest, ::testing::ValuesIn(testing::backends()),
                         testing::backend_name);

TEST(Connect, MissingSqliteDirectoryIsNamed) {
  try {
    connect("sqlite:/nonexistent-dir-for-marquee/x.db");
    FAIL();
  } catch (const DatabaseError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-dir-for-marquee"), std::string::npos);
  }
}

TEST(Connect, PostgresFailureNeverShowsThePassword) {
  try {
    // Port 1 on loopback: nothing listens there.
    connect("postgresql://alice:s3cret@127.0.0.1:1/db?connect_timeout=2");
    FAIL();
  } catch (const DatabaseError& e) {
    const std::string message = e.what();
    EXPECT_EQ(message.find("s3cret"), std::string::npos) << message;
    EXPECT_NE(message.find("alice:***@127.0.0.1:1/db"), std::string::npos) << message;
  }
}

TEST(RedactUrl, HidesPasswordsInUserInfoAndQuery) {
  EXPECT_EQ(detail::redact_url("postgresql://u:p@h/db"), "postgresql://u:***@h/db");
  EXPECT_EQ(detail::redact_url("postgresql://u@h/db?password=x&sslmode=require"),
            "postgresql://u@h/db?password=***&sslmode=require");
  EXPECT_EQ(detail::redact_url("postgresql://h/db"), "postgresql://h/db");
}

}  // namespace
}  // namespace marquee::store

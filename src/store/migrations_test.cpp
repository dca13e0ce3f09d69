#include "store/migrations.hpp"

#include <gtest/gtest.h>

#include "common/sha256.hpp"
#include "store/store.hpp"
#include "store/test_backends.hpp"

namespace marquee::store {
namespace {

using testing::BackendTest;

class MigrationsTest : public BackendTest {};

std::vector<Migration> two_migrations() {
  return {make_migration("V1__create_t.sql", "CREATE TABLE t (a INTEGER);"),
          make_migration("V2__add_b.sql", "ALTER TABLE t ADD COLUMN b TEXT;")};
}

TEST_P(MigrationsTest, AppliesInVersionOrderRecordsEachAndThenDoesNothing) {
  auto db = open();
  const auto migrations = two_migrations();
  const MigrationReport first = migrate(*db, migrations);
  EXPECT_EQ(first.applied, (std::vector<std::string>{"V1__create_t.sql", "V2__add_b.sql"}));
  EXPECT_EQ(first.version, 2);
  db->execute("INSERT INTO t (a, b) VALUES (1, 'x')");  // V2's column exists

  const auto applied = applied_migrations(*db);
  ASSERT_EQ(applied.size(), 2u);
  EXPECT_EQ(applied[0].version, 1);
  EXPECT_EQ(applied[0].name, "V1__create_t.sql");
  EXPECT_EQ(applied[0].checksum, Sha256::of("CREATE TABLE t (a INTEGER);"));
  EXPECT_EQ(applied[1].checksum, Sha256::of("ALTER TABLE t ADD COLUMN b TEXT;"));
  EXPECT_EQ(applied[1].applied_at.size(), std::string("2024-05-01T12:00:00.000Z").size());

  const MigrationReport second = migrate(*db, migrations);
  EXPECT_TRUE(second.applied.empty());
  EXPECT_EQ(second.version, 2);
}

TEST_P(MigrationsTest, AppliesOnlyThePendingOnes) {
  auto db = open();
  auto migrations = two_migrations();
  const std::vector<Migration> only_first = {migrations[0]};
  EXPECT_EQ(migrate(*db, only_first).applied.size(), 1u);
  EXPECT_EQ(migrate(*db, migrations).applied, (std::vector<std::string>{"V2__add_b.sql"}));
}

TEST_P(MigrationsTest, AChangedAppliedMigrationIsRefusedByName) {
  auto db = open();
  migrate(*db, two_migrations());
  std::vector<Migration> tampered = two_migrations();
  tampered[0] = make_migration("V1__create_t.sql", "CREATE TABLE t (a BIGINT);");
  try {
    migrate(*db, tampered);
    FAIL() << "expected a checksum error";
  } catch (const DatabaseError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("V1__create_t.sql"), std::string::npos) << message;
    EXPECT_NE(message.find(Sha256::of("CREATE TABLE t (a BIGINT);")), std::string::npos) << message;
  }
}

TEST_P(MigrationsTest, ADatabaseNewerThanTheBinaryIsRefused) {
  auto db = open();
  migrate(*db, two_migrations());
  const std::vector<Migration> older = {two_migrations()[0]};
  try {
    migrate(*db, older);
    FAIL();
  } catch (const DatabaseError& e) {
    EXPECT_NE(std::string(e.what()).find("V2__add_b.sql"), std::string::npos) << e.what();
  }
}

TEST_P(MigrationsTest, AFailingMigrationLeavesNoTraceAndIsNamed) {
  auto db = open();
  const std::vector<Migration> migrations = {
      make_migration("V1__ok.sql", "CREATE TABLE t (a INTEGER);"),
      make_migration("V2__broken.sql", "CREATE TABLE u (a INTEGER); INSERT INTO no_such VALUES (1);")};
  try {
    migrate(*db, migrations);
    FAIL();
  } catch (const DatabaseError& e) {
    EXPECT_NE(std::string(e.what()).find("V2__broken.sql"), std::string::npos) << e.what();
  }
  const auto applied = applied_migrations(*db);
  ASSERT_EQ(applied.size(), 1u);
  EXPECT_EQ(applied[0].name, "V1__ok.sql");
  // V2's first statement was rolled back with it (DDL is transactional in both).
  EXPECT_THROW(db->query("SELECT * FROM u"), DatabaseError);
}

TEST_P(MigrationsTest, TheEmbeddedSchemaMatchesTheTableSchemas) {
  Store store(open());
  const MigrationReport report = store.migrate();
  ASSERT_FALSE(report.applied.empty());
  EXPECT_EQ(report.applied.front(), "V001__init.sql");
  auto& db = store.db();
  for (const table::Schema* schema : snapshot_tables()) {
    // Expected: run_id TEXT NOT NULL, then the schema's columns in order with
    // the documented type mapping and nullability.
    std::vector<std::string> expected = {"run_id TEXT NOT NULL"};
    for (const table::Column& c : schema->columns) {
      std::string type;
      switch (c.type) {
        case table::Type::Int32: type = "INTEGER"; break;
        case table::Type::Int64: type = postgres() ? "BIGINT" : "INTEGER"; break;
        case table::Type::Double: type = postgres() ? "DOUBLE PRECISION" : "REAL"; break;
        case table::Type::Bool: type = "BOOLEAN"; break;
        case table::Type::String: type = "TEXT"; break;
        case table::Type::Date: type = "DATE"; break;
      }
      expected.push_back(c.name + " " + type + (c.nullable ? "" : " NOT NULL"));
    }
    std::vector<std::string> actual;
    if (postgres()) {
      const Param name[] = {schema->name};
      const Result r = db.query(
          "SELECT column_name, upper(data_type), is_nullable FROM information_schema.columns "
          "WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
          name);
      for (const auto& row : r.rows) {
        actual.push_back(*row[0] + " " + *row[1] + (row[2] == "NO" ? " NOT NULL" : ""));
      }
    } else {
      const Result r = db.query("SELECT name, type, \"notnull\" FROM pragma_table_info('" + schema->name + "')");
      for (const auto& row : r.rows) {
        actual.push_back(*row[0] + " " + *row[1] + (row[2] == "1" ? " NOT NULL" : ""));
      }
    }
    EXPECT_EQ(actual, expected) << schema->name;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, MigrationsTest, ::testing::ValuesIn(testing::backends()),
                         testing::backend_name);

TEST(MakeMigration, ParsesVersionAndRefusesOtherNames) {
  EXPECT_EQ(make_migration("V012__add_index.sql", "x").version, 12);
  EXPECT_THROW(make_migration("V1_single_underscore.sql", "x"), DatabaseError);
  EXPECT_THROW(make_migration("init.sql", "x"), DatabaseError);
}

TEST(EmbeddedMigrations, BothDialectsStartWithV001) {
  for (const char* dialect : {"sqlite", "postgresql"}) {
    const auto migrations = embedded_migrations(dialect);
    ASSERT_FALSE(migrations.empty()) << dialect;
    EXPECT_EQ(migrations[0].name, "V001__init.sql");
    EXPECT_EQ(migrations[0].version, 1);
    for (std::size_t i = 1; i < migrations.size(); ++i) {
      EXPECT_LT(migrations[i - 1].version, migrations[i].version);
    }
  }
}

}  // namespace
}  // namespace marquee::store

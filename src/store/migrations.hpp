#pragma once
// Versioned schema migrations: sql/migrations/<dialect>/V<NNN>__<what>.sql,
// compiled into the binary (embedded_migrations.cpp is generated at build
// time), applied in version order, each in its own transaction together with
// its row in schema_migrations (version, name, checksum = sha256 of the file,
// applied_at). An applied migration whose file changed since is refused,
// naming the file; so is a database that has versions this binary lacks.
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/connection.hpp"

namespace marquee::store {

struct Migration {
  int version = 0;
  std::string name;      // file name, e.g. "V001__init.sql"
  std::string sql;
  std::string checksum;  // lower-case hex sha256 of `sql`
};

// Parses "V<digits>__<words>.sql" into a migration; throws DatabaseError
// naming the file if the name does not have that form.
Migration make_migration(std::string file_name, std::string sql);

// The migrations compiled in for "sqlite" or "postgresql", by version.
std::vector<Migration> embedded_migrations(std::string_view dialect);

// Every V*.sql in `directory`, by version (the test hook
// MARQUEE_TEST_MIGRATIONS_DIR uses it; see store.hpp).
std::vector<Migration> migrations_from_directory(const std::filesystem::path& directory);

struct MigrationReport {
  std::vector<std::string> applied;  // names applied by this call, in order
  int version = 0;                   // schema version afterwards
};

// Applies the pending migrations. Concurrent callers are serialized
// (PostgreSQL: a transaction-level advisory lock; SQLite: BEGIN IMMEDIATE).
// Throws DatabaseError when an applied migration's checksum differs from
// `migrations`, or when the database has a version `migrations` lacks.
MigrationReport migrate(Connection& db, std::span<const Migration> migrations);

// The applied migrations, by version: (version, name, checksum, applied_at).
struct AppliedMigration {
  int version = 0;
  std::string name, checksum, applied_at;
};
std::vector<AppliedMigration> applied_migrations(Connection& db);

// UTC now as ISO-8601 with milliseconds: "2024-05-01T12:00:00.123Z".
std::string utc_now();

}  // namespace marquee::store

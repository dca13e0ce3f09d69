#include "store/migrations.hpp"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "common/sha256.hpp"

namespace marquee::store {
namespace {

// Advisory lock key for migrations ("marquee" + 'm'); the job lock uses another.
constexpr std::int64_t kMigrationLockKey = 0x6d61727175656d6d;

void create_history_table(Connection& db) {
  db.execute(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      "version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, "
      "applied_at TEXT NOT NULL)");
}

void check_history(const std::vector<AppliedMigration>& applied,
                   std::span<const Migration> migrations, const std::string& target) {
  std::map<int, const Migration*> known;
  for (const Migration& m : migrations) known[m.version] = &m;
  for (const AppliedMigration& a : applied) {
    const auto it = known.find(a.version);
    if (it == known.end()) {
      throw DatabaseError(fmt::format(
          "database {} has migration {} ({}) applied, which this marquee does not have; "
          "use a marquee at least as new as the one that migrated it",
          target, a.version, a.name));
    }
    if (it->second->checksum != a.checksum) {
      throw DatabaseError(fmt::format(
          "migration {} (version {}) was applied to {} with checksum {}, but the migration "
          "now has checksum {}: an applied migration must never change; add a new migration instead",
          it->second->name, a.version, target, a.checksum, it->second->checksum));
    }
  }
}

// Applies the first pending migration in its own transaction; false if none.
bool apply_next(Connection& db, std::span<const Migration> migrations, MigrationReport& report) {
  db.begin_write();
  try {
    if (db.dialect() == "postgresql") {
      const Param key[] = {kMigrationLockKey};
      db.query("SELECT pg_advisory_xact_lock($1)", key);
    }
    create_history_table(db);
    const auto applied = applied_migrations(db);
    check_history(applied, migrations, db.target());
    const Migration* next = nullptr;
    for (const Migration& m : migrations) {
      const bool done = std::any_of(applied.begin(), applied.end(),
                                    [&](const AppliedMigration& a) { return a.version == m.version; });
      if (!done) {
        next = &m;
        break;
      }
    }
    report.version = applied.empty() ? 0 : applied.back().version;
    if (next == nullptr) {
      db.commit();
      return false;
    }
    try {
      db.execute(next->sql);
    } catch (const DatabaseError& e) {
      throw DatabaseError(fmt::format("migration {} failed: {}", next->name, e.what()));
    }
    const Param row[] = {std::int64_t{next->version}, next->name, next->checksum, utc_now()};
    db.query("INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)", row);
    db.commit();
    report.applied.push_back(next->name);
    report.version = next->version;
    return true;
  } catch (...) {
    db.rollback();
    throw;
  }
}

}  // namespace

std::string utc_now() {
  const auto now = std::chrono::system_clock::now();
  const auto seconds = std::chrono::time_point_cast<std::chrono::seconds>(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - seconds).count();
  // fmt 9 formats a system_clock time_point in local time: go through gmtime.
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03d}Z", fmt::gmtime(std::chrono::system_clock::to_time_t(seconds)), ms);
}

Migration make_migration(std::string file_name, std::string sql) {
  static const std::regex pattern(R"(V(\d{1,9})__[A-Za-z0-9_]+\.sql)");
  std::smatch match;
  if (!std::regex_match(file_name, match, pattern)) {
    throw DatabaseError(fmt::format("migration file {} is not named V<version>__<description>.sql", file_name));
  }
  Migration m;
  m.version = std::stoi(match[1].str());
  m.checksum = Sha256::of(sql);
  m.name = std::move(file_name);
  m.sql = std::move(sql);
  return m;
}

std::vector<Migration> migrations_from_directory(const std::filesystem::path& directory) {
  std::vector<Migration> out;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file() || !name.starts_with("V") || !name.ends_with(".sql")) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    out.push_back(make_migration(name, text.str()));
  }
  if (error) throw DatabaseError(fmt::format("cannot read migrations in {}: {}", directory.string(), error.message()));
  std::sort(out.begin(), out.end(), [](const Migration& a, const Migration& b) { return a.version < b.version; });
  for (std::size_t i = 1; i < out.size(); ++i) {
    if (out[i].version == out[i - 1].version) {
      throw DatabaseError(fmt::format("migrations {} and {} have the same version", out[i - 1].name, out[i].name));
    }
  }
  return out;
}

std::vector<AppliedMigration> applied_migrations(Connection& db) {
  const Result r = db.query("SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version");
  std::vector<AppliedMigration> out;
  for (const auto& row : r.rows) {
    out.push_back({std::stoi(row[0].value_or("0")), row[1].value_or(""), row[2].value_or(""), row[3].value_or("")});
  }
  return out;
}

// True when every migration is applied unchanged: checked with reads only,
// so that a reader-only command never waits for a job's write lock.
bool up_to_date(Connection& db, std::span<const Migration> migrations) {
  std::vector<AppliedMigration> applied;
  try {
    applied = applied_migrations(db);
  } catch (const DatabaseError&) {
    return false;  // no schema_migrations yet
  }
  if (applied.size() != migrations.size()) return false;
  for (std::size_t i = 0; i < applied.size(); ++i) {
    if (applied[i].version != migrations[i].version || applied[i].checksum != migrations[i].checksum) return false;
  }
  return true;
}

MigrationReport migrate(Connection& db, std::span<const Migration> migrations) {
  MigrationReport report;
  if (up_to_date(db, migrations)) {
    report.version = migrations.empty() ? 0 : migrations.back().version;
    return report;
  }
  while (apply_next(db, migrations, report)) {
  }
  return report;
}

}  // namespace marquee::store

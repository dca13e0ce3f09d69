#pragma once
// SQLite: one database file per run (docs/STORAGE.md, "SQLite: a file per
// run"). A run's snapshot tables are written once into a new file beside the
// database, with no journal, indexes built after the rows, then synced and
// renamed into place; readers attach it read-only. Retiring a run deletes
// the file. This replaced loading every run into shared tables keyed by
// run_id: a load wrote each page twice (WAL, then checkpoint) and kept a
// 23-byte run_id at the head of every index key (issue 11, docs/BENCHMARKS.md).
//
// The file's tables are those of the main database (its migrations stay the
// one definition of the schema) with run_id turned into a generated column
// holding the run id: stored nowhere, yet every query written against the
// shared tables ("... WHERE run_id = $1") reads a run file unchanged.
#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/connection.hpp"
#include "store/sqlite_file/database_writer.hpp"
#include "store/store.hpp"

namespace marquee::store {

// Whether the SQLite database `db` has runs.storage (migration V004), i.e.
// whether any run can have a file of its own.
bool runs_have_storage(Connection& db);

// DIR/NAME.runs/ beside the database DIR/NAME, and a run's file in it.
std::filesystem::path sqlite_runs_directory(const std::filesystem::path& database);
std::filesystem::path sqlite_run_file(const std::filesystem::path& database, std::string_view run_id);

// A file in the runs directory that no run needs: "<id>.sqlite" of a run not
// in `live` (loaded or published), or "<id>.sqlite.loading-<pid>[.part]" of
// a load whose process is gone. Other names are never touched.
bool is_orphan_run_file(const std::string& file_name, const std::set<std::string>& live);

// CREATE statements for a run file, per table, derived from `main`'s tables
// named in `tables`: the same columns, types and NOT NULL; the primary key
// (minus run_id) as the table's own key (WITHOUT ROWID) when it is
// composite, as a unique index otherwise; every other index minus run_id;
// and run_id, a VIRTUAL column generated as the constant `run_id`, as the
// last column (where the shared tables' queries find it by name).
struct RunFileSchema {
  std::vector<sqlite_file::TableSpec> tables;  // CREATE statements included
};
RunFileSchema run_file_schema(Connection& main, std::span<const table::Schema* const> tables,
                              std::string_view run_id);

// Writes a new file at `path` (replacing any file there) with Marquee's own
// SQLite file writer (sqlite_file/database_writer.hpp): the schema, the
// rows of `data`, the indexes; then syncs it to disk. Two threads build it,
// taking the tables in turn, the costliest first (by TableData::cost and
// the table's width and sorts; write_rows runs on both); the first to fail
// stops the other. Every table of `schema` is created, empty when `data` has
// none for it. Returns the rows written per table. Throws DatabaseError (the
// first failure); the caller removes the file.
std::map<std::string, std::uint64_t> build_sqlite_run_file(const std::filesystem::path& path,
                                                          const RunFileSchema& schema,
                                                          std::span<const TableData> data);

}  // namespace marquee::store

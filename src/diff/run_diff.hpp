#pragma once
// What changed between two runs, read from their Parquet tables (not from a
// database, so it works before loading): movies added, removed and changed
// (per column, with examples), companies and genres added, renamed and
// removed, and the rollup rows that moved most. Tables are compared by
// column name; a table or column present in only one run is reported, not
// an error. docs/DIFF.md defines every figure.
//
// Memory: one 64-bit hash per movie column of run A (about 200 bytes per
// movie), the dimensions and rollup keys; values are read back only for the
// few examples shown.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

namespace marquee::diff {

struct DiffOptions {
  std::size_t top = 10;       // rollup rows per measure
  std::size_t examples = 5;   // example ids per list
};

struct ValueChange {
  std::int64_t id = 0;
  std::string before, after;  // the values as text ("null" for null)
};

struct ColumnChanges {
  std::string column;
  std::uint64_t movies = 0;  // movies whose value in this column changed
  std::vector<ValueChange> examples;
};

struct MovieDiff {
  std::uint64_t in_a = 0, in_b = 0, added = 0, removed = 0, changed = 0, unchanged = 0;
  std::vector<std::int64_t> added_examples, removed_examples, changed_examples;
  std::vector<ColumnChanges> columns;  // columns that changed, in schema order
};

struct Rename {
  std::int64_t id = 0;
  std::string before, after;
};

struct DimensionDiff {
  std::uint64_t in_a = 0, in_b = 0, added = 0, removed = 0, renamed = 0;
  std::vector<std::int64_t> added_examples, removed_examples;
  std::vector<Rename> renamed_examples;
};

struct RollupMove {
  std::int64_t id = 0;  // company_id or genre_id
  std::string name;
  std::int32_t year = 0;
  std::optional<double> before, after;  // absent in that run: nullopt
  double delta = 0;
};

struct SchemaDiff {
  std::vector<std::string> tables_only_in_a, tables_only_in_b;
  std::map<std::string, std::vector<std::string>> columns_only_in_a, columns_only_in_b;
};

struct RunDiff {
  std::string run_a, run_b;
  MovieDiff movies;
  DimensionDiff companies, genres;
  // table -> measure -> the rows that moved most, by |delta|, largest first.
  std::map<std::string, std::map<std::string, std::vector<RollupMove>>> rollups;
  SchemaDiff schema;

  bool empty() const;
};

// `a` and `b` are run directories (holding tables/*.parquet). Throws
// marquee::InputError naming a directory or file that cannot be read.
RunDiff diff_runs(const std::filesystem::path& a, const std::filesystem::path& b, const DiffOptions& options = {});

boost::json::object to_json(const RunDiff& diff);
std::string to_text(const RunDiff& diff);
// The counts only, for a run's manifest (`marquee run`).
boost::json::object summary_json(const RunDiff& diff);

}  // namespace marquee::diff

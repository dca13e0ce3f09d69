#include "diff/run_diff.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "common/error.hpp"
#include "parquet/reader.hpp"

namespace marquee::diff {
namespace fs = std::filesystem;
namespace {

using table::Cell;

fs::path table_file(const fs::path& run, std::string_view table) {
  return run / "tables" / (std::string(table) + ".parquet");
}

std::set<std::string> tables_of(const fs::path& run) {
  std::set<std::string> names;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(run / "tables", error)) {
    if (entry.path().extension() == ".parquet") names.insert(entry.path().stem().string());
  }
  if (error) throw InputError(fmt::format("{}: no tables/ directory to compare ({})", run.string(), error.message()));
  return names;
}

// 64-bit FNV-1a over the cell's alternative and bytes: equal cells, equal hashes.
std::uint64_t cell_hash(const Cell& cell) {
  std::uint64_t h = 1469598103934665603ull ^ cell.index();
  const auto mix = [&h](const void* data, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) h = (h ^ static_cast<const unsigned char*>(data)[i]) * 1099511628211ull;
  };
  std::visit([&](const auto& v) {
    using V = std::decay_t<decltype(v)>;
    if constexpr (std::is_same_v<V, std::string_view>) {
      mix(v.data(), v.size());
    } else if constexpr (!std::is_same_v<V, table::Null>) {
      mix(&v, sizeof v);
    }
  }, cell);
  return h;
}

std::string cell_text(const Cell& cell) {
  return std::visit([](const auto& v) -> std::string {
    using V = std::decay_t<decltype(v)>;
    if constexpr (std::is_same_v<V, table::Null>) {
      return "null";
    } else if constexpr (std::is_same_v<V, bool>) {
      return v ? "true" : "false";
    } else if constexpr (std::is_same_v<V, std::string_view>) {
      return std::string(v);
    } else {
      return fmt::format("{}", v);
    }
  }, cell);
}

std::optional<std::size_t> column_index(const table::Schema& schema, std::string_view name) {
  for (std::size_t i = 0; i < schema.columns.size(); ++i) {
    if (schema.columns[i].name == name) return i;
  }
  return std::nullopt;
}

std::size_t require_column(const parquet::ParquetReader& reader, std::string_view name, const fs::path& file) {
  const auto i = column_index(reader.schema(), name);
  if (!i) throw InputError(fmt::format("{}: no column '{}' to compare by", file.string(), name));
  return *i;
}

std::int64_t integer_of(const Cell& cell) {
  if (const auto* v = std::get_if<std::int64_t>(&cell)) return *v;
  if (const auto* v = std::get_if<std::int32_t>(&cell)) return *v;
  return 0;
}

std::optional<double> number_of(const Cell& cell) {
  if (const auto* v = std::get_if<std::int64_t>(&cell)) return static_cast<double>(*v);
  if (const auto* v = std::get_if<std::int32_t>(&cell)) return *v;
  if (const auto* v = std::get_if<double>(&cell)) return *v;
  return std::nullopt;
}

template <class T>
void keep_example(std::vector<T>& examples, T value, std::size_t limit) {
  if (examples.size() < limit) examples.push_back(std::move(value));
}

// ---- movies ----------------------------------------------------------------

struct CommonColumns {
  std::vector<std::string> names;
  std::vector<std::size_t> in_a, in_b;
};

// Lineage (where a row came from: docs/DATA_MODEL.md) is not data: a new
// monthly file moves every line, and that is not a change to the movie.
bool is_lineage(std::string_view column) { return column == "source_file" || column == "source_line"; }

CommonColumns common_columns(const table::Schema& a, const table::Schema& b, SchemaDiff& schema) {
  CommonColumns common;
  for (std::size_t i = 0; i < a.columns.size(); ++i) {
    if (is_lineage(a.columns[i].name) && column_index(b, a.columns[i].name)) continue;
    if (const auto j = column_index(b, a.columns[i].name)) {
      common.names.push_back(a.columns[i].name);
      common.in_a.push_back(i);
      common.in_b.push_back(*j);
    } else {
      schema.columns_only_in_a[a.name].push_back(a.columns[i].name);
    }
  }
  for (const auto& column : b.columns) {
    if (!column_index(a, column.name)) schema.columns_only_in_b[b.name].push_back(column.name);
  }
  return common;
}

// Fills in the before/after values of the examples (a second, cheap pass).
void fill_example_values(const fs::path& a, const fs::path& b, const CommonColumns& common, MovieDiff& movies) {
  std::unordered_map<std::int64_t, std::vector<std::pair<std::size_t, ValueChange*>>> wanted;
  for (std::size_t c = 0, k = 0; c < common.names.size(); ++c) {
    for (; k < movies.columns.size() && movies.columns[k].column == common.names[c]; ++k) {
      for (ValueChange& example : movies.columns[k].examples) wanted[example.id].emplace_back(c, &example);
    }
  }
  if (wanted.empty()) return;
  const auto fill = [&](const fs::path& file, const std::vector<std::size_t>& index, bool before) {
    parquet::ParquetReader reader(file);
    const std::size_t id_column = require_column(reader, "id", file);
    reader.for_each_row([&](std::span<const Cell> row) {
      const auto it = wanted.find(integer_of(row[id_column]));
      if (it == wanted.end()) return;
      for (auto& [c, example] : it->second) (before ? example->before : example->after) = cell_text(row[index[c]]);
    });
  };
  fill(a, common.in_a, true);
  fill(b, common.in_b, false);
}

MovieDiff diff_movies(const fs::path& a_file, const fs::path& b_file, const DiffOptions& options, SchemaDiff& schema) {
  parquet::ParquetReader a(a_file), b(b_file);
  const CommonColumns common = common_columns(a.schema(), b.schema(), schema);
  const std::size_t id_a = require_column(a, "id", a_file), id_b = require_column(b, "id", b_file);
  MovieDiff movies;
  std::unordered_map<std::int64_t, std::vector<std::uint64_t>> hashes;
  hashes.reserve(a.num_rows());
  a.for_each_row([&](std::span<const Cell> row) {
    std::vector<std::uint64_t>& h = hashes[integer_of(row[id_a])];
    h.resize(common.names.size());
    for (std::size_t c = 0; c < common.names.size(); ++c) h[c] = cell_hash(row[common.in_a[c]]);
  });
  movies.in_a = hashes.size();
  std::vector<ColumnChanges> per_column(common.names.size());
  for (std::size_t c = 0; c < common.names.size(); ++c) per_column[c].column = common.names[c];
  b.for_each_row([&](std::span<const Cell> row) {
    ++movies.in_b;
    const std::int64_t id = integer_of(row[id_b]);
    const auto it = hashes.find(id);
    if (it == hashes.end()) {
      ++movies.added;
      keep_example(movies.added_examples, id, options.examples);
      return;
    }
    bool changed = false;
    for (std::size_t c = 0; c < common.names.size(); ++c) {
      if (it->second[c] == cell_hash(row[common.in_b[c]])) continue;
      changed = true;
      ++per_column[c].movies;
      keep_example(per_column[c].examples, ValueChange{id, {}, {}}, options.examples);
    }
    if (changed) {
      ++movies.changed;
      keep_example(movies.changed_examples, id, options.examples);
    } else {
      ++movies.unchanged;
    }
    hashes.erase(it);
  });
  movies.removed = hashes.size();
  std::vector<std::int64_t> removed;
  for (const auto& [id, h] : hashes) removed.push_back(id);
  std::sort(removed.begin(), removed.end());
  removed.resize(std::min(removed.size(), options.examples));
  movies.removed_examples = removed;
  for (ColumnChanges& c : per_column) {
    if (c.movies > 0) movies.columns.push_back(std::move(c));
  }
  fill_example_values(a_file, b_file, common, movies);
  return movies;
}

// ---- companies and genres ---------------------------------------------------------

std::map<std::int64_t, std::string> names_of(const fs::path& file) {
  parquet::ParquetReader reader(file);
  const std::size_t id = require_column(reader, "id", file), name = require_column(reader, "name", file);
  std::map<std::int64_t, std::string> names;
  reader.for_each_row([&](std::span<const Cell> row) { names[integer_of(row[id])] = cell_text(row[name]); });
  return names;
}

DimensionDiff diff_dimension(const fs::path& a_file, const fs::path& b_file, const DiffOptions& options) {
  const auto a = names_of(a_file), b = names_of(b_file);
  DimensionDiff d{.in_a = a.size(), .in_b = b.size()};
  for (const auto& [id, name] : b) {
    const auto it = a.find(id);
    if (it == a.end()) {
      ++d.added;
      keep_example(d.added_examples, id, options.examples);
    } else if (it->second != name) {
      ++d.renamed;
      keep_example(d.renamed_examples, Rename{id, it->second, name}, options.examples);
    }
  }
  for (const auto& [id, name] : a) {
    if (!b.contains(id)) {
      ++d.removed;
      keep_example(d.removed_examples, id, options.examples);
    }
  }
  return d;
}

// ---- rollups -----------------------------------------------------------------

struct RollupSpec {
  std::string_view table, id_column, name_column;
  std::vector<std::string_view> measures;
};

const std::vector<RollupSpec>& rollup_specs() {
  static const std::vector<RollupSpec> specs = {
      {"company_year", "company_id", "company_name", {"budget", "revenue", "profit", "average_popularity"}},
      {"genre_year", "genre_id", "genre_name", {"budget", "revenue", "profit", "popularity_total"}}};
  return specs;
}

struct RollupRow {
  std::string name;
  std::vector<std::optional<double>> values;  // per measure
};
using RollupKey = std::pair<std::int64_t, std::int32_t>;

std::map<RollupKey, RollupRow> rollup_rows(const fs::path& file, const RollupSpec& spec) {
  parquet::ParquetReader reader(file);
  const std::size_t id = require_column(reader, spec.id_column, file);
  const std::size_t name = require_column(reader, spec.name_column, file);
  const std::size_t year = require_column(reader, "year", file);
  std::vector<std::optional<std::size_t>> measures;
  for (const auto m : spec.measures) measures.push_back(column_index(reader.schema(), m));
  std::map<RollupKey, RollupRow> rows;
  reader.for_each_row([&](std::span<const Cell> row) {
    RollupRow& r = rows[{integer_of(row[id]), static_cast<std::int32_t>(integer_of(row[year]))}];
    r.name = cell_text(row[name]);
    for (const auto& m : measures) r.values.push_back(m ? number_of(row[*m]) : std::nullopt);
  });
  return rows;
}

std::map<std::string, std::vector<RollupMove>> diff_rollup(const fs::path& a_file, const fs::path& b_file,
                                                           const RollupSpec& spec, const DiffOptions& options) {
  const auto a = rollup_rows(a_file, spec), b = rollup_rows(b_file, spec);
  std::set<RollupKey> keys;
  for (const auto& [key, row] : a) keys.insert(key);
  for (const auto& [key, row] : b) keys.insert(key);
  std::map<std::string, std::vector<RollupMove>> out;
  for (std::size_t m = 0; m < spec.measures.size(); ++m) {
    std::vector<RollupMove> moves;
    for (const RollupKey& key : keys) {
      const auto ia = a.find(key), ib = b.find(key);
      const auto before = ia == a.end() ? std::nullopt : ia->second.values[m];
      const auto after = ib == b.end() ? std::nullopt : ib->second.values[m];
      const double delta = after.value_or(0) - before.value_or(0);
      if (delta == 0 && before.has_value() == after.has_value()) continue;
      moves.push_back({key.first, (ib != b.end() ? ib : ia)->second.name, key.second, before, after, delta});
    }
    // Largest |delta| first; ties by key, so the output is deterministic.
    std::stable_sort(moves.begin(), moves.end(),
                     [](const RollupMove& x, const RollupMove& y) { return std::fabs(x.delta) > std::fabs(y.delta); });
    moves.resize(std::min(moves.size(), options.top));
    out[std::string(spec.measures[m])] = std::move(moves);
  }
  return out;
}

}  // namespace

bool RunDiff::empty() const {
  return movies.added + movies.removed + movies.changed + companies.added + companies.removed + companies.renamed +
             genres.added + genres.removed + genres.renamed ==
             0 &&
         std::all_of(rollups.begin(), rollups.end(),
                     [](const auto& t) {
                       return std::all_of(t.second.begin(), t.second.end(), [](const auto& m) { return m.second.empty(); });
                     }) &&
         schema.tables_only_in_a.empty() && schema.tables_only_in_b.empty() && schema.columns_only_in_a.empty() &&
         schema.columns_only_in_b.empty();
}

RunDiff diff_runs(const fs::path& a, const fs::path& b, const DiffOptions& options) {
  RunDiff diff;
  diff.run_a = a.lexically_normal().filename().string();
  diff.run_b = b.lexically_normal().filename().string();
  const auto tables_a = tables_of(a), tables_b = tables_of(b);
  for (const auto& t : tables_a) {
    if (!tables_b.contains(t)) diff.schema.tables_only_in_a.push_back(t);
  }
  for (const auto& t : tables_b) {
    if (!tables_a.contains(t)) diff.schema.tables_only_in_b.push_back(t);
  }
  const auto both = [&](std::string_view t) { return tables_a.contains(std::string(t)) && tables_b.contains(std::string(t)); };
  if (!both("movie")) throw InputError(fmt::format("{} and {}: both runs need a movie table", a.string(), b.string()));
  diff.movies = diff_movies(table_file(a, "movie"), table_file(b, "movie"), options, diff.schema);
  for (const auto& t : tables_a) {
    if (t == "movie" || !both(t)) continue;
    const parquet::ParquetReader ra(table_file(a, t)), rb(table_file(b, t));
    common_columns(ra.schema(), rb.schema(), diff.schema);  // footers only: records columns in one run
  }
  if (both("company")) diff.companies = diff_dimension(table_file(a, "company"), table_file(b, "company"), options);
  if (both("genre")) diff.genres = diff_dimension(table_file(a, "genre"), table_file(b, "genre"), options);
  for (const RollupSpec& spec : rollup_specs()) {
    if (both(spec.table)) {
      diff.rollups[std::string(spec.table)] = diff_rollup(table_file(a, spec.table), table_file(b, spec.table), spec, options);
    }
  }
  return diff;
}

}  // namespace marquee::diff

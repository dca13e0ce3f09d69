#include "job/corrections.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <map>
#include <optional>
#include <unordered_map>

#include <fmt/format.h>

#include "common/error.hpp"
#include "model/model_builder.hpp"
#include "model/tables.hpp"
#include "rollup/rollups.hpp"

namespace marquee::job {
namespace {

using table::Cell;
using table::Null;

// A table read back must have the model's columns, names and types; its
// column order does not matter. Positions of the expected columns in it:
std::vector<std::size_t> column_positions(const table::Schema& actual, const table::Schema& expected) {
  std::vector<std::size_t> positions;
  for (const table::Column& c : expected.columns) {
    const auto it = std::find_if(actual.columns.begin(), actual.columns.end(),
                                 [&](const table::Column& a) { return a.name == c.name; });
    if (it == actual.columns.end() || it->type != c.type) {
      throw InputError(fmt::format("table {} has no {} column of type {}: not a snapshot of this "
                                   "Marquee's model", expected.name, c.name, table::type_name(c.type)));
    }
    positions.push_back(static_cast<std::size_t>(it - actual.columns.begin()));
  }
  return positions;
}

// Scans one table, handing rows to `visit` with cells in the model's column order.
void scan(const TableScanner& tables, const table::Schema& expected,
          const std::function<void(std::span<const Cell>)>& visit) {
  std::vector<std::size_t> positions;
  std::vector<Cell> ordered(expected.columns.size());
  tables(expected.name, [&](const table::Schema& actual, std::span<const Cell> row) {
    if (positions.empty()) positions = column_positions(actual, expected);
    for (std::size_t i = 0; i < positions.size(); ++i) ordered[i] = row[positions[i]];
    visit(ordered);
  });
}

std::optional<std::string> text(const Cell& c) {
  if (std::holds_alternative<Null>(c)) return std::nullopt;
  return std::string(std::get<std::string_view>(c));
}
template <typename T>
std::optional<T> value(const Cell& c) {
  if (std::holds_alternative<Null>(c)) return std::nullopt;
  return std::get<T>(c);
}

struct Bridges {
  std::unordered_map<std::int64_t, std::vector<std::pair<std::int32_t, std::int64_t>>> companies, genres;
  std::unordered_map<std::int64_t, std::vector<std::string>> countries, languages;
};

struct Names {
  std::map<std::int64_t, std::string> companies, genres;
  std::map<std::string, std::string> countries, languages;
  std::map<std::int64_t, model::Collection> collections;
};

template <typename Key>
void read_names(const TableScanner& tables, const table::Schema& schema, std::map<Key, std::string>& out) {
  scan(tables, schema, [&](std::span<const Cell> row) {
    if constexpr (std::is_same_v<Key, std::string>) {
      out.emplace(std::string(std::get<std::string_view>(row[0])), std::string(std::get<std::string_view>(row[1])));
    } else {
      out.emplace(std::get<std::int64_t>(row[0]), std::string(std::get<std::string_view>(row[1])));
    }
  });
}

Names read_dimensions(const TableScanner& tables) {
  Names names;
  read_names(tables, model::company_schema(), names.companies);
  read_names(tables, model::genre_schema(), names.genres);
  read_names(tables, model::country_schema(), names.countries);
  read_names(tables, model::language_schema(), names.languages);
  scan(tables, model::collection_schema(), [&](std::span<const Cell> row) {
    model::Collection c;
    c.id = std::get<std::int64_t>(row[0]);
    c.name = std::string(std::get<std::string_view>(row[1]));
    c.poster_path = text(row[2]);
    c.backdrop_path = text(row[3]);
    names.collections.emplace(c.id, std::move(c));
  });
  return names;
}

Bridges read_bridges(const TableScanner& tables) {
  Bridges b;
  scan(tables, model::movie_company_schema(), [&](std::span<const Cell> row) {
    b.companies[std::get<std::int64_t>(row[0])].emplace_back(std::get<std::int32_t>(row[2]),
                                                              std::get<std::int64_t>(row[1]));
  });
  scan(tables, model::movie_genre_schema(), [&](std::span<const Cell> row) {
    b.genres[std::get<std::int64_t>(row[0])].emplace_back(std::get<std::int32_t>(row[2]),
                                                           std::get<std::int64_t>(row[1]));
  });
  // Countries and languages have no position: their rows are in listing order.
  scan(tables, model::movie_country_schema(), [&](std::span<const Cell> row) {
    b.countries[std::get<std::int64_t>(row[0])].emplace_back(std::get<std::string_view>(row[1]));
  });
  scan(tables, model::movie_language_schema(), [&](std::span<const Cell> row) {
    b.languages[std::get<std::int64_t>(row[0])].emplace_back(std::get<std::string_view>(row[1]));
  });
  for (auto* listing : {&b.companies, &b.genres}) {
    for (auto& [movie, refs] : *listing) std::sort(refs.begin(), refs.end());
  }
  return b;
}

template <typename Map, typename Key>
const auto& lookup(const Map& map, const Key& key, std::string_view table, std::int64_t movie) {
  const auto it = map.find(key);
  if (it == map.end()) {
    throw InputError(fmt::format("movie {} refers to {} {}, which the snapshot's {} table lacks", movie,
                                 table, key, table));
  }
  return it->second;
}

// Lineage values are few (one per input file): share one string per name.
using SourceNames = std::map<std::string, std::shared_ptr<const std::string>, std::less<>>;

model::Movie to_movie(std::span<const Cell> row, const Bridges& bridges, const Names& names, SourceNames& sources) {
  model::Movie m;
  m.id = std::get<std::int64_t>(row[0]);
  m.imdb_id = text(row[1]);
  m.title = text(row[2]);
  m.original_title = text(row[3]);
  m.original_language = text(row[4]);
  m.overview = text(row[5]);
  m.tagline = text(row[6]);
  m.homepage = text(row[7]);
  m.poster_path = text(row[8]);
  m.status = text(row[9]);
  m.adult = value<bool>(row[10]);
  m.video = value<bool>(row[11]);
  m.release_date = value<std::int32_t>(row[12]);
  m.year = value<std::int32_t>(row[13]);
  m.budget = std::get<std::int64_t>(row[14]);
  m.revenue = std::get<std::int64_t>(row[15]);
  m.popularity = value<double>(row[16]);
  m.runtime = value<double>(row[17]);
  m.vote_average = value<double>(row[18]);
  m.vote_count = value<std::int64_t>(row[19]);
  if (const auto file = text(row[21])) {
    auto it = sources.find(*file);
    if (it == sources.end()) it = sources.emplace(*file, std::make_shared<const std::string>(*file)).first;
    m.source_file = it->second;
  }
  m.source_line = static_cast<std::uint64_t>(std::get<std::int64_t>(row[22]));
  if (const auto collection = value<std::int64_t>(row[20])) {
    m.collection = lookup(names.collections, *collection, "collection", m.id);
  }
  if (const auto it = bridges.companies.find(m.id); it != bridges.companies.end()) {
    for (const auto& [position, id] : it->second) m.companies.push_back({id, lookup(names.companies, id, "company", m.id)});
  }
  if (const auto it = bridges.genres.find(m.id); it != bridges.genres.end()) {
    for (const auto& [position, id] : it->second) m.genres.push_back({id, lookup(names.genres, id, "genre", m.id)});
  }
  if (const auto it = bridges.countries.find(m.id); it != bridges.countries.end()) {
    for (const auto& code : it->second) m.countries.push_back({code, lookup(names.countries, code, "country", m.id)});
  }
  if (const auto it = bridges.languages.find(m.id); it != bridges.languages.end()) {
    for (const auto& code : it->second) m.languages.push_back({code, lookup(names.languages, code, "language", m.id)});
  }
  return m;
}

}  // namespace

void for_each_movie(const TableScanner& tables, const std::function<void(const model::Movie&)>& visit) {
  const Names names = read_dimensions(tables);
  const Bridges bridges = read_bridges(tables);
  SourceNames sources;
  scan(tables, model::movie_schema(),
       [&](std::span<const Cell> row) { visit(to_movie(row, bridges, names, sources)); });
}

MergeResult merge_corrections(const TableScanner& base, const TableScanner& corrections,
                              const std::unordered_set<std::int64_t>& delete_ids, table::TableSink& sink,
                              model::DiagnosticSink& diagnostics) {
  MergeResult result;
  CorrectionCounts& counts = result.counts;
  std::vector<model::Movie> fixes;
  std::unordered_map<std::int64_t, std::size_t> fix_index;
  for_each_movie(corrections, [&](const model::Movie& m) {
    fix_index.emplace(m.id, fixes.size());
    fixes.push_back(m);
  });
  counts.corrections = fixes.size();
  std::vector<bool> used(fixes.size(), false);
  std::unordered_set<std::int64_t> deleted_ids;

  model::ModelBuilder builder(sink, diagnostics);
  rollup::Rollups rollups;
  const auto emit = [&](const model::Movie& m) {
    if (builder.add(m)) rollups.add(m);
  };
  for_each_movie(base, [&](const model::Movie& m) {
    ++counts.base_movies;
    const auto fix = fix_index.find(m.id);
    if (fix != fix_index.end()) used[fix->second] = true;
    if (delete_ids.count(m.id)) {
      deleted_ids.insert(m.id);
      return;
    }
    if (fix != fix_index.end()) {
      ++counts.replaced;
      emit(fixes[fix->second]);
    } else {
      emit(m);
    }
  });
  for (std::size_t i = 0; i < fixes.size(); ++i) {
    if (used[i]) continue;
    if (delete_ids.count(fixes[i].id)) {
      deleted_ids.insert(fixes[i].id);
      continue;
    }
    ++counts.added;
    emit(fixes[i]);
  }
  counts.deleted = deleted_ids.size();
  counts.delete_ids_not_found = delete_ids.size() - deleted_ids.size();
  builder.finish();
  counts.movies = builder.counts().movies;
  result.table_rows = builder.table_rows();
  for (auto& entry : rollups.write(sink, builder.dimensions())) result.table_rows.push_back(entry);
  return result;
}

std::unordered_set<std::int64_t> read_delete_ids(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot open the --delete-ids file", path));
  std::unordered_set<std::int64_t> ids;
  std::string line;
  std::uint64_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    const auto last = line.find_last_not_of(" \t\r");
    const std::string_view field(line.data() + first, last - first + 1);
    std::int64_t id = 0;
    const auto [ptr, ec] = std::from_chars(field.data(), field.data() + field.size(), id);
    if (ec != std::errc() || ptr != field.data() + field.size() || id <= 0) {
      throw InputError(fmt::format("{}:{}: '{}' is not a movie id (a positive integer)", path, number, field));
    }
    ids.insert(id);
  }
  return ids;
}

}  // namespace marquee::job

// RunDiff as JSON (the API's and `--format json`'s document), as text for
// people, and as the counts a run's manifest keeps.
#include <fmt/format.h>

#include "diff/run_diff.hpp"

namespace marquee::diff {
namespace bj = boost::json;
namespace {

template <class T>
bj::array array_of(const std::vector<T>& values) {
  bj::array out;
  for (const T& v : values) out.emplace_back(v);
  return out;
}

bj::value optional_number(const std::optional<double>& v) { return v ? bj::value(*v) : bj::value(nullptr); }

bj::object movies_json(const MovieDiff& m) {
  bj::array columns;
  for (const ColumnChanges& c : m.columns) {
    bj::array examples;
    for (const ValueChange& e : c.examples) examples.push_back({{"id", e.id}, {"before", e.before}, {"after", e.after}});
    columns.push_back({{"column", c.column}, {"movies", c.movies}, {"examples", std::move(examples)}});
  }
  return {{"in_a", m.in_a}, {"in_b", m.in_b}, {"added", m.added}, {"removed", m.removed}, {"changed", m.changed},
          {"unchanged", m.unchanged}, {"added_examples", array_of(m.added_examples)},
          {"removed_examples", array_of(m.removed_examples)}, {"changed_examples", array_of(m.changed_examples)},
          {"columns", std::move(columns)}};
}

bj::object dimension_json(const DimensionDiff& d) {
  bj::array renamed;
  for (const Rename& r : d.renamed_examples) renamed.push_back({{"id", r.id}, {"before", r.before}, {"after", r.after}});
  return {{"in_a", d.in_a}, {"in_b", d.in_b}, {"added", d.added}, {"removed", d.removed}, {"renamed", d.renamed},
          {"added_examples", array_of(d.added_examples)}, {"removed_examples", array_of(d.removed_examples)},
          {"renamed_examples", std::move(renamed)}};
}

bj::object rollups_json(const RunDiff& diff) {
  bj::object out;
  for (const auto& [table, measures] : diff.rollups) {
    const std::string id_key = table == "company_year" ? "company_id" : "genre_id";
    const std::string name_key = table == "company_year" ? "company_name" : "genre_name";
    bj::object t;
    for (const auto& [measure, moves] : measures) {
      bj::array rows;
      for (const RollupMove& m : moves) {
        rows.push_back({{id_key, m.id}, {name_key, m.name}, {"year", m.year}, {"before", optional_number(m.before)},
                        {"after", optional_number(m.after)}, {"delta", m.delta}});
      }
      t[measure] = std::move(rows);
    }
    out[table] = std::move(t);
  }
  return out;
}

bj::object columns_json(const std::map<std::string, std::vector<std::string>>& columns) {
  bj::object out;
  for (const auto& [table, names] : columns) out[table] = array_of(names);
  return out;
}

}  // namespace

bj::object to_json(const RunDiff& diff) {
  return {{"run_a", diff.run_a},
          {"run_b", diff.run_b},
          {"empty", diff.empty()},
          {"movies", movies_json(diff.movies)},
          {"companies", dimension_json(diff.companies)},
          {"genres", dimension_json(diff.genres)},
          {"rollups", rollups_json(diff)},
          {"schema", {{"tables_only_in_a", array_of(diff.schema.tables_only_in_a)},
                      {"tables_only_in_b", array_of(diff.schema.tables_only_in_b)},
                      {"columns_only_in_a", columns_json(diff.schema.columns_only_in_a)},
                      {"columns_only_in_b", columns_json(diff.schema.columns_only_in_b)}}}};
}

bj::object summary_json(const RunDiff& diff) {
  return {{"against", diff.run_a},
          {"movies_added", diff.movies.added},
          {"movies_removed", diff.movies.removed},
          {"movies_changed", diff.movies.changed},
          {"companies_added", diff.companies.added},
          {"companies_removed", diff.companies.removed},
          {"companies_renamed", diff.companies.renamed},
          {"genres_added", diff.genres.added},
          {"genres_removed", diff.genres.removed},
          {"genres_renamed", diff.genres.renamed}};
}

std::string to_text(const RunDiff& diff) {
  const MovieDiff& m = diff.movies;
  std::string out = fmt::format("{} -> {}\n", diff.run_a, diff.run_b);
  if (diff.empty()) return out + "no differences\n";
  out += fmt::format("movies: {} -> {}: +{} added, -{} removed, {} changed, {} unchanged\n", m.in_a, m.in_b, m.added,
                     m.removed, m.changed, m.unchanged);
  if (!m.added_examples.empty()) out += fmt::format("  added: {}{}\n", fmt::join(m.added_examples, ", "), m.added > m.added_examples.size() ? ", ..." : "");
  if (!m.removed_examples.empty()) out += fmt::format("  removed: {}{}\n", fmt::join(m.removed_examples, ", "), m.removed > m.removed_examples.size() ? ", ..." : "");
  for (const ColumnChanges& c : m.columns) {
    out += fmt::format("  {}: {} movies changed\n", c.column, c.movies);
    for (const ValueChange& e : c.examples) {
      out += fmt::format("    movie {}: {} -> {}\n", e.id, e.before.substr(0, 80), e.after.substr(0, 80));
    }
  }
  for (const auto& [label, d] : {std::pair<const char*, const DimensionDiff*>{"companies", &diff.companies},
                                 {"genres", &diff.genres}}) {
    out += fmt::format("{}: {} -> {}: +{} added, -{} removed, {} renamed\n", label, d->in_a, d->in_b, d->added,
                       d->removed, d->renamed);
    for (const Rename& r : d->renamed_examples) out += fmt::format("  {}: '{}' -> '{}'\n", r.id, r.before, r.after);
  }
  for (const auto& [table, measures] : diff.rollups) {
    for (const auto& [measure, moves] : measures) {
      if (moves.empty()) continue;
      out += fmt::format("{} {}: moved most\n", table, measure);
      for (const RollupMove& mv : moves) {
        out += fmt::format("  {} ({}) {}: {} -> {} ({:+})\n", mv.name, mv.id, mv.year,
                           mv.before ? fmt::format("{}", *mv.before) : "absent",
                           mv.after ? fmt::format("{}", *mv.after) : "absent", mv.delta);
      }
    }
  }
  for (const auto& t : diff.schema.tables_only_in_a) out += fmt::format("table only in {}: {}\n", diff.run_a, t);
  for (const auto& t : diff.schema.tables_only_in_b) out += fmt::format("table only in {}: {}\n", diff.run_b, t);
  for (const auto& [t, cols] : diff.schema.columns_only_in_a) out += fmt::format("{} columns only in {}: {}\n", t, diff.run_a, fmt::join(cols, ", "));
  for (const auto& [t, cols] : diff.schema.columns_only_in_b) out += fmt::format("{} columns only in {}: {}\n", t, diff.run_b, fmt::join(cols, ", "));
  return out;
}

}  // namespace marquee::diff

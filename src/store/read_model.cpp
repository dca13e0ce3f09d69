#include "store/read_model.hpp"

#include <charconv>
#include <cmath>
#include <fmt/format.h>

namespace marquee::store {
namespace {

using Row = std::vector<std::optional<std::string>>;

// Both backends return numbers as text. An integer column normally reads back
// as digits; a REAL-typed SQLite value ("12.0") is accepted and rounded so a
// loader's type choice cannot turn into a 500.
std::int64_t to_int(const std::optional<std::string>& cell, std::string_view column) {
  if (!cell) return 0;
  const std::string& text = *cell;
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc() && end == text.data() + text.size()) return value;
  double real = 0;
  auto [dend, dec] = std::from_chars(text.data(), text.data() + text.size(), real);
  if (dec == std::errc() && dend == text.data() + text.size() && std::isfinite(real))
    return std::llround(real);
  throw DatabaseError(fmt::format("column {}: expected an integer, got '{}'", column, text));
}

std::optional<double> to_optional_double(const std::optional<std::string>& cell,
                                         std::string_view column) {
  if (!cell) return std::nullopt;
  const std::string& text = *cell;
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size())
    throw DatabaseError(fmt::format("column {}: expected a number, got '{}'", column, text));
  return value;
}

double to_double(const std::optional<std::string>& cell, std::string_view column) {
  return to_optional_double(cell, column).value_or(0.0);
}

std::int32_t to_int32(const std::optional<std::string>& cell, std::string_view column) {
  return static_cast<std::int32_t>(to_int(cell, column));
}

std::string to_text(const std::optional<std::string>& cell) { return cell.value_or(std::string()); }

std::vector<Param> params(std::initializer_list<Param> list) { return {list}; }

// LIKE treats % and _ as wildcards; a user searching for "100%" means the
// characters, so they are escaped with \ (PostgreSQL's default LIKE escape;
// SQLite is told with ESCAPE).
std::string prefix_pattern(std::string_view prefix) {
  std::string pattern;
  for (char c : prefix) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  pattern += '%';
  return pattern;
}

// Written to match the name indexes of the schema (V001): SQLite's LIKE is
// ASCII-case-insensitive over (run_id, name COLLATE NOCASE); PostgreSQL's
// index is on lower(name) with text_pattern_ops.
std::string_view prefix_predicate(std::string_view dialect) {
  return dialect == "postgresql" ? "lower(c.name) LIKE lower($2)" : "c.name LIKE $2 ESCAPE '\\'";
}

std::string_view measure_column(PopularityMeasure measure) {
  switch (measure) {
    case PopularityMeasure::popularity_total: return "popularity_total";
    case PopularityMeasure::popularity_average: return "popularity_average";
    case PopularityMeasure::movie_count: return "movie_count";
    case PopularityMeasure::revenue: return "revenue";
    case PopularityMeasure::rating_count: return "rating_count";
    case PopularityMeasure::rating_mean: return "rating_mean";
  }
  return "popularity_total";
}

bool measure_is_integral(PopularityMeasure measure) {
  return measure == PopularityMeasure::movie_count || measure == PopularityMeasure::revenue ||
         measure == PopularityMeasure::rating_count;
}

// A company's movie count is a correlated subquery so that it is computed for
// the rows of the page only, not for every company that matches.
constexpr std::string_view kCompanyMovieCount =
    "(SELECT count(*) FROM @.movie_company mc WHERE mc.run_id = c.run_id AND mc.company_id = c.id)";

// Names the run's tables: every "@." in `sql` becomes the schema prefix that
// Connection::run_schema gave (empty, or a SQLite run file's).
std::string in_run(std::string_view sql, const std::string& schema) {
  std::string out;
  out.reserve(sql.size() + 8 * schema.size());
  for (std::size_t i = 0; i < sql.size(); ++i) {
    if (sql[i] == '@' && i + 1 < sql.size() && sql[i + 1] == '.') {
      out += schema;
      ++i;
    } else {
      out += sql[i];
    }
  }
  return out;
}

}  // namespace

bool is_servable_status(std::string_view status) {
  return status == "loaded" || status == "published";
}

std::optional<PublishedPointer> ReadModel::published() {
  const Result result =
      db_.query("SELECT run_id, generation, published_at FROM published WHERE singleton = 1");
  if (result.rows.empty() || !result.rows[0][0]) return std::nullopt;
  const Row& row = result.rows[0];
  return PublishedPointer{*row[0], to_int(row[1], "generation"), to_text(row[2])};
}

std::vector<RunRecord> ReadModel::runs() {
  const Result result = db_.query(
      "SELECT run_id, status, created_at, loaded_at, published_at, retired_at, manifest FROM runs "
      "ORDER BY created_at DESC, run_id DESC");
  std::vector<RunRecord> runs;
  runs.reserve(result.rows.size());
  for (const Row& row : result.rows)
    runs.push_back({to_text(row[0]), to_text(row[1]), row[2], row[3], row[4], row[5], row[6]});
  return runs;
}

bool ReadModel::run_is_servable(std::string_view run_id) {
  const auto p = params({std::string(run_id)});
  const Result result = db_.query("SELECT status FROM runs WHERE run_id = $1", p);
  return !result.rows.empty() && result.rows[0][0] && is_servable_status(*result.rows[0][0]);
}

Result ReadModel::query_in_run(std::string_view run_id, std::string_view sql, std::span<const Param> params) {
  return db_.query(in_run(sql, db_.run_schema(run_id)), params);
}

CompanyPage ReadModel::companies(std::string_view run_id, const CompanyQuery& query) {
  const bool filtered = !query.name_prefix.empty();
  const std::string where =
      filtered ? fmt::format("c.run_id = $1 AND {}", prefix_predicate(db_.dialect())) : "c.run_id = $1";
  std::vector<Param> filter{std::string(run_id)};
  if (filtered) filter.emplace_back(prefix_pattern(query.name_prefix));

  CompanyPage page;
  const Result total = query_in_run(run_id, fmt::format("SELECT count(*) FROM @.company c WHERE {}", where), filter);
  page.total = total.rows.empty() ? 0 : to_int(total.rows[0][0], "count");

  std::vector<Param> paged = filter;
  const std::size_t n = paged.size();
  paged.emplace_back(query.limit);
  paged.emplace_back(query.offset);
  const Result rows = query_in_run(run_id,
      fmt::format("SELECT c.id, c.name, {} FROM @.company c WHERE {} ORDER BY c.id LIMIT ${} OFFSET ${}",
                  kCompanyMovieCount, where, n + 1, n + 2),
      paged);
  page.companies.reserve(rows.rows.size());
  for (const Row& row : rows.rows)
    page.companies.push_back({to_int(row[0], "id"), to_text(row[1]), to_int(row[2], "movie_count")});
  return page;
}

std::optional<CompanyDetail> ReadModel::company(std::string_view run_id, std::int64_t company_id) {
  const auto p = params({std::string(run_id), company_id});
  const Result result = query_in_run(run_id,
      fmt::format("SELECT c.id, c.name, {}, "
                  "(SELECT min(cy.year) FROM @.company_year cy WHERE cy.run_id = c.run_id AND cy.company_id = c.id), "
                  "(SELECT max(cy.year) FROM @.company_year cy WHERE cy.run_id = c.run_id AND cy.company_id = c.id) "
                  "FROM @.company c WHERE c.run_id = $1 AND c.id = $2",
                  kCompanyMovieCount),
      p);
  if (result.rows.empty()) return std::nullopt;
  const Row& row = result.rows[0];
  CompanyDetail detail{{to_int(row[0], "id"), to_text(row[1]), to_int(row[2], "movie_count")}, {}, {}};
  if (row[3]) detail.first_year = to_int32(row[3], "first_year");
  if (row[4]) detail.last_year = to_int32(row[4], "last_year");
  return detail;
}

std::vector<CompanyYear> ReadModel::company_years(std::string_view run_id, std::int64_t company_id,
                                                  YearRange years) {
  const auto p = params({std::string(run_id), company_id, std::int64_t{years.from}, std::int64_t{years.to}});
  const Result result = query_in_run(run_id,
      "SELECT year, movie_count, movies_with_budget, movies_with_revenue, movies_with_both, "
      "budget, revenue, profit, budget_split, revenue_split, profit_split, average_popularity, "
      "rating_count, rating_mean "
      "FROM @.company_year WHERE run_id = $1 AND company_id = $2 AND year >= $3 AND year <= $4 "
      "ORDER BY year",
      p);
  std::vector<CompanyYear> out;
  out.reserve(result.rows.size());
  for (const Row& r : result.rows) {
    out.push_back({to_int32(r[0], "year"), to_int(r[1], "movie_count"),
                   to_int(r[2], "movies_with_budget"), to_int(r[3], "movies_with_revenue"),
                   to_int(r[4], "movies_with_both"), to_int(r[5], "budget"), to_int(r[6], "revenue"),
                   to_int(r[7], "profit"), to_double(r[8], "budget_split"),
                   to_double(r[9], "revenue_split"), to_double(r[10], "profit_split"),
                   to_optional_double(r[11], "average_popularity"),
                   r[12] ? std::optional<std::int64_t>(to_int(r[12], "rating_count")) : std::nullopt,
                   to_optional_double(r[13], "rating_mean")});
  }
  return out;
}

std::vector<CompanyGenreYear> ReadModel::company_genres(std::string_view run_id,
                                                        std::int64_t company_id, YearRange years) {
  const auto p = params({std::string(run_id), company_id, std::int64_t{years.from}, std::int64_t{years.to}});
  const Result result = query_in_run(run_id,
      "SELECT year, genre_id, genre_name, movie_count FROM @.company_year_genre "
      "WHERE run_id = $1 AND company_id = $2 AND year >= $3 AND year <= $4 "
      "ORDER BY year, genre_id",
      p);
  std::vector<CompanyGenreYear> out;
  out.reserve(result.rows.size());
  for (const Row& r : result.rows)
    out.push_back({to_int32(r[0], "year"), to_int(r[1], "genre_id"), to_text(r[2]),
                   to_int(r[3], "movie_count")});
  return out;
}

std::vector<GenreSummary> ReadModel::genres(std::string_view run_id) {
  const auto p = params({std::string(run_id)});
  const Result result = query_in_run(run_id,
      "SELECT g.id, g.name, "
      "(SELECT count(*) FROM @.movie_genre mg WHERE mg.run_id = g.run_id AND mg.genre_id = g.id) "
      "FROM @.genre g WHERE g.run_id = $1 ORDER BY g.id",
      p);
  std::vector<GenreSummary> out;
  out.reserve(result.rows.size());
  for (const Row& r : result.rows)
    out.push_back({to_int(r[0], "id"), to_text(r[1]), to_int(r[2], "movie_count")});
  return out;
}

bool ReadModel::genre_exists(std::string_view run_id, std::int64_t genre_id) {
  const auto p = params({std::string(run_id), genre_id});
  return !query_in_run(run_id, "SELECT 1 FROM @.genre WHERE run_id = $1 AND id = $2", p).rows.empty();
}

std::vector<GenreYear> ReadModel::genre_years(std::string_view run_id, YearRange years,
                                              std::optional<std::int64_t> genre_id) {
  std::vector<Param> p{std::string(run_id), std::int64_t{years.from}, std::int64_t{years.to}};
  std::string sql =
      "SELECT genre_id, year, genre_name, movie_count, movies_with_budget, movies_with_revenue, "
      "movies_with_both, budget, revenue, profit, popularity_total, popularity_average, "
      "vote_count_total, rank_by_popularity_total, rating_count, rating_mean "
      "FROM @.genre_year WHERE run_id = $1 AND year >= $2 AND year <= $3";
  if (genre_id) {
    sql += " AND genre_id = $4";
    p.emplace_back(*genre_id);
  }
  sql += " ORDER BY year, genre_id";
  const Result result = query_in_run(run_id, sql, p);
  std::vector<GenreYear> out;
  out.reserve(result.rows.size());
  for (const Row& r : result.rows) {
    out.push_back({to_int(r[0], "genre_id"), to_int32(r[1], "year"), to_text(r[2]),
                   to_int(r[3], "movie_count"), to_int(r[4], "movies_with_budget"),
                   to_int(r[5], "movies_with_revenue"), to_int(r[6], "movies_with_both"),
                   to_int(r[7], "budget"), to_int(r[8], "revenue"), to_int(r[9], "profit"),
                   to_double(r[10], "popularity_total"), to_optional_double(r[11], "popularity_average"),
                   to_int(r[12], "vote_count_total"), to_int32(r[13], "rank_by_popularity_total"),
                   r[14] ? std::optional<std::int64_t>(to_int(r[14], "rating_count")) : std::nullopt,
                   to_optional_double(r[15], "rating_mean")});
  }
  return out;
}

std::vector<YearWinner> ReadModel::most_popular(std::string_view run_id, YearRange years,
                                                PopularityMeasure measure, std::int64_t min_ratings) {
  // The column name comes from the enum above, never from the request.
  const std::string_view column = measure_column(measure);
  const bool by_rating = measure == PopularityMeasure::rating_count || measure == PopularityMeasure::rating_mean;
  // Runs without ratings have null rating columns, so no winner by rating.
  auto p = params({std::string(run_id), std::int64_t{years.from}, std::int64_t{years.to}});
  if (by_rating) p.emplace_back(min_ratings);
  // By total popularity the rollup has already ranked the genres of each
  // year (rank 1 = highest, ties to the lower genre id), and an index serves
  // exactly that; the other measures rank here, by the same rule.
  const std::string sql =
      measure == PopularityMeasure::popularity_total
          ? std::string("SELECT year, genre_id, genre_name, popularity_total FROM @.genre_year "
                        "WHERE run_id = $1 AND year >= $2 AND year <= $3 AND rank_by_popularity_total = 1 "
                        "ORDER BY year")
          : fmt::format("SELECT year, genre_id, genre_name, value FROM ("
                  "SELECT year, genre_id, genre_name, {0} AS value, "
                  "ROW_NUMBER() OVER (PARTITION BY year ORDER BY {0} DESC, genre_id ASC) AS place "
                  "FROM @.genre_year WHERE run_id = $1 AND year >= $2 AND year <= $3 AND {0} IS NOT NULL{1}"
                  ") ranked WHERE place = 1 ORDER BY year",
                  column, by_rating ? " AND rating_count >= $4" : "");
  const Result result = query_in_run(run_id, sql, p);
  std::vector<YearWinner> out;
  out.reserve(result.rows.size());
  for (const Row& r : result.rows) {
    YearWinner winner{to_int32(r[0], "year"), to_int(r[1], "genre_id"), to_text(r[2]), {}};
    if (measure_is_integral(measure))
      winner.value = to_int(r[3], column);
    else
      winner.value = to_double(r[3], column);
    out.push_back(std::move(winner));
  }
  return out;
}

}  // namespace marquee::store

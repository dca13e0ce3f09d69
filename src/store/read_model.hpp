#pragma once
// The read side of a published snapshot: one query per question the API
// answers, written once over store::Connection so that SQLite and PostgreSQL
// share them. Returns plain structs; knows SQL and the schema contract, never
// HTTP. Every data query is scoped to one run id, so a caller that resolves
// the run once per request can never mix runs.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "store/connection.hpp"

namespace marquee::store {

struct PublishedPointer {
  std::string run_id;
  std::int64_t generation = 0;
  std::string published_at;
  bool operator==(const PublishedPointer&) const = default;
};

struct RunRecord {
  std::string run_id;
  std::string status;
  std::optional<std::string> created_at;
  std::optional<std::string> loaded_at;
  std::optional<std::string> published_at;
  std::optional<std::string> retired_at;
  std::optional<std::string> manifest_json;  // as stored; the caller decides how to embed it
};

struct CompanySummary {
  std::int64_t id = 0;
  std::string name;
  std::int64_t movie_count = 0;  // movies of the snapshot crediting the company
};

struct CompanyPage {
  std::int64_t total = 0;  // all matches, not only this page
  std::vector<CompanySummary> companies;
};

struct CompanyDetail {
  CompanySummary summary;
  std::optional<std::int32_t> first_year;  // null when no dated movie credits it
  std::optional<std::int32_t> last_year;
};

struct CompanyYear {
  std::int32_t year = 0;
  std::int64_t movie_count = 0;
  std::int64_t movies_with_budget = 0;
  std::int64_t movies_with_revenue = 0;
  std::int64_t movies_with_both = 0;
  std::int64_t budget = 0;
  std::int64_t revenue = 0;
  std::int64_t profit = 0;
  double budget_split = 0;
  double revenue_split = 0;
  double profit_split = 0;
  std::optional<double> average_popularity;
  std::optional<std::int64_t> rating_count;  // null: the run read no ratings
  std::optional<double> rating_mean;         // null also when rating_count is 0
};

struct CompanyGenreYear {
  std::int32_t year = 0;
  std::int64_t genre_id = 0;
  std::string genre_name;
  std::int64_t movie_count = 0;
};

struct GenreSummary {
  std::int64_t id = 0;
  std::string name;
  std::int64_t movie_count = 0;
};

struct GenreYear {
  std::int64_t genre_id = 0;
  std::int32_t year = 0;
  std::string genre_name;
  std::int64_t movie_count = 0;
  std::int64_t movies_with_budget = 0;
  std::int64_t movies_with_revenue = 0;
  std::int64_t movies_with_both = 0;
  std::int64_t budget = 0;
  std::int64_t revenue = 0;
  std::int64_t profit = 0;
  double popularity_total = 0;
  std::optional<double> popularity_average;
  std::int64_t vote_count_total = 0;
  std::int32_t rank_by_popularity_total = 0;
  std::optional<std::int64_t> rating_count;  // null: the run read no ratings
  std::optional<double> rating_mean;         // null also when rating_count is 0
};

// rating_count, rating_mean: audience ratings (docs/DATA_MODEL.md, "Audience
// ratings"); a genre-year competes only with at least min_ratings ratings.
enum class PopularityMeasure { popularity_total, popularity_average, movie_count, revenue, rating_count, rating_mean };

// The default minimum of ratings a genre-year needs to compete by rating:
// below it a single five-star rating could win a year.
inline constexpr std::int64_t kDefaultMinRatings = 50;

struct YearWinner {
  std::int32_t year = 0;
  std::int64_t genre_id = 0;
  std::string genre_name;
  std::variant<std::int64_t, double> value;  // integral measures stay integers
};

// Inclusive; the defaults cover every year.
struct YearRange {
  std::int32_t from = -1'000'000;
  std::int32_t to = 1'000'000;
};

struct CompanyQuery {
  // Case-insensitive name prefix; empty = every company. A prefix (not a
  // substring) so that the search uses the name index of the schema. SQLite
  // folds ASCII letters only; PostgreSQL folds per the database's locale.
  std::string name_prefix;
  std::int64_t limit = 50;
  std::int64_t offset = 0;
};

class ReadModel {
 public:
  explicit ReadModel(Connection& connection) : db_(connection) {}

  std::optional<PublishedPointer> published();
  std::vector<RunRecord> runs();  // newest first (created_at, then run_id)
  // A run whose tables are loaded and not retired, i.e. one that can be read.
  bool run_is_servable(std::string_view run_id);

  CompanyPage companies(std::string_view run_id, const CompanyQuery& query);
  std::optional<CompanyDetail> company(std::string_view run_id, std::int64_t company_id);
  std::vector<CompanyYear> company_years(std::string_view run_id, std::int64_t company_id,
                                         YearRange years);
  std::vector<CompanyGenreYear> company_genres(std::string_view run_id, std::int64_t company_id,
                                               YearRange years);
  std::vector<GenreSummary> genres(std::string_view run_id);
  bool genre_exists(std::string_view run_id, std::int64_t genre_id);
  // genre_id nullopt = every genre. Ordered by year, then genre id.
  std::vector<GenreYear> genre_years(std::string_view run_id, YearRange years,
                                     std::optional<std::int64_t> genre_id);
  // One genre per year: the highest value of `measure`, ties to the lower
  // genre id; genres whose value is null (no popularity known) never win.
  std::vector<YearWinner> most_popular(std::string_view run_id, YearRange years,
                                       PopularityMeasure measure, std::int64_t min_ratings = kDefaultMinRatings);

 private:
  // `sql` with its tables ("@.company") named where `run_id`'s rows are.
  Result query_in_run(std::string_view run_id, std::string_view sql, std::span<const Param> params);

  Connection& db_;
};

// Run statuses (see the runs table) whose rows can be read: 'loaded' and
// 'published'; a 'retired' run's rows are gone.
bool is_servable_status(std::string_view status);

}  // namespace marquee::store

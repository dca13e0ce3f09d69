#include "api/endpoints.hpp"

#include <cmath>
#include <cstdint>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "api/http_types.hpp"
#include "api/query.hpp"

namespace marquee::api {
namespace {

using store::ReadModel;

std::int64_t path_id(const RouteMatch& match) {
  const auto id = parse_integer(match.captures.at(0));
  if (!id || *id < 1) throw bad_parameter("id", "must be a positive integer");
  return *id;
}

store::YearRange year_range(const QueryParams& params) {
  store::YearRange range;
  const auto from = params.optional_integer("from", kMinYear, kMaxYear);
  const auto to = params.optional_integer("to", kMinYear, kMaxYear);
  if (from) range.from = static_cast<std::int32_t>(*from);
  if (to) range.to = static_cast<std::int32_t>(*to);
  if (from && to && *from > *to) throw bad_parameter("from", "must not be greater than to");
  return range;
}

std::string range_key(const store::YearRange& range) {
  return fmt::format("from={}&to={}", range.from, range.to);
}

// Free text in a cache key is escaped, so that no value can imitate another
// parameter ("a&limit=5").
std::string key_escape(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c)) out += static_cast<char>(c);
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}

[[noreturn]] void not_found(std::string message) { throw ApiError{404, "not_found", std::move(message), ""}; }

void write_company_summary(JsonWriter& w, const store::CompanySummary& c) {
  w.begin_object().field("id", c.id).field("name", c.name).field("movie_count", c.movie_count).end_object();
}

store::CompanyDetail require_company(ReadModel& model, std::string_view run, std::int64_t id) {
  auto company = model.company(run, id);
  if (!company) not_found(fmt::format("company {} is not in run {}", id, run));
  return std::move(*company);
}

void write_company_ref(JsonWriter& w, const store::CompanyDetail& c) {
  w.key("company").begin_object().field("id", c.summary.id).field("name", c.summary.name).end_object();
}

// Money is served as integers; the split shares are fractions of a movie's
// money and are rounded half away from zero (llround).
std::int64_t money(double amount) { return std::llround(amount); }

DataPlan plan_companies(const QueryList& query) {
  const QueryParams params(query, {"q", "limit", "offset", "run"});
  store::CompanyQuery q;
  q.name_prefix = params.text("q", kMaxSearchBytes);
  q.limit = params.integer("limit", 1, kMaxLimit, kDefaultLimit);
  q.offset = params.integer("offset", 0, kMaxOffset, 0);
  std::string key = fmt::format("companies?q={}&limit={}&offset={}", key_escape(q.name_prefix), q.limit, q.offset);
  return {std::move(key), [q](ReadModel& model, std::string_view run, JsonWriter& w) {
            const store::CompanyPage page = model.companies(run, q);
            w.field("total", page.total).field("limit", q.limit).field("offset", q.offset);
            if (q.name_prefix.empty()) w.key("q").null();
            else w.field("q", q.name_prefix);
            w.key("companies").begin_array();
            for (const auto& c : page.companies) write_company_summary(w, c);
            w.end_array();
          }};
}

DataPlan plan_company(const RouteMatch& match, const QueryList& query) {
  const std::int64_t id = path_id(match);
  const QueryParams params(query, {"run"});
  return {fmt::format("company/{}", id), [id](ReadModel& model, std::string_view run, JsonWriter& w) {
            const auto c = require_company(model, run, id);
            w.key("company").begin_object();
            w.field("id", c.summary.id).field("name", c.summary.name).field("movie_count", c.summary.movie_count);
            w.field("first_year", c.first_year).field("last_year", c.last_year);
            w.end_object();
          }};
}

DataPlan plan_company_years(const RouteMatch& match, const QueryList& query) {
  const std::int64_t id = path_id(match);
  const QueryParams params(query, {"from", "to", "attribution", "run"});
  const store::YearRange range = year_range(params);
  const bool split = params.choice("attribution", {"full", "split"}, "full") == "split";
  return {fmt::format("company/{}/years?{}&attribution={}", id, range_key(range), split ? "split" : "full"),
          [id, range, split](ReadModel& model, std::string_view run, JsonWriter& w) {
            const auto company = require_company(model, run, id);
            write_company_ref(w, company);
            w.field("attribution", split ? "split" : "full");
            w.key("years").begin_array();
            for (const auto& y : model.company_years(run, id, range)) {
              w.begin_object().field("year", y.year).field("movie_count", y.movie_count);
              w.field("movies_with_budget", y.movies_with_budget)
                  .field("movies_with_revenue", y.movies_with_revenue)
                  .field("movies_with_both", y.movies_with_both);
              if (split) {
                w.field("budget", money(y.budget_split)).field("revenue", money(y.revenue_split))
                    .field("profit", money(y.profit_split));
              } else {
                w.field("budget", y.budget).field("revenue", y.revenue).field("profit", y.profit);
              }
              w.field("average_popularity", y.average_popularity);
              w.field("rating_count", y.rating_count).field("rating_mean", y.rating_mean).end_object();
            }
            w.end_array();
          }};
}

DataPlan plan_company_genres(const RouteMatch& match, const QueryList& query) {
  const std::int64_t id = path_id(match);
  const QueryParams params(query, {"from", "to", "run"});
  const store::YearRange range = year_range(params);
  return {fmt::format("company/{}/genres?{}", id, range_key(range)),
          [id, range](ReadModel& model, std::string_view run, JsonWriter& w) {
            const auto company = require_company(model, run, id);
            write_company_ref(w, company);
            w.key("years").begin_array();
            const auto rows = model.company_genres(run, id, range);
            for (std::size_t i = 0; i < rows.size();) {
              const std::int32_t year = rows[i].year;
              w.begin_object().field("year", year).key("genres").begin_array();
              for (; i < rows.size() && rows[i].year == year; ++i) {
                w.begin_object().field("genre_id", rows[i].genre_id).field("genre_name", rows[i].genre_name);
                w.field("movie_count", rows[i].movie_count).end_object();
              }
              w.end_array().end_object();
            }
            w.end_array();
          }};
}

DataPlan plan_genres(const QueryList& query) {
  const QueryParams params(query, {"run"});
  return {"genres", [](ReadModel& model, std::string_view run, JsonWriter& w) {
            w.key("genres").begin_array();
            for (const auto& g : model.genres(run))
              w.begin_object().field("id", g.id).field("name", g.name).field("movie_count", g.movie_count).end_object();
            w.end_array();
          }};
}

DataPlan plan_genre_years(const QueryList& query) {
  const QueryParams params(query, {"from", "to", "genre", "run"});
  const store::YearRange range = year_range(params);
  const auto genre = params.optional_integer("genre", 1, INT64_MAX);
  return {fmt::format("genres/years?{}&genre={}", range_key(range), genre.value_or(0)),
          [range, genre](ReadModel& model, std::string_view run, JsonWriter& w) {
            const auto rows = model.genre_years(run, range, genre);
            if (genre && rows.empty() && !model.genre_exists(run, *genre))
              not_found(fmt::format("genre {} is not in run {}", *genre, run));
            w.key("genre_years").begin_array();
            for (const auto& g : rows) {
              w.begin_object().field("genre_id", g.genre_id).field("genre_name", g.genre_name).field("year", g.year);
              w.field("movie_count", g.movie_count)
                  .field("movies_with_budget", g.movies_with_budget)
                  .field("movies_with_revenue", g.movies_with_revenue)
                  .field("movies_with_both", g.movies_with_both);
              w.field("budget", g.budget).field("revenue", g.revenue).field("profit", g.profit);
              w.field("popularity_total", g.popularity_total).field("popularity_average", g.popularity_average);
              w.field("vote_count_total", g.vote_count_total)
                  .field("rank_by_popularity_total", g.rank_by_popularity_total);
              w.field("rating_count", g.rating_count).field("rating_mean", g.rating_mean);
              w.end_object();
            }
            w.end_array();
          }};
}

store::PopularityMeasure measure_of(std::string_view name) {
  if (name == "popularity_average") return store::PopularityMeasure::popularity_average;
  if (name == "movie_count") return store::PopularityMeasure::movie_count;
  if (name == "revenue") return store::PopularityMeasure::revenue;
  if (name == "rating_count") return store::PopularityMeasure::rating_count;
  if (name == "rating_mean") return store::PopularityMeasure::rating_mean;
  return store::PopularityMeasure::popularity_total;
}

DataPlan plan_most_popular(const QueryList& query) {
  const QueryParams params(query, {"from", "to", "by", "min_ratings", "run"});
  const store::YearRange range = year_range(params);
  const std::string by(params.choice(
      "by", {"popularity_total", "popularity_average", "movie_count", "revenue", "rating_count", "rating_mean"},
      "popularity_total"));
  // Only the rating measures use it; the others ignore it (and share a cache entry).
  const std::int64_t min_ratings =
      params.optional_integer("min_ratings", 0, INT64_MAX).value_or(store::kDefaultMinRatings);
  const bool by_rating = by == "rating_count" || by == "rating_mean";
  return {fmt::format("genres/most-popular?{}&by={}&min_ratings={}", range_key(range), by, by_rating ? min_ratings : 0),
          [range, by, by_rating, min_ratings](ReadModel& model, std::string_view run, JsonWriter& w) {
            w.field("by", by);
            if (by_rating) w.field("min_ratings", min_ratings);
            else w.key("min_ratings").null();
            w.key("years").begin_array();
            for (const auto& y : model.most_popular(run, range, measure_of(by), min_ratings)) {
              w.begin_object().field("year", y.year).field("genre_id", y.genre_id).field("genre_name", y.genre_name);
              w.key("value");
              std::visit([&w](auto v) { w.value(v); }, y.value);
              w.end_object();
            }
            w.end_array();
          }};
}

}  // namespace

DataPlan plan_data_request(const RouteMatch& match, const QueryList& query) {
  switch (match.route->id) {
    case RouteId::companies: return plan_companies(query);
    case RouteId::company: return plan_company(match, query);
    case RouteId::company_years: return plan_company_years(match, query);
    case RouteId::company_genres: return plan_company_genres(match, query);
    case RouteId::genres: return plan_genres(query);
    case RouteId::genre_years: return plan_genre_years(query);
    case RouteId::most_popular: return plan_most_popular(query);
    default: break;
  }
  throw ApiError{500, "internal", "route has no data plan", ""};
}

std::string runs_body(store::ReadModel& model, const store::PublishedPointer* current) {
  JsonWriter w;
  w.begin_object().key("run");
  if (current) w.value(current->run_id);
  else w.null();
  w.key("runs").begin_array();
  for (const store::RunRecord& run : model.runs()) {
    w.begin_object().field("run_id", run.run_id).field("status", run.status);
    w.field("published", current != nullptr && current->run_id == run.run_id);
    w.field("servable", store::is_servable_status(run.status));
    w.field("created_at", run.created_at).field("loaded_at", run.loaded_at).field("published_at", run.published_at);
    // The manifest is embedded as a JSON object (compacted); text that does
    // not parse (it never should) becomes null rather than breaking the document.
    boost::system::error_code ec;
    const boost::json::value manifest =
        run.manifest_json ? boost::json::parse(*run.manifest_json, ec) : boost::json::value();
    if (!ec && manifest.is_object())
      w.key("manifest").raw(boost::json::serialize(manifest));
    else
      w.key("manifest").null();
    w.end_object();
  }
  w.end_array().end_object();
  return w.take();
}

}  // namespace marquee::api

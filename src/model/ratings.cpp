#include "model/ratings.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "common/utf8.hpp"
#include "model/numbers.hpp"

namespace marquee::model {
namespace {

using table::Column;
using table::Type;

std::optional<std::size_t> find_column(std::span<const std::string> header, std::string_view name) {
  const auto it = std::find(header.begin(), header.end(), name);
  if (it == header.end()) return std::nullopt;
  return static_cast<std::size_t>(it - header.begin());
}

// Finds every name in `names`; the first absent one goes to `missing`.
template <std::size_t N>
bool find_all(std::span<const std::string> header, const char* const (&names)[N], std::size_t (&at)[N],
              std::string& missing) {
  for (std::size_t i = 0; i < N; ++i) {
    const auto found = find_column(header, names[i]);
    if (!found) {
      missing = names[i];
      return false;
    }
    at[i] = *found;
  }
  return true;
}

std::string quoted(std::string_view text) { return "'" + utf8::excerpt(text, 60) + "'"; }

// A positive id: ASCII digits, no sign, > 0.
std::optional<std::int64_t> positive_id(std::string_view text) {
  const auto v = parse_unsigned_int64(text);
  if (!v || *v == 0) return std::nullopt;
  return v;
}

}  // namespace

const table::Schema& movie_rating_schema() {
  static const table::Schema schema{
      "movie_rating",
      {Column{"movie_id", Type::Int64, false}, Column{"rating_count", Type::Int64, false},
       Column{"rating_sum", Type::Double, false}, Column{"rating_mean", Type::Double, false},
       Column{"first_rated", Type::Int64, false}, Column{"last_rated", Type::Int64, false}}};
  return schema;
}

const table::Schema& link_schema() {
  static const table::Schema schema{
      "link",
      {Column{"movielens_id", Type::Int64, false}, Column{"imdb_id", Type::String, true},
       Column{"tmdb_id", Type::Int64, false}}};
  return schema;
}

std::optional<LinkColumns> link_columns(std::span<const std::string> header, std::string& missing) {
  static const char* const names[] = {"movieId", "imdbId", "tmdbId"};
  std::size_t at[3];
  if (!find_all(header, names, at, missing)) return std::nullopt;
  return LinkColumns{at[0], at[1], at[2]};
}

std::optional<RatingColumns> rating_columns(std::span<const std::string> header, std::string& missing) {
  static const char* const names[] = {"userId", "movieId", "rating", "timestamp"};
  std::size_t at[4];
  if (!find_all(header, names, at, missing)) return std::nullopt;
  return RatingColumns{at[0], at[1], at[2], at[3]};
}

std::optional<Link> parse_link(std::span<const std::string_view> fields, const LinkColumns& columns,
                               RowError& error) {
  Link link;
  const std::string_view movie_id = fields[columns.movie_id];
  const auto id = positive_id(movie_id);
  if (!id) {
    error = {Reason::InvalidLink, "movieId", fmt::format("movieId {} is not a positive integer", quoted(movie_id))};
    return std::nullopt;
  }
  link.movielens_id = *id;
  const std::string_view imdb = fields[columns.imdb_id];
  if (!imdb.empty()) {
    if (!is_ascii_digits(imdb) || imdb.size() > 12) {
      error = {Reason::InvalidLink, "imdbId", fmt::format("imdbId {} is not up to 12 digits", quoted(imdb))};
      return std::nullopt;
    }
    link.imdb_id = std::string(imdb);
  }
  const std::string_view tmdb = fields[columns.tmdb_id];
  if (!tmdb.empty()) {
    const auto tmdb_id = positive_id(tmdb);
    if (!tmdb_id) {
      error = {Reason::InvalidLink, "tmdbId", fmt::format("tmdbId {} is not a positive integer", quoted(tmdb))};
      return std::nullopt;
    }
    link.tmdb_id = *tmdb_id;
  }
  return link;
}

std::optional<Rating> parse_rating(std::span<const std::string_view> fields, const RatingColumns& columns,
                                   RowError& error) {
  Rating rating;
  const std::string_view user = fields[columns.user_id];
  const auto user_id = positive_id(user);
  if (!user_id) {
    error = {Reason::InvalidNumber, "userId", fmt::format("userId {} is not a positive integer", quoted(user))};
    return std::nullopt;
  }
  rating.user_id = *user_id;
  const std::string_view movie = fields[columns.movie_id];
  const auto movie_id = positive_id(movie);
  if (!movie_id) {
    error = {Reason::InvalidNumber, "movieId", fmt::format("movieId {} is not a positive integer", quoted(movie))};
    return std::nullopt;
  }
  rating.movielens_id = *movie_id;
  const std::string_view value = fields[columns.rating];
  const auto stars = parse_non_negative_double(value);
  const double halves = stars ? *stars * 2.0 : 0.0;
  if (!stars || halves < 1.0 || halves > 10.0 || halves != static_cast<double>(static_cast<int>(halves))) {
    error = {Reason::InvalidRating, "rating",
             fmt::format("rating {} is not 0.5 to 5 in steps of 0.5", quoted(value))};
    return std::nullopt;
  }
  rating.half_stars = static_cast<std::int32_t>(halves);
  const std::string_view time = fields[columns.timestamp];
  const auto timestamp = parse_unsigned_int64(time);
  if (!timestamp) {
    error = {Reason::InvalidNumber, "timestamp",
             fmt::format("timestamp {} is not a non-negative integer (Unix seconds)", quoted(time))};
    return std::nullopt;
  }
  rating.timestamp = *timestamp;
  return rating;
}

void RatingAggregate::add(const Rating& rating) {
  if (count == 0) {
    first_rated = last_rated = rating.timestamp;
  } else {
    first_rated = std::min(first_rated, rating.timestamp);
    last_rated = std::max(last_rated, rating.timestamp);
  }
  ++count;
  half_star_sum += static_cast<std::uint64_t>(rating.half_stars);
}

std::vector<std::pair<std::int64_t, RatingAggregate>> RatingAggregator::sorted() const {
  std::vector<std::pair<std::int64_t, RatingAggregate>> out(by_movie_.begin(), by_movie_.end());
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

}  // namespace marquee::model

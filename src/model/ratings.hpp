#pragma once
// MovieLens ratings and links (ratings.csv, links.csv of The Movies Dataset):
// row validation and per-movie aggregation. Knows fields, not files: the job
// (job/ratings_job.hpp) reads the files and names them in the error log.
//
// Definitions (docs/DATA_MODEL.md, "Audience ratings"):
// - a link maps a MovieLens movieId to an IMDb id and a TMDB id (the `id` of
//   movies_metadata.csv); the first row of a movieId wins;
// - a rating is 0.5 to 5 in steps of 0.5; the sum is kept in half stars, so
//   sums and means are exact whatever the order of the ratings;
// - first_rated/last_rated are the smallest and largest timestamp (Unix
//   seconds, UTC) of a movie's ratings.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>

#include "model/diagnostic.hpp"
#include "table/schema.hpp"

namespace marquee::model {

const table::Schema& movie_rating_schema();
const table::Schema& link_schema();

// A row that failed validation: its reason, the column and why.
struct RowError {
  Reason reason;
  std::string column;
  std::string message;
};

struct Link {
  std::int64_t movielens_id = 0;
  std::optional<std::string> imdb_id;  // digits as written (leading zeros kept), null when empty
  std::optional<std::int64_t> tmdb_id;  // null when empty
};

struct Rating {
  std::int64_t user_id = 0;
  std::int64_t movielens_id = 0;
  std::int32_t half_stars = 0;  // rating * 2: 1..10
  std::int64_t timestamp = 0;   // Unix seconds
};

// Column positions, found by name in the header (any order, extra columns
// ignored). nullopt and the missing column's name when one is absent.
struct LinkColumns {
  std::size_t movie_id, imdb_id, tmdb_id;
};
struct RatingColumns {
  std::size_t user_id, movie_id, rating, timestamp;
};
std::optional<LinkColumns> link_columns(std::span<const std::string> header, std::string& missing);
std::optional<RatingColumns> rating_columns(std::span<const std::string> header, std::string& missing);

// Parse one row; on failure fill `error` and return nullopt.
std::optional<Link> parse_link(std::span<const std::string_view> fields, const LinkColumns& columns,
                               RowError& error);
std::optional<Rating> parse_rating(std::span<const std::string_view> fields, const RatingColumns& columns,
                                   RowError& error);

struct RatingAggregate {
  std::uint64_t count = 0;
  std::uint64_t half_star_sum = 0;
  std::int64_t first_rated = 0;
  std::int64_t last_rated = 0;

  void add(const Rating& rating);
  double sum() const { return static_cast<double>(half_star_sum) / 2.0; }
  double mean() const { return static_cast<double>(half_star_sum) / 2.0 / static_cast<double>(count); }
};

// Per-TMDB-movie aggregates: memory grows with the movies rated, never with
// the ratings.
class RatingAggregator {
 public:
  void add(std::int64_t movie_id, const Rating& rating) { by_movie_[movie_id].add(rating); }
  std::size_t movies() const { return by_movie_.size(); }
  template <typename Visit>
  void for_each(const Visit& visit) const {
    for (const auto& [movie_id, aggregate] : by_movie_) visit(movie_id, aggregate);
  }
  // (movie id, aggregate) ordered by movie id.
  std::vector<std::pair<std::int64_t, RatingAggregate>> sorted() const;

 private:
  boost::unordered_flat_map<std::int64_t, RatingAggregate> by_movie_;
};

}  // namespace marquee::model

#pragma once
// Audience ratings per rollup group (docs/DATA_MODEL.md, "Audience ratings"):
// the rating_count and rating_mean of company_year and genre_year. The mean is
// over all the ratings of the group's movies (sum / count), not a mean of the
// movies' means, so a movie rated 300 times weighs 300 times one rated once.
//
// The ratings are read after the movies, so this remembers each kept dated
// movie's groups (year, companies, genres) until its ratings arrive: memory
// grows with the movies, never with the ratings. Only used when a run reads
// ratings; without them the columns are null.
#include <cstdint>
#include <utility>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>

#include "model/movie.hpp"

namespace marquee::rollup {

class RatingRollups {
 public:
  struct Totals {
    std::uint64_t count = 0;
    std::uint64_t half_stars = 0;  // sum of ratings * 2: exact whatever the order
  };

  // A kept movie; ignored without a year (no rollup counts it).
  void track(const model::Movie& movie);
  // A movie's ratings (all of them at once); ignored for untracked movies.
  void add(std::int64_t movie_id, const Totals& ratings);

  // The group's totals; zero when none of its movies was rated.
  Totals company_year(std::int64_t company_id, std::int32_t year) const { return find(company_year_, {company_id, year}); }
  Totals genre_year(std::int64_t genre_id, std::int32_t year) const { return find(genre_year_, {genre_id, year}); }

 private:
  using Key = std::pair<std::int64_t, std::int32_t>;
  using Map = boost::unordered_flat_map<Key, Totals>;
  static Totals find(const Map& map, const Key& key) {
    const auto it = map.find(key);
    return it == map.end() ? Totals{} : it->second;
  }

  // movie id -> offset in groups_ of: year, company count, genre count, the
  // company ids, the genre ids.
  boost::unordered_flat_map<std::int64_t, std::size_t> movie_at_;
  std::vector<std::int64_t> groups_;
  Map company_year_, genre_year_;
};

}  // namespace marquee::rollup

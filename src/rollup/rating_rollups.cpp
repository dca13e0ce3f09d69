#include "rollup/rating_rollups.hpp"

namespace marquee::rollup {

void RatingRollups::track(const model::Movie& movie) {
  if (!movie.year) return;
  movie_at_.emplace(movie.id, groups_.size());
  groups_.push_back(*movie.year);
  groups_.push_back(static_cast<std::int64_t>(movie.companies.size()));
  groups_.push_back(static_cast<std::int64_t>(movie.genres.size()));
  for (const model::NamedRef& company : movie.companies) groups_.push_back(company.id);
  for (const model::NamedRef& genre : movie.genres) groups_.push_back(genre.id);
}

void RatingRollups::add(std::int64_t movie_id, const Totals& ratings) {
  const auto it = movie_at_.find(movie_id);
  if (it == movie_at_.end()) return;
  const std::int64_t* at = groups_.data() + it->second;
  const auto year = static_cast<std::int32_t>(at[0]);
  const std::int64_t companies = at[1], genres = at[2];
  // Sums of uint64 half stars cannot overflow: 26 million ratings of 10 are 2.6e8.
  const auto credit = [&](Map& map, std::int64_t id) {
    Totals& totals = map[{id, year}];
    totals.count += ratings.count;
    totals.half_stars += ratings.half_stars;
  };
  for (std::int64_t i = 0; i < companies; ++i) credit(company_year_, at[3 + i]);
  for (std::int64_t i = 0; i < genres; ++i) credit(genre_year_, at[3 + companies + i]);
}

}  // namespace marquee::rollup

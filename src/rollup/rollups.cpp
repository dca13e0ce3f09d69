#include "rollup/rollups.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <limits>
#include <mutex>

#include <boost/unordered/unordered_flat_map.hpp>
#include <boost/unordered/unordered_flat_set.hpp>
#include <vector>

#include "common/chunked_vector.hpp"
#include "rollup/accumulators.hpp"
#include "rollup/pair_counter.hpp"
#include "rollup/rollup_keys.hpp"
#include "rollup/rollup_state.hpp"
#include "table/cell.hpp"

namespace marquee::rollup {

using namespace detail;

using table::Cell;
using table::Null;
using table::Schema;
using table::Type;

const Schema& company_year_schema() {
  static const Schema schema{"company_year",
                             {{"company_id", Type::Int64},
                              {"year", Type::Int32},
                              {"company_name", Type::String},
                              {"movie_count", Type::Int64},
                              {"movies_with_budget", Type::Int64},
                              {"movies_with_revenue", Type::Int64},
                              {"movies_with_both", Type::Int64},
                              {"budget", Type::Int64},
                              {"revenue", Type::Int64},
                              {"profit", Type::Int64},
                              {"budget_split", Type::Double},
                              {"revenue_split", Type::Double},
                              {"profit_split", Type::Double},
                              {"average_popularity", Type::Double, true},
                              {"rating_count", Type::Int64, true},
                              {"rating_mean", Type::Double, true}}};
  return schema;
}

const Schema& company_year_genre_schema() {
  static const Schema schema{"company_year_genre",
                             {{"company_id", Type::Int64},
                              {"year", Type::Int32},
                              {"genre_id", Type::Int64},
                              {"genre_name", Type::String},
                              {"movie_count", Type::Int64}}};
  return schema;
}

const Schema& genre_year_schema() {
  static const Schema schema{"genre_year",
                             {{"genre_id", Type::Int64},
                              {"year", Type::Int32},
                              {"genre_name", Type::String},
                              {"movie_count", Type::Int64},
                              {"movies_with_budget", Type::Int64},
                              {"movies_with_revenue", Type::Int64},
                              {"movies_with_both", Type::Int64},
                              {"budget", Type::Int64},
                              {"revenue", Type::Int64},
                              {"profit", Type::Int64},
                              {"popularity_total", Type::Double},
                              {"popularity_average", Type::Double, true},
                              {"vote_count_total", Type::Int64},
                              {"rank_by_popularity_total", Type::Int32},
                              {"rating_count", Type::Int64, true},
                              {"rating_mean", Type::Double, true}}};
  return schema;
}

namespace {

template <class Map>
std::vector<typename Map::const_pointer> sorted_by_key(const Map& map) {
  std::vector<typename Map::const_pointer> entries;
  entries.reserve(map.size());
  for (const auto& entry : map) entries.push_back(&entry);
  std::sort(entries.begin(), entries.end(),
            [](auto* a, auto* b) { return a->first < b->first; });
  return entries;
}

}  // namespace

namespace {

template <class Map>
std::uint32_t dense_index(Map& map, const typename Map::key_type& key) {
  const auto [it, inserted] = map.try_emplace(key, static_cast<std::uint32_t>(map.size()));
  // Indices stay below 2^32 - 1, so a packed pair of them plus one fits 64 bits.
  if (inserted && map.size() >= std::numeric_limits<std::uint32_t>::max()) {
    throw std::length_error("rollups: too many keys");
  }
  return it->second;
}

}  // namespace

std::uint32_t Rollups::State::company_year_of(const CompanyYear& key) {
  const auto [slot, inserted] = company_year_index.insert(
      CompanyYearSlot{key.company_id, key.year, static_cast<std::uint32_t>(company_year_index.size())});
  if (inserted && company_year_index.size() >= std::numeric_limits<std::uint32_t>::max()) {
    throw std::length_error("rollups: too many keys");
  }
  if (inserted) company_year_totals.emplace_back();
  return slot->index;
}

std::uint32_t Rollups::State::genre_of(std::int64_t genre_id) {
  const std::uint32_t index = dense_index(genre_index, genre_id);
  if (index == genre_ids.size()) genre_ids.push_back(genre_id);
  return index;
}

// First pass: the movie's keys to indices (new keys get theirs now; indices
// never reach the output, which is ordered by key), prefetching the totals
// the second pass will add to.
void Rollups::State::resolve(const model::Movie& movie, std::int32_t year) {
  for (const model::NamedRef& company : movie.companies) {
    const std::uint32_t index = company_year_of(CompanyYear{company.id, year});
    __builtin_prefetch(&company_year_totals[index], 1);
    batch_company_years.push_back(index);
  }
  for (const model::NamedRef& genre : movie.genres) batch_genres.push_back(genre_of(genre.id));
}

void Rollups::State::add_companies(const model::Movie& movie, std::int32_t year,
                                   const Figures& f, const std::uint32_t* company_years) {
  if (movie.companies.empty()) return;
  static constexpr std::string_view table = "company_year";
  // Divide each figure by n rather than multiply by 1/n: x / n is correctly
  // rounded, x * (1 / n) is not always (so 2 halves always sum back to x).
  const double n = static_cast<double>(movie.companies.size());
  for (std::size_t c = 0; c < movie.companies.size(); ++c) {
    const CompanyYear key{movie.companies[c].id, year};
    CompanyYearTotals& totals = company_year_totals[company_years[c]];
    totals.money.add(f, table, key);
    add_checked(totals.budget_split, static_cast<double>(f.budget) / n, table, key,
                "budget_split");
    add_checked(totals.revenue_split, static_cast<double>(f.revenue) / n, table, key,
                "revenue_split");
    add_checked(totals.profit_split, static_cast<double>(f.profit) / n, table, key,
                "profit_split");
    totals.popularity.add(f.popularity, table, key, "average_popularity");
  }
}

void Rollups::State::add_company_genres(std::span<const std::uint32_t> company_years,
                                        std::span<const std::uint32_t> genres) {
  // Counts cannot realistically overflow int64 (one per movie), so unchecked.
  for (const std::uint32_t company_year : company_years) {
    for (const std::uint32_t genre : genres) company_year_genre.add(pack(company_year, genre));
  }
}

void Rollups::State::add_genres(const model::Movie& movie, std::int32_t year, const Figures& f) {
  static constexpr std::string_view table = "genre_year";
  for (const model::NamedRef& genre : movie.genres) {
    const GenreYear key{genre.id, year};
    GenreYearTotals& totals = genre_year[key];
    totals.money.add(f, table, key);
    totals.popularity.add(f.popularity, table, key, "popularity_total");
    add_checked(totals.vote_count_total, f.vote_count, table, key, "vote_count_total");
  }
}


void Rollups::State::sort_company_year_keys() {
  company_year_keys_.assign(company_year_index.size(), CompanyYear{});
  for (const CompanyYearSlot& slot : company_year_index) {
    company_year_keys_[slot.index] = CompanyYear{slot.company_id, slot.year};
  }
  company_year_order_ = order_of(company_year_keys_);
}

const std::vector<CompanyYear>& Rollups::State::company_year_keys() {
  std::call_once(company_year_once, [this] { sort_company_year_keys(); });
  return company_year_keys_;
}

const std::vector<std::uint32_t>& Rollups::State::company_year_order() {
  company_year_keys();
  return company_year_order_;
}

void CompanyYearRows::write(const CompanyYear& key, const CompanyYearTotals& t) {
  if (key.company_id != named_id_) {
    const std::string_view* found = names_.companies().find(key.company_id);
    // The job feeds every movie to the dimensions too; a miss is a wiring bug.
    if (found == nullptr) throw std::logic_error(fmt::format("rollups: company {} missing from the dimensions", key.company_id));
    name_ = *found;
    named_id_ = key.company_id;
  }
  const auto [rating_count, rating_mean] =
      rating_cells(ratings_, ratings_ ? ratings_->company_year(key.company_id, key.year) : RatingRollups::Totals{});
  const Cell row[] = {key.company_id,
                      key.year,
                      name_,
                      std::int64_t{t.money.movie_count},
                      std::int64_t{t.money.with_budget},
                      std::int64_t{t.money.with_revenue},
                      std::int64_t{t.money.with_both},
                      t.money.budget,
                      t.money.revenue,
                      t.money.profit,
                      t.budget_split.value(),
                      t.revenue_split.value(),
                      t.profit_split.value(),
                      t.popularity.average(),
                      rating_count,
                      rating_mean};
  writer_.write_row(row);
}

std::uint64_t Rollups::State::write_company_year(table::TableSink& sink, const model::Dimensions& names) {
  std::call_once(last_part_once, [this] { if (!spilled.empty()) spill(); });
  if (!spilled.empty()) return merge_company_year(sink, names);
  auto writer = sink.open(company_year_schema());
  CompanyYearRows rows(*writer, names, ratings);
  const std::vector<CompanyYear>& keys = company_year_keys();
  for (const std::uint32_t index : company_year_order()) rows.write(keys[index], company_year_totals[index]);
  writer->finish();
  return writer->rows_written();
}

std::uint64_t Rollups::State::write_company_year_genre(table::TableSink& sink, const model::Dimensions& names) {
  std::call_once(last_part_once, [this] { if (!spilled.empty()) spill(); });
  if (!spilled.empty()) return merge_company_year_genre(sink, names);
  company_year_keys();
  auto writer = sink.open(company_year_genre_schema());
  for_each_genre_count([&](const CompanyYear& key, std::int64_t genre_id, std::int64_t count) {
    const Cell row[] = {key.company_id, key.year, genre_id, name_of(names.genres(), genre_id, "genre"), count};
    writer->write_row(row);
  });
  writer->finish();
  return writer->rows_written();
}

namespace {

// Rank within each year: highest popularity_total first, ties to the lower
// genre id, so ranks run 1..n without gaps.
boost::unordered_flat_map<GenreYear, std::int32_t, KeyHash> rank_genres(
    const std::vector<const std::pair<const GenreYear, GenreYearTotals>*>& entries) {
  struct Ranked {
    std::int32_t year;
    double total;
    std::int64_t genre_id;
  };
  std::vector<Ranked> order;
  order.reserve(entries.size());
  for (const auto* entry : entries) {
    order.push_back({entry->first.year, entry->second.popularity.total.value(),
                     entry->first.genre_id});
  }
  std::sort(order.begin(), order.end(), [](const Ranked& a, const Ranked& b) {
    if (a.year != b.year) return a.year < b.year;
    if (a.total != b.total) return a.total > b.total;
    return a.genre_id < b.genre_id;
  });
  boost::unordered_flat_map<GenreYear, std::int32_t, KeyHash> ranks;
  ranks.reserve(order.size());
  std::int32_t rank = 0;
  for (std::size_t i = 0; i < order.size(); ++i) {
    rank = (i > 0 && order[i - 1].year == order[i].year) ? rank + 1 : 1;
    ranks.emplace(GenreYear{order[i].genre_id, order[i].year}, rank);
  }
  return ranks;
}

}  // namespace

std::uint64_t Rollups::State::write_genre_year(table::TableSink& sink,
                                               const model::Dimensions& names) const {
  const auto entries = sorted_by_key(genre_year);
  const auto ranks = rank_genres(entries);
  auto writer = sink.open(genre_year_schema());
  for (const auto* entry : entries) {
    const GenreYear& key = entry->first;
    const GenreYearTotals& t = entry->second;
    const auto [rating_count, rating_mean] =
        rating_cells(ratings, ratings ? ratings->genre_year(key.genre_id, key.year) : RatingRollups::Totals{});
    const Cell row[] = {key.genre_id,
                        key.year,
                        name_of(names.genres(), key.genre_id, "genre"),
                        std::int64_t{t.money.movie_count},
                        std::int64_t{t.money.with_budget},
                        std::int64_t{t.money.with_revenue},
                        std::int64_t{t.money.with_both},
                        t.money.budget,
                        t.money.revenue,
                        t.money.profit,
                        t.popularity.total.value(),
                        t.popularity.average(),
                        t.vote_count_total,
                        ranks.at(key),
                        rating_count,
                        rating_mean};
    writer->write_row(row);
  }
  writer->finish();
  return writer->rows_written();
}

// ---- public -----------------------------------------------------------------

Rollups::Rollups() : state_(std::make_unique<State>()) {}

void Rollups::set_ratings(RatingRollups* ratings) {
  ratings_ = ratings;
  state_->ratings = ratings;
}
Rollups::~Rollups() = default;

// On SumOverflow the rollups are left partly updated: the job fails the run,
// so they are never written.
void Rollups::add(const model::Movie& movie) {
  const model::Movie* one[] = {&movie};
  add(one);
}

void Rollups::add(std::span<const model::Movie* const> movies) {
  State& s = *state_;
  s.batch_company_years.clear();
  s.batch_genres.clear();
  for (const model::Movie* movie : movies) {
    if (movie->year) s.resolve(*movie, *movie->year);
    if (ratings_) ratings_->track(*movie);
  }
  std::size_t company_at = 0, genre_at = 0;
  for (const model::Movie* movie : movies) {
    if (!movie->year) continue;
    try {
      add_one(*movie, company_at, genre_at);
    } catch (const std::overflow_error& e) {
      throw SumOverflow(e.what(), movie->line, movie->id);
    }
  }
  s.spill_if_over_budget();
}

void Rollups::add_one(const model::Movie& movie, std::size_t& company_at, std::size_t& genre_at) {
  State& s = *state_;
  const Figures figures(movie);
  const std::span<const std::uint32_t> company_years(s.batch_company_years.data() + company_at,
                                                     movie.companies.size());
  const std::span<const std::uint32_t> genres(s.batch_genres.data() + genre_at, movie.genres.size());
  s.add_companies(movie, *movie.year, figures, company_years.data());
  s.add_company_genres(company_years, genres);
  s.add_genres(movie, *movie.year, figures);
  company_at += company_years.size();
  genre_at += genres.size();
}

const table::Schema& Rollups::schema_of(Table table) {
  switch (table) {
    case Table::CompanyYear: return company_year_schema();
    case Table::CompanyYearGenre: return company_year_genre_schema();
    case Table::GenreYear: return genre_year_schema();
  }
  throw std::invalid_argument("rollups: unknown table");
}

// Thread safety: the writers only read the state, except that
// company_year_genre folds its own buffer, which no other writer touches, and
// that the first of company_year's two writers spills what is left in memory
// when earlier parts were spilled (the other waits for it).
std::uint64_t Rollups::write(Table table, table::TableSink& sink, const model::Dimensions& names) {
  switch (table) {
    case Table::CompanyYear: return state_->write_company_year(sink, names);
    case Table::CompanyYearGenre: return state_->write_company_year_genre(sink, names);
    case Table::GenreYear: return state_->write_genre_year(sink, names);
  }
  throw std::invalid_argument("rollups: unknown table");
}

std::vector<std::pair<std::string, std::uint64_t>> Rollups::write(
    table::TableSink& sink, const model::Dimensions& names) {
  std::vector<std::pair<std::string, std::uint64_t>> written;
  for (const Table table : kTables) written.emplace_back(schema_of(table).name, write(table, sink, names));
  return written;
}

}  // namespace marquee::rollup

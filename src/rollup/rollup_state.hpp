#pragma once
// What the rollups hold while movies are added, and the row builders both
// ways of writing company_year share: from memory, and merged from the parts
// spilled to disk (internal to src/rollup: rollups.cpp and spill.cpp).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>
#include <boost/unordered/unordered_flat_set.hpp>
#include <fmt/format.h>

#include "common/chunked_vector.hpp"
#include "common/spill_file.hpp"
#include "rollup/accumulators.hpp"
#include "rollup/pair_counter.hpp"
#include "rollup/rollup_keys.hpp"
#include "rollup/rollups.hpp"
#include "table/cell.hpp"

namespace marquee::rollup {

namespace detail {

template <class Names>
std::string_view name_of(const Names& names, std::int64_t id, std::string_view kind) {
  auto found = names.find(id);
  if (found == names.end()) {
    // The job feeds every movie to the dimensions too; a miss is a wiring bug.
    throw std::logic_error(fmt::format("rollups: {} {} missing from the dimensions", kind, id));
  }
  return found->second;
}

// rating_count and rating_mean: both null when the run read no ratings; the
// mean also when none of the group's movies was rated.
inline std::pair<table::Cell, table::Cell> rating_cells(const RatingRollups* ratings,
                                                        const RatingRollups::Totals& t) {
  if (ratings == nullptr) return {table::Null{}, table::Null{}};
  if (t.count == 0) return {std::int64_t{0}, table::Null{}};
  return {static_cast<std::int64_t>(t.count),
          static_cast<double>(t.half_stars) / 2.0 / static_cast<double>(t.count)};
}

// Indices 0..n-1 of `keys` in the keys' order.
template <class Keys>
std::vector<std::uint32_t> order_of(const Keys& keys) {
  std::vector<std::uint32_t> order(keys.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return keys[a] < keys[b]; });
  return order;
}

// The inverse: rank[i] = place of index i in `order`.
inline std::vector<std::uint32_t> ranks_of(const std::vector<std::uint32_t>& order) {
  std::vector<std::uint32_t> rank(order.size());
  for (std::uint32_t place = 0; place < order.size(); ++place) rank[order[place]] = place;
  return rank;
}

// company_year's rows, which come company by company: one name lookup per
// company.
class CompanyYearRows {
 public:
  CompanyYearRows(table::TableWriter& writer, const model::Dimensions& names, const RatingRollups* ratings)
      : writer_(writer), names_(names), ratings_(ratings) {}
  void write(const CompanyYear& key, const CompanyYearTotals& totals);

 private:
  table::TableWriter& writer_;
  const model::Dimensions& names_;
  const RatingRollups* ratings_;
  std::optional<std::int64_t> named_id_;
  std::string_view name_;
};

// One run of spilled company_year totals and company_year_genre counts, each
// sorted by key, at their offsets in the spill file.
struct SpilledPart {
  std::uint64_t company_years_at = 0, company_years = 0;
  std::uint64_t genre_counts_at = 0, genre_counts = 0;
};

}  // namespace detail

// At 100x the rollups see 4.5 million movies and hold millions of keys, so
// they live in open-addressing tables that map keys to dense indices, and the
// per-key records sit in plain vectors. Movies come in batches: a first pass
// resolves every key of the batch and prefetches what the second pass, which
// adds the figures in input order, will touch.
//
// company_year and company_year_genre grow with the number of companies
// (about 370 MB a million at 1000x). Past the memory budget they are written
// to a spill file as a sorted part and forgotten; the tables are then merged
// from the parts (spill.cpp). genre_year stays small and in memory.
struct Rollups::State {
  using CompanyYear = detail::CompanyYear;
  boost::unordered_flat_set<detail::CompanyYearSlot, detail::KeyHash, detail::SameCompanyYear> company_year_index;
  marquee::ChunkedVector<detail::CompanyYearTotals> company_year_totals;
  boost::unordered_flat_map<std::int64_t, std::uint32_t> genre_index;
  std::vector<std::int64_t> genre_ids;
  // pack(company_year index, genre index) -> movies. Reading it folds its
  // buffer first, which changes no count.
  detail::PairCounter company_year_genre;
  boost::unordered_flat_map<detail::GenreYear, detail::GenreYearTotals, detail::KeyHash> genre_year;
  // The batch's company_year and genre indices, movie after movie (reused).
  std::vector<std::uint32_t> batch_company_years, batch_genres;

  std::uint32_t company_year_of(const CompanyYear& key);
  std::uint32_t genre_of(std::int64_t genre_id);
  void resolve(const model::Movie& movie, std::int32_t year);
  void add_companies(const model::Movie& movie, std::int32_t year, const detail::Figures& f,
                     const std::uint32_t* company_years);
  void add_company_genres(std::span<const std::uint32_t> company_years,
                          std::span<const std::uint32_t> genres);
  void add_genres(const model::Movie& movie, std::int32_t year, const detail::Figures& f);

  // Computed once, when counting is over, for both the tables that need
  // them (which may be written at the same time): company_year's keys by
  // index (the hash slots hold them during the count; a second copy then
  // would only add to the job's peak), and the indices in key order.
  const std::vector<CompanyYear>& company_year_keys();
  const std::vector<std::uint32_t>& company_year_order();
  void sort_company_year_keys();  // what the two above return, now
  std::once_flag company_year_once;
  std::vector<CompanyYear> company_year_keys_;
  std::vector<std::uint32_t> company_year_order_;
  // company_year_genre's counts in key order: emit(company_year key,
  // genre_id, count). Needs company_year's keys sorted.
  template <class Emit>
  void for_each_genre_count(Emit&& emit);

  const RatingRollups* ratings = nullptr;  // null: the run read no ratings

  // Spilling (spill.cpp). No spill file: everything stays in memory.
  std::optional<SpillFile> spill_file;
  std::size_t spill_budget = 0;
  std::vector<detail::SpilledPart> spilled;
  std::once_flag last_part_once;
  std::size_t company_year_bytes() const;
  void spill_if_over_budget();
  void spill();
  std::uint64_t merge_company_year(table::TableSink& sink, const model::Dimensions& names);
  std::uint64_t merge_company_year_genre(table::TableSink& sink, const model::Dimensions& names);

  std::uint64_t write_company_year(table::TableSink& sink, const model::Dimensions& names);
  std::uint64_t write_company_year_genre(table::TableSink& sink, const model::Dimensions& names);
  std::uint64_t write_genre_year(table::TableSink& sink, const model::Dimensions& names) const;
};

// The counts are sorted by (company_year index, genre index), so each
// company_year's genres are one contiguous range. They go out company_year
// by company_year in key order, each range's few genres sorted by genre
// rank: no copy of the counts is ever sorted (at 1000x a copy and its
// scratch space were 300 MB at the job's peak).
template <class Emit>
void Rollups::State::for_each_genre_count(Emit&& emit) {
  const detail::PairCounter::Entries& counts = company_year_genre.entries();
  // begin[i]: the first entry of company_year index i.
  std::vector<std::uint64_t> begin(company_year_keys_.size() + 1, 0);
  for (std::size_t i = 0; i < counts.size(); ++i) ++begin[(counts[i].first >> 32) + 1];
  for (std::size_t i = 1; i < begin.size(); ++i) begin[i] += begin[i - 1];
  const std::vector<std::uint32_t> genre_at = detail::order_of(genre_ids);
  const std::vector<std::uint32_t> genre_rank = detail::ranks_of(genre_at);
  std::vector<std::pair<std::uint32_t, std::int64_t>> genres;  // (genre rank, count) of one company_year
  for (const std::uint32_t index : company_year_order_) {
    genres.clear();
    for (std::uint64_t i = begin[index]; i < begin[index + 1]; ++i) {
      genres.emplace_back(genre_rank[counts[i].first & 0xffffffffu], counts[i].second);
    }
    std::sort(genres.begin(), genres.end());
    for (const auto& [rank, count] : genres) emit(company_year_keys_[index], genre_ids[genre_at[rank]], count);
  }
}

}  // namespace marquee::rollup

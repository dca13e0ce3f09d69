#pragma once
// What the rollups add up per key, with every sum checked: money never
// wraps, counts never overflow, doubles are summed exactly enough to not
// depend on the order (internal to src/rollup).
#include <cmath>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "model/movie.hpp"
#include "table/cell.hpp"

namespace marquee::rollup::detail {

using table::Cell;
using table::Null;

// ---- checked arithmetic -----------------------------------------------------

[[noreturn]] inline void throw_overflow(std::string_view table, const std::string& key, std::string_view column) {
  throw std::overflow_error(
      fmt::format("rollup {}: column {} overflows at {}", table, column, key));
}

// Money must never wrap silently: a wrapped total would look plausible.
template <class Key>
void add_checked(std::int64_t& total, std::int64_t value, std::string_view table, const Key& key,
                 std::string_view column) {
  std::int64_t sum;
  if (__builtin_add_overflow(total, value, &sum)) throw_overflow(table, key.describe(), column);
  total = sum;
}

// Neumaier's compensated summation: the rounding error of each addition is
// kept aside and added back at the end, so the result is (nearly always) the
// correctly rounded exact sum, whatever the order of the addends. Plain
// summation of 0.1 ten times gives 0.9999999999999999; this gives 1.0.
class CompensatedSum {
 public:
  // False (sum unchanged) when the sum would leave the finite double range.
  [[nodiscard]] bool add(double x) {
    const double sum = sum_ + x;
    const double error = std::fabs(sum_) >= std::fabs(x) ? (sum_ - sum) + x : (x - sum) + sum_;
    const double compensation = compensation_ + error;
    if (!std::isfinite(sum) || !std::isfinite(sum + compensation)) return false;
    sum_ = sum;
    compensation_ = compensation;
    return true;
  }
  double value() const { return sum_ + compensation_; }
  // Adds another sum's addends, as if they had been added here (the exact
  // sums add; what is left of each's rounding error is kept). False, and
  // nothing changed, when the result would leave the finite range.
  [[nodiscard]] bool merge(const CompensatedSum& other) {
    CompensatedSum sum = *this;
    if (!sum.add(other.sum_)) return false;
    sum.compensation_ += other.compensation_;
    if (!std::isfinite(sum.sum_ + sum.compensation_)) return false;
    *this = sum;
    return true;
  }

 private:
  double sum_ = 0.0;
  double compensation_ = 0.0;
};

template <class Key>
void merge_checked(CompensatedSum& total, const CompensatedSum& other, std::string_view table, const Key& key,
                   std::string_view column) {
  if (!total.merge(other)) throw_overflow(table, key.describe(), column);
}

template <class Key>
void add_checked(CompensatedSum& total, double value, std::string_view table, const Key& key,
                 std::string_view column) {
  if (!total.add(value)) throw_overflow(table, key.describe(), column);
}

// ---- one movie's figures, computed once per movie ----------------------------

struct Figures {
  bool has_budget = false, has_revenue = false, has_both = false;
  std::int64_t budget = 0;   // 0 unless > 0
  std::int64_t revenue = 0;  // 0 unless > 0
  std::int64_t profit = 0;   // revenue - budget when both > 0, else 0
  std::optional<double> popularity;
  std::int64_t vote_count = 0;  // null counts as 0

  explicit Figures(const model::Movie& movie)
      : has_budget(movie.budget > 0),
        has_revenue(movie.revenue > 0),
        has_both(has_budget && has_revenue),
        budget(has_budget ? movie.budget : 0),
        revenue(has_revenue ? movie.revenue : 0),
        // Cannot overflow: both operands are non-negative int64.
        profit(has_both ? revenue - budget : 0),
        popularity(movie.popularity),
        vote_count(movie.vote_count.value_or(0)) {}
};

// ---- accumulators -----------------------------------------------------------

// Whole-movie credit, shared by company_year and genre_year.
// Counts of movies per key are 32-bit: company_year holds millions of keys
// at scale (3 million at 1000x) and every byte of its totals counts there.
// A key would need 4 billion movies to reach the limit; that is checked.
template <class Key>
void count_checked(std::uint32_t& count, bool yes, std::string_view table, const Key& key,
                   std::string_view column) {
  if (yes && ++count == 0) throw_overflow(table, key.describe(), column);
}

struct MoneyTotals {
  std::uint32_t movie_count = 0, with_budget = 0, with_revenue = 0, with_both = 0;
  std::int64_t budget = 0, revenue = 0, profit = 0;

  template <class Key>
  void add(const Figures& f, std::string_view table, const Key& key) {
    count_checked(movie_count, true, table, key, "movie_count");
    count_checked(with_budget, f.has_budget, table, key, "movies_with_budget");
    count_checked(with_revenue, f.has_revenue, table, key, "movies_with_revenue");
    count_checked(with_both, f.has_both, table, key, "movies_with_both");
    add_checked(budget, f.budget, table, key, "budget");
    add_checked(revenue, f.revenue, table, key, "revenue");
    add_checked(profit, f.profit, table, key, "profit");
  }

  // Another part's totals of the same key (the rollups spilled to disk).
  template <class Key>
  void merge(const MoneyTotals& o, std::string_view table, const Key& key) {
    merge_count(movie_count, o.movie_count, table, key, "movie_count");
    merge_count(with_budget, o.with_budget, table, key, "movies_with_budget");
    merge_count(with_revenue, o.with_revenue, table, key, "movies_with_revenue");
    merge_count(with_both, o.with_both, table, key, "movies_with_both");
    add_checked(budget, o.budget, table, key, "budget");
    add_checked(revenue, o.revenue, table, key, "revenue");
    add_checked(profit, o.profit, table, key, "profit");
  }

 private:
  template <class Key>
  static void merge_count(std::uint32_t& count, std::uint32_t more, std::string_view table, const Key& key,
                          std::string_view column) {
    if (__builtin_add_overflow(count, more, &count)) throw_overflow(table, key.describe(), column);
  }
};

struct PopularityTotals {
  CompensatedSum total;
  std::int64_t count = 0;

  template <class Key>
  void add(const std::optional<double>& popularity, std::string_view table, const Key& key,
           std::string_view column) {
    if (!popularity) return;
    add_checked(total, *popularity, table, key, column);
    ++count;
  }
  template <class Key>
  void merge(const PopularityTotals& o, std::string_view table, const Key& key, std::string_view column) {
    merge_checked(total, o.total, table, key, column);
    count += o.count;
  }
  Cell average() const {
    if (count == 0) return Null{};
    return total.value() / static_cast<double>(count);
  }
};

struct CompanyYearTotals {
  MoneyTotals money;
  CompensatedSum budget_split, revenue_split, profit_split;
  PopularityTotals popularity;

  template <class Key>
  void merge(const CompanyYearTotals& o, std::string_view table, const Key& key) {
    money.merge(o.money, table, key);
    merge_checked(budget_split, o.budget_split, table, key, "budget_split");
    merge_checked(revenue_split, o.revenue_split, table, key, "revenue_split");
    merge_checked(profit_split, o.profit_split, table, key, "profit_split");
    popularity.merge(o.popularity, table, key, "average_popularity");
  }
};

struct GenreYearTotals {
  MoneyTotals money;
  PopularityTotals popularity;
  std::int64_t vote_count_total = 0;
};

}  // namespace marquee::rollup::detail

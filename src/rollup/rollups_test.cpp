// Every expectation below is worked out by hand from the movies each test
// adds; the arithmetic is in the comments.
#include "rollup/rollups.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <limits>
#include <ostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/dimensions.hpp"
#include "table/cell.hpp"
#include "table/memory_sink.hpp"

// Specs are written with designated initializers that name only what each
// test is about; the rest keep their defaults on purpose, which GCC 12 warns
// about under -Wextra anyway.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace marquee::rollup {
namespace {

using ::testing::HasSubstr;
using table::MemoryTable;
using table::OwnedRow;
using table::Type;

constexpr std::int64_t kMaxMoney = std::numeric_limits<std::int64_t>::max();

// A hand-made movie: only what the rollups read.
struct Spec {
  std::int64_t id = 0;
  std::optional<std::int32_t> year;
  std::int64_t budget = 0;
  std::int64_t revenue = 0;
  std::optional<double> popularity;
  std::optional<std::int64_t> vote_count;
  std::vector<model::NamedRef> companies;
  std::vector<model::NamedRef> genres;
  std::optional<std::string> status = "Released";
};

model::Movie to_movie(const Spec& spec) {
  model::Movie movie;
  movie.id = spec.id;
  movie.line = static_cast<std::uint64_t>(spec.id) + 1;
  if (spec.year) {
    movie.release_date = table::days_from_civil(*spec.year, 6, 15);
    movie.year = spec.year;
  }
  movie.budget = spec.budget;
  movie.revenue = spec.revenue;
  movie.popularity = spec.popularity;
  movie.vote_count = spec.vote_count;
  movie.companies = spec.companies;
  movie.genres = spec.genres;
  movie.status = spec.status;
  return movie;
}

class NoDiagnostics : public model::DiagnosticSink {
 public:
  void report(model::Diagnostic) override {}
};

// One row of a written table, read by column name.
class Row {
 public:
  Row(const MemoryTable& table, const OwnedRow& row) : table_(table), row_(row) {}
  std::int64_t i64(std::string_view column) const { return std::get<std::int64_t>(cell(column)); }
  std::int32_t i32(std::string_view column) const { return std::get<std::int32_t>(cell(column)); }
  double f64(std::string_view column) const { return std::get<double>(cell(column)); }
  std::string str(std::string_view column) const { return std::get<std::string>(cell(column)); }
  bool is_null(std::string_view column) const {
    return std::holds_alternative<table::Null>(cell(column));
  }

 private:
  const table::OwnedCell& cell(std::string_view column) const {
    return row_.at(table_.schema.index_of(column));
  }
  const MemoryTable& table_;
  const OwnedRow& row_;
};

const model::NamedRef kAlpha{10, "Alpha"};
const model::NamedRef kBeta{20, "Beta"};
const model::NamedRef kGamma{30, "Gamma"};
const model::NamedRef kAdventure{12, "Adventure"};
const model::NamedRef kDrama{18, "Drama"};
const model::NamedRef kAction{28, "Action"};
const model::NamedRef kComedy{35, "Comedy"};
const model::NamedRef kDocumentary{99, "Documentary"};

class RollupsTest : public ::testing::Test {
 protected:
  // Feeds the movie to the dimensions too, as the job does.
  void add(const Spec& spec) {
    const model::Movie movie = to_movie(spec);
    dimensions_.add(movie, diagnostics_);
    rollups_.add(movie);
  }

  std::vector<std::pair<std::string, std::uint64_t>> write() {
    return rollups_.write(sink_, dimensions_);
  }

  // Writes once, then reads from the sink.
  const MemoryTable& table(const std::string& name) {
    if (!written_) {
      write();
      written_ = true;
    }
    return sink_.table(name);
  }

  Row company_year(std::int64_t company_id, std::int32_t year) {
    return find("company_year", {company_id, year});
  }
  Row genre_year(std::int64_t genre_id, std::int32_t year) {
    return find("genre_year", {genre_id, year});
  }
  std::int64_t company_year_genre_count(std::int64_t company_id, std::int32_t year,
                                        std::int64_t genre_id) {
    const MemoryTable& t = table("company_year_genre");
    for (const OwnedRow& row : t.rows) {
      Row r(t, row);
      if (r.i64("company_id") == company_id && r.i32("year") == year &&
          r.i64("genre_id") == genre_id) {
        return r.i64("movie_count");
      }
    }
    ADD_FAILURE() << "no company_year_genre row " << company_id << "/" << year << "/" << genre_id;
    return -1;
  }

  // The first two columns of company_year and genre_year are (id, year).
  Row find(const std::string& name, std::pair<std::int64_t, std::int32_t> key) {
    const MemoryTable& t = table(name);
    for (const OwnedRow& row : t.rows) {
      if (std::get<std::int64_t>(row.at(0)) == key.first &&
          std::get<std::int32_t>(row.at(1)) == key.second) {
        return Row(t, row);
      }
    }
    throw std::runtime_error("no row " + std::to_string(key.first) + "/" +
                             std::to_string(key.second) + " in " + name);
  }

  std::vector<std::pair<std::int64_t, std::int32_t>> keys(const std::string& name) {
    std::vector<std::pair<std::int64_t, std::int32_t>> result;
    for (const OwnedRow& row : table(name).rows) {
      result.emplace_back(std::get<std::int64_t>(row.at(0)), std::get<std::int32_t>(row.at(1)));
    }
    return result;
  }

  double column_sum(const std::string& name, std::string_view column) {
    const MemoryTable& t = table(name);
    double sum = 0;
    for (const OwnedRow& row : t.rows) sum += Row(t, row).f64(column);
    return sum;
  }

  NoDiagnostics diagnostics_;
  model::Dimensions dimensions_;
  Rollups rollups_;
  table::MemoryTableSink sink_;
  bool written_ = false;
};

// ---- company_year -----------------------------------------------------------

TEST_F(RollupsTest, TwoCompaniesEachGetTheWholeMovieAndHalfOfTheSplit) {
  // budget 100, revenue 250 -> profit 150; two companies -> halves 50/125/75.
  add({.id = 1, .year = 2000, .budget = 100, .revenue = 250, .popularity = 4.0,
       .companies = {kAlpha, kBeta}});
  for (std::int64_t company : {10, 20}) {
    SCOPED_TRACE(company);
    const Row r = company_year(company, 2000);
    EXPECT_EQ(r.i64("movie_count"), 1);
    EXPECT_EQ(r.i64("movies_with_budget"), 1);
    EXPECT_EQ(r.i64("movies_with_revenue"), 1);
    EXPECT_EQ(r.i64("movies_with_both"), 1);
    EXPECT_EQ(r.i64("budget"), 100);
    EXPECT_EQ(r.i64("revenue"), 250);
    EXPECT_EQ(r.i64("profit"), 150);
    EXPECT_EQ(r.f64("budget_split"), 50.0);
    EXPECT_EQ(r.f64("revenue_split"), 125.0);
    EXPECT_EQ(r.f64("profit_split"), 75.0);
    EXPECT_EQ(r.f64("average_popularity"), 4.0);
  }
  // The halves add back up to the movie's figures.
  EXPECT_EQ(column_sum("company_year", "budget_split"), 100.0);
  EXPECT_EQ(column_sum("company_year", "revenue_split"), 250.0);
  EXPECT_EQ(column_sum("company_year", "profit_split"), 150.0);
  EXPECT_EQ(table("company_year").rows.size(), 2u);
}

TEST_F(RollupsTest, SplitSumsAcrossCompaniesEqualTotalsOfMoviesWithCompanies) {
  // m1: 100/250/150 over Alpha, Beta     -> 50 / 125 / 75 each
  // m2: budget 90 only over all three    -> 30 / 0 / 0 each
  // m3: 7/10/3 over Gamma alone          -> 7 / 10 / 3
  // m4: no company                       -> nowhere in company_year
  add({.id = 1, .year = 2000, .budget = 100, .revenue = 250, .companies = {kAlpha, kBeta}});
  add({.id = 2, .year = 2000, .budget = 90, .companies = {kAlpha, kBeta, kGamma}});
  add({.id = 3, .year = 2000, .budget = 7, .revenue = 10, .companies = {kGamma}});
  add({.id = 4, .year = 2000, .budget = 1000, .revenue = 5000, .genres = {kDrama}});

  // Alpha, Beta: split 50+30 = 80, 125, 75; whole credit 100+90 = 190, 250, 150.
  for (std::int64_t company : {10, 20}) {
    SCOPED_TRACE(company);
    const Row r = company_year(company, 2000);
    EXPECT_EQ(r.f64("budget_split"), 80.0);
    EXPECT_EQ(r.f64("revenue_split"), 125.0);
    EXPECT_EQ(r.f64("profit_split"), 75.0);
    EXPECT_EQ(r.i64("budget"), 190);
    EXPECT_EQ(r.i64("revenue"), 250);
    EXPECT_EQ(r.i64("profit"), 150);
    EXPECT_EQ(r.i64("movie_count"), 2);
    EXPECT_EQ(r.i64("movies_with_budget"), 2);
    EXPECT_EQ(r.i64("movies_with_revenue"), 1);
    EXPECT_EQ(r.i64("movies_with_both"), 1);
  }
  // Gamma: split 30+7 = 37, 10, 3; whole credit 90+7 = 97, 10, 3.
  const Row gamma = company_year(30, 2000);
  EXPECT_EQ(gamma.f64("budget_split"), 37.0);
  EXPECT_EQ(gamma.f64("revenue_split"), 10.0);
  EXPECT_EQ(gamma.f64("profit_split"), 3.0);
  EXPECT_EQ(gamma.i64("budget"), 97);
  EXPECT_EQ(gamma.i64("movie_count"), 2);

  // Over movies with companies (m1..m3): budget 100+90+7 = 197,
  // revenue 250+10 = 260, profit 150+3 = 153. m4 is not in any of them.
  EXPECT_EQ(column_sum("company_year", "budget_split"), 197.0);
  EXPECT_EQ(column_sum("company_year", "revenue_split"), 260.0);
  EXPECT_EQ(column_sum("company_year", "profit_split"), 153.0);
  EXPECT_EQ(table("company_year").rows.size(), 3u);
}

TEST_F(RollupsTest, ThirdsOfASplitAddBackUpToWithinRounding) {
  // 100 / 3 is not a double; three of them are within an ulp or two of 100.
  add({.id = 1, .year = 2001, .budget = 100, .companies = {kAlpha, kBeta, kGamma}});
  EXPECT_EQ(company_year(10, 2001).f64("budget_split"), 100.0 / 3.0);
  EXPECT_NEAR(column_sum("company_year", "budget_split"), 100.0, 1e-12);
}

TEST_F(RollupsTest, MovieWithBudgetOnly) {
  // budget 80 known, revenue 0 unknown: no profit.
  add({.id = 1, .year = 2000, .budget = 80, .companies = {kAlpha}, .genres = {kDrama}});
  const Row c = company_year(10, 2000);
  EXPECT_EQ(c.i64("movie_count"), 1);
  EXPECT_EQ(c.i64("movies_with_budget"), 1);
  EXPECT_EQ(c.i64("movies_with_revenue"), 0);
  EXPECT_EQ(c.i64("movies_with_both"), 0);
  EXPECT_EQ(c.i64("budget"), 80);
  EXPECT_EQ(c.i64("revenue"), 0);
  EXPECT_EQ(c.i64("profit"), 0);
  EXPECT_EQ(c.f64("budget_split"), 80.0);
  EXPECT_EQ(c.f64("revenue_split"), 0.0);
  EXPECT_EQ(c.f64("profit_split"), 0.0);
  const Row g = genre_year(18, 2000);
  EXPECT_EQ(g.i64("movies_with_budget"), 1);
  EXPECT_EQ(g.i64("movies_with_revenue"), 0);
  EXPECT_EQ(g.i64("movies_with_both"), 0);
  EXPECT_EQ(g.i64("budget"), 80);
  EXPECT_EQ(g.i64("revenue"), 0);
  EXPECT_EQ(g.i64("profit"), 0);
}

TEST_F(RollupsTest, MovieWithRevenueOnly) {
  // revenue 60 known, budget 0 unknown: no profit.
  add({.id = 1, .year = 2000, .revenue = 60, .companies = {kAlpha, kBeta}, .genres = {kDrama}});
  const Row c = company_year(10, 2000);
  EXPECT_EQ(c.i64("movies_with_budget"), 0);
  EXPECT_EQ(c.i64("movies_with_revenue"), 1);
  EXPECT_EQ(c.i64("movies_with_both"), 0);
  EXPECT_EQ(c.i64("budget"), 0);
  EXPECT_EQ(c.i64("revenue"), 60);
  EXPECT_EQ(c.i64("profit"), 0);
  EXPECT_EQ(c.f64("budget_split"), 0.0);
  EXPECT_EQ(c.f64("revenue_split"), 30.0);  // 60 / 2
  EXPECT_EQ(c.f64("profit_split"), 0.0);
  const Row g = genre_year(18, 2000);
  EXPECT_EQ(g.i64("movies_with_revenue"), 1);
  EXPECT_EQ(g.i64("revenue"), 60);
  EXPECT_EQ(g.i64("profit"), 0);
}

TEST_F(RollupsTest, MovieWithNeitherStillCountsAsARelease) {
  add({.id = 1, .year = 2000, .companies = {kAlpha}, .genres = {kDrama}});
  const Row c = company_year(10, 2000);
  EXPECT_EQ(c.i64("movie_count"), 1);
  EXPECT_EQ(c.i64("movies_with_budget"), 0);
  EXPECT_EQ(c.i64("movies_with_revenue"), 0);
  EXPECT_EQ(c.i64("movies_with_both"), 0);
  EXPECT_EQ(c.i64("budget"), 0);
  EXPECT_EQ(c.i64("revenue"), 0);
  EXPECT_EQ(c.i64("profit"), 0);
  EXPECT_EQ(c.f64("budget_split"), 0.0);
  EXPECT_TRUE(c.is_null("average_popularity"));
  const Row g = genre_year(18, 2000);
  EXPECT_EQ(g.i64("movie_count"), 1);
  EXPECT_EQ(g.i64("budget"), 0);
  EXPECT_EQ(g.i64("revenue"), 0);
}

TEST_F(RollupsTest, NegativeProfitIsKept) {
  // m1: 100 - 300 = -200; m2: 80 - 50 = +30. Sum -170.
  // Splits over Alpha and Beta: -100 and +15 -> -85 each.
  add({.id = 1, .year = 2000, .budget = 300, .revenue = 100, .companies = {kAlpha, kBeta},
       .genres = {kDrama}});
  add({.id = 2, .year = 2000, .budget = 50, .revenue = 80, .companies = {kAlpha, kBeta},
       .genres = {kDrama}});
  const Row c = company_year(10, 2000);
  EXPECT_EQ(c.i64("profit"), -170);
  EXPECT_EQ(c.f64("profit_split"), -85.0);
  EXPECT_EQ(c.i64("budget"), 350);
  EXPECT_EQ(c.i64("revenue"), 180);
  EXPECT_EQ(genre_year(18, 2000).i64("profit"), -170);
  EXPECT_EQ(column_sum("company_year", "profit_split"), -170.0);
}

TEST_F(RollupsTest, MovieWithoutReleaseDateIsIgnored) {
  add({.id = 1, .year = std::nullopt, .budget = 100, .revenue = 200, .popularity = 3.0,
       .companies = {kAlpha}, .genres = {kDrama}});
  add({.id = 2, .year = 2000, .budget = 5, .companies = {kAlpha}, .genres = {kDrama}});
  const Row c = company_year(10, 2000);  // only movie 2
  EXPECT_EQ(c.i64("movie_count"), 1);
  EXPECT_EQ(c.i64("budget"), 5);
  EXPECT_EQ(c.i64("revenue"), 0);
  EXPECT_TRUE(c.is_null("average_popularity"));
  EXPECT_EQ(genre_year(18, 2000).i64("movie_count"), 1);
  EXPECT_EQ(table("company_year").rows.size(), 1u);
  EXPECT_EQ(table("company_year_genre").rows.size(), 1u);
  EXPECT_EQ(table("genre_year").rows.size(), 1u);
}

TEST_F(RollupsTest, OnlyUndatedMoviesGiveEmptyTables) {
  add({.id = 1, .budget = 100, .revenue = 200, .companies = {kAlpha}, .genres = {kDrama}});
  const auto written = write();
  const std::vector<std::pair<std::string, std::uint64_t>> expected = {
      {"company_year", 0}, {"company_year_genre", 0}, {"genre_year", 0}};
  EXPECT_EQ(written, expected);
  EXPECT_TRUE(sink_.table("company_year").rows.empty());
  EXPECT_TRUE(sink_.table("company_year").finished);
}

TEST_F(RollupsTest, EveryStatusCounts) {
  add({.id = 1, .year = 2000, .budget = 10, .companies = {kAlpha}, .status = "Rumored"});
  add({.id = 2, .year = 2000, .budget = 20, .companies = {kAlpha}, .status = "Released"});
  add({.id = 3, .year = 2000, .budget = 30, .companies = {kAlpha}, .status = std::nullopt});
  EXPECT_EQ(company_year(10, 2000).i64("movie_count"), 3);
  EXPECT_EQ(company_year(10, 2000).i64("budget"), 60);
}

TEST_F(RollupsTest, TwoYearsGiveTwoRows) {
  // Alpha/Drama: 1999 -> one movie, budget 10; 2000 -> two movies, 20 + 5 = 25.
  add({.id = 1, .year = 1999, .budget = 10, .companies = {kAlpha}, .genres = {kDrama}});
  add({.id = 2, .year = 2000, .budget = 20, .companies = {kAlpha}, .genres = {kDrama}});
  add({.id = 3, .year = 2000, .budget = 5, .companies = {kAlpha}, .genres = {kDrama}});
  EXPECT_EQ(company_year(10, 1999).i64("movie_count"), 1);
  EXPECT_EQ(company_year(10, 1999).i64("budget"), 10);
  EXPECT_EQ(company_year(10, 2000).i64("movie_count"), 2);
  EXPECT_EQ(company_year(10, 2000).i64("budget"), 25);
  EXPECT_EQ(genre_year(18, 1999).i64("budget"), 10);
  EXPECT_EQ(genre_year(18, 2000).i64("budget"), 25);
  EXPECT_EQ(company_year_genre_count(10, 1999, 18), 1);
  EXPECT_EQ(company_year_genre_count(10, 2000, 18), 2);
  using Key = std::pair<std::int64_t, std::int32_t>;
  EXPECT_EQ(keys("company_year"), (std::vector<Key>{{10, 1999}, {10, 2000}}));
}

TEST_F(RollupsTest, AveragePopularityIgnoresMissingValuesAndIsNullWithoutAny) {
  // Alpha 2000: popularity 2, none, 5 -> (2 + 5) / 2 = 3.5 over 3 movies.
  // Beta 2000: its only movie has no popularity -> null.
  add({.id = 1, .year = 2000, .popularity = 2.0, .companies = {kAlpha}, .genres = {kDrama}});
  add({.id = 2, .year = 2000, .popularity = std::nullopt, .companies = {kAlpha, kBeta},
       .genres = {kComedy}});
  add({.id = 3, .year = 2000, .popularity = 5.0, .companies = {kAlpha}, .genres = {kDrama}});
  EXPECT_EQ(company_year(10, 2000).i64("movie_count"), 3);
  EXPECT_EQ(company_year(10, 2000).f64("average_popularity"), 3.5);
  EXPECT_TRUE(company_year(20, 2000).is_null("average_popularity"));
  // Drama: 2 + 5 = 7 over two movies; Comedy: none -> total 0, average null.
  EXPECT_EQ(genre_year(18, 2000).f64("popularity_total"), 7.0);
  EXPECT_EQ(genre_year(18, 2000).f64("popularity_average"), 3.5);
  EXPECT_EQ(genre_year(35, 2000).f64("popularity_total"), 0.0);
  EXPECT_TRUE(genre_year(35, 2000).is_null("popularity_average"));
}

TEST_F(RollupsTest, PopularityIsSummedWithCompensation) {
  // Ten times 0.1: the exact sum of the doubles is 1.0000000000000000555,
  // which rounds to 1.0; naive left-to-right summation drifts below it.
  double naive = 0;
  for (int i = 1; i <= 10; ++i) {
    add({.id = i, .year = 2000, .popularity = 0.1, .companies = {kAlpha}, .genres = {kDrama}});
    naive += 0.1;
  }
  ASSERT_NE(naive, 1.0);  // the case is a real one
  EXPECT_EQ(genre_year(18, 2000).f64("popularity_total"), 1.0);
  EXPECT_EQ(genre_year(18, 2000).f64("popularity_average"), 0.1);
  EXPECT_EQ(company_year(10, 2000).f64("average_popularity"), 0.1);
}

// ---- genre_year ---------------------------------------------------------------

TEST_F(RollupsTest, GenreRankingByPopularityTotalWithTiesToTheLowerId) {
  // 2000: Action 7; Drama 2 + 3 = 5; Comedy 5 (tie with Drama, 18 < 35);
  //       Documentary: no popularity -> total 0.
  //   ranks: Action 1, Drama 2, Comedy 3, Documentary 4.
  // 2001: Adventure 1, Comedy 1 (tie, 12 < 35) -> Adventure 1, Comedy 2.
  add({.id = 1, .year = 2000, .popularity = 2.0, .genres = {kDrama}});
  add({.id = 2, .year = 2000, .popularity = 3.0, .genres = {kDrama}});
  add({.id = 3, .year = 2000, .popularity = 5.0, .genres = {kComedy}});
  add({.id = 4, .year = 2000, .popularity = 7.0, .genres = {kAction}});
  add({.id = 5, .year = 2000, .genres = {kDocumentary}});
  add({.id = 6, .year = 2001, .popularity = 1.0, .genres = {kComedy}});
  add({.id = 7, .year = 2001, .popularity = 1.0, .genres = {kAdventure}});

  EXPECT_EQ(genre_year(28, 2000).i32("rank_by_popularity_total"), 1);
  EXPECT_EQ(genre_year(18, 2000).i32("rank_by_popularity_total"), 2);
  EXPECT_EQ(genre_year(35, 2000).i32("rank_by_popularity_total"), 3);
  EXPECT_EQ(genre_year(99, 2000).i32("rank_by_popularity_total"), 4);
  EXPECT_EQ(genre_year(12, 2001).i32("rank_by_popularity_total"), 1);
  EXPECT_EQ(genre_year(35, 2001).i32("rank_by_popularity_total"), 2);

  EXPECT_EQ(genre_year(18, 2000).f64("popularity_total"), 5.0);
  EXPECT_EQ(genre_year(18, 2000).f64("popularity_average"), 2.5);
  EXPECT_EQ(genre_year(35, 2000).f64("popularity_total"), 5.0);
  EXPECT_EQ(genre_year(35, 2000).f64("popularity_average"), 5.0);
  EXPECT_EQ(genre_year(99, 2000).f64("popularity_total"), 0.0);
  EXPECT_TRUE(genre_year(99, 2000).is_null("popularity_average"));
  // No companies anywhere: nothing in the company tables.
  EXPECT_TRUE(table("company_year").rows.empty());
  EXPECT_TRUE(table("company_year_genre").rows.empty());
}

TEST_F(RollupsTest, GenreYearCreditsEachGenreWithTheWholeMovie) {
  // One movie, two genres: both get 1 movie, 40 / 100 / 60, popularity 6.
  add({.id = 1, .year = 2000, .budget = 40, .revenue = 100, .popularity = 6.0, .vote_count = 9,
       .genres = {kDrama, kComedy}});
  for (std::int64_t genre : {18, 35}) {
    SCOPED_TRACE(genre);
    const Row g = genre_year(genre, 2000);
    EXPECT_EQ(g.i64("movie_count"), 1);
    EXPECT_EQ(g.i64("movies_with_budget"), 1);
    EXPECT_EQ(g.i64("movies_with_revenue"), 1);
    EXPECT_EQ(g.i64("movies_with_both"), 1);
    EXPECT_EQ(g.i64("budget"), 40);
    EXPECT_EQ(g.i64("revenue"), 100);
    EXPECT_EQ(g.i64("profit"), 60);
    EXPECT_EQ(g.f64("popularity_total"), 6.0);
    EXPECT_EQ(g.f64("popularity_average"), 6.0);
    EXPECT_EQ(g.i64("vote_count_total"), 9);
  }
  EXPECT_EQ(genre_year(18, 2000).str("genre_name"), "Drama");
  EXPECT_EQ(genre_year(35, 2000).str("genre_name"), "Comedy");
  // Equal totals 6 = 6: the lower id ranks first.
  EXPECT_EQ(genre_year(18, 2000).i32("rank_by_popularity_total"), 1);
  EXPECT_EQ(genre_year(35, 2000).i32("rank_by_popularity_total"), 2);
}

TEST_F(RollupsTest, VoteCountTotalCountsNullAsZero) {
  // Drama: 10 + null + 32 = 42. Comedy: only null -> 0.
  add({.id = 1, .year = 2000, .vote_count = 10, .genres = {kDrama}});
  add({.id = 2, .year = 2000, .vote_count = std::nullopt, .genres = {kDrama, kComedy}});
  add({.id = 3, .year = 2000, .vote_count = 32, .genres = {kDrama}});
  EXPECT_EQ(genre_year(18, 2000).i64("vote_count_total"), 42);
  EXPECT_EQ(genre_year(18, 2000).i64("movie_count"), 3);
  EXPECT_EQ(genre_year(35, 2000).i64("vote_count_total"), 0);
}

// ---- company_year_genre -------------------------------------------------------

TEST_F(RollupsTest, CompanyYearGenreCountsReleasesByGenre) {
  // m1 2000 Alpha+Beta, Drama+Comedy; m2 2000 Alpha, Drama; m3 2001 Alpha, Drama;
  // m4 2000 Beta, no genre (nothing here); m5 2000 Drama, no company (nothing).
  add({.id = 1, .year = 2000, .companies = {kAlpha, kBeta}, .genres = {kDrama, kComedy}});
  add({.id = 2, .year = 2000, .companies = {kAlpha}, .genres = {kDrama}});
  add({.id = 3, .year = 2001, .companies = {kAlpha}, .genres = {kDrama}});
  add({.id = 4, .year = 2000, .companies = {kBeta}});
  add({.id = 5, .year = 2000, .genres = {kDrama}});

  const MemoryTable& t = table("company_year_genre");
  using Key = std::tuple<std::int64_t, std::int32_t, std::int64_t, std::string, std::int64_t>;
  std::vector<Key> rows;
  for (const OwnedRow& row : t.rows) {
    const Row r(t, row);
    rows.emplace_back(r.i64("company_id"), r.i32("year"), r.i64("genre_id"), r.str("genre_name"),
                      r.i64("movie_count"));
  }
  const std::vector<Key> expected = {
      {10, 2000, 18, "Drama", 2},   // m1, m2
      {10, 2000, 35, "Comedy", 1},  // m1
      {10, 2001, 18, "Drama", 1},   // m3
      {20, 2000, 18, "Drama", 1},   // m1
      {20, 2000, 35, "Comedy", 1},  // m1
  };
  EXPECT_EQ(rows, expected);
  // m4 still counts for Beta in company_year; m5 for Drama in genre_year.
  EXPECT_EQ(company_year(20, 2000).i64("movie_count"), 2);
  EXPECT_EQ(genre_year(18, 2000).i64("movie_count"), 3);
}

// ---- ordering, schemas, names, write() ------------------------------------------

TEST_F(RollupsTest, RowsAreOrderedByKeyNumerically) {
  const model::NamedRef c5{5, "Five"}, c100{100, "Hundred"};
  const model::NamedRef g7{7, "Seven"}, g80{80, "Eighty"};
  add({.id = 1, .year = 2001, .companies = {c100}, .genres = {g80}});
  add({.id = 2, .year = 2002, .companies = {kBeta}, .genres = {g7, g80}});
  add({.id = 3, .year = 1999, .companies = {c100, c5}, .genres = {g80}});
  add({.id = 4, .year = 1999, .companies = {kBeta}, .genres = {g80, g7}});
  add({.id = 5, .year = 2000, .companies = {c5}, .genres = {g7}});

  using Key = std::pair<std::int64_t, std::int32_t>;
  // 5 < 20 < 100 as numbers (not as text).
  EXPECT_EQ(keys("company_year"),
            (std::vector<Key>{{5, 1999}, {5, 2000}, {20, 1999}, {20, 2002}, {100, 1999},
                              {100, 2001}}));
  EXPECT_EQ(keys("genre_year"),
            (std::vector<Key>{{7, 1999}, {7, 2000}, {7, 2002}, {80, 1999}, {80, 2001},
                              {80, 2002}}));
  const MemoryTable& t = table("company_year_genre");
  std::vector<std::tuple<std::int64_t, std::int32_t, std::int64_t>> cyg;
  for (const OwnedRow& row : t.rows) {
    const Row r(t, row);
    cyg.emplace_back(r.i64("company_id"), r.i32("year"), r.i64("genre_id"));
  }
  const std::vector<std::tuple<std::int64_t, std::int32_t, std::int64_t>> expected = {
      {5, 1999, 80},  {5, 2000, 7},    {20, 1999, 7},   {20, 1999, 80},
      {20, 2002, 7},  {20, 2002, 80},  {100, 1999, 80}, {100, 2001, 80}};
  EXPECT_EQ(cyg, expected);
}

struct ColumnSpec {
  std::string name;
  Type type;
  bool nullable;
  bool operator==(const ColumnSpec&) const = default;
};

std::vector<ColumnSpec> columns_of(const table::Schema& schema) {
  std::vector<ColumnSpec> columns;
  for (const table::Column& c : schema.columns) columns.push_back({c.name, c.type, c.nullable});
  return columns;
}

void PrintTo(const ColumnSpec& c, std::ostream* os) {
  *os << c.name << ":" << table::type_name(c.type) << (c.nullable ? "?" : "");
}

TEST(RollupSchemas, CompanyYear) {
  EXPECT_EQ(company_year_schema().name, "company_year");
  const std::vector<ColumnSpec> expected = {
      {"company_id", Type::Int64, false},       {"year", Type::Int32, false},
      {"company_name", Type::String, false},    {"movie_count", Type::Int64, false},
      {"movies_with_budget", Type::Int64, false}, {"movies_with_revenue", Type::Int64, false},
      {"movies_with_both", Type::Int64, false}, {"budget", Type::Int64, false},
      {"revenue", Type::Int64, false},          {"profit", Type::Int64, false},
      {"budget_split", Type::Double, false},    {"revenue_split", Type::Double, false},
      {"profit_split", Type::Double, false},    {"average_popularity", Type::Double, true},
      {"rating_count", Type::Int64, true},      {"rating_mean", Type::Double, true}};
  EXPECT_EQ(columns_of(company_year_schema()), expected);
}

TEST(RollupSchemas, CompanyYearGenre) {
  EXPECT_EQ(company_year_genre_schema().name, "company_year_genre");
  const std::vector<ColumnSpec> expected = {{"company_id", Type::Int64, false},
                                            {"year", Type::Int32, false},
                                            {"genre_id", Type::Int64, false},
                                            {"genre_name", Type::String, false},
                                            {"movie_count", Type::Int64, false}};
  EXPECT_EQ(columns_of(company_year_genre_schema()), expected);
}

TEST(RollupSchemas, GenreYear) {
  EXPECT_EQ(genre_year_schema().name, "genre_year");
  const std::vector<ColumnSpec> expected = {
      {"genre_id", Type::Int64, false},          {"year", Type::Int32, false},
      {"genre_name", Type::String, false},       {"movie_count", Type::Int64, false},
      {"movies_with_budget", Type::Int64, false}, {"movies_with_revenue", Type::Int64, false},
      {"movies_with_both", Type::Int64, false},  {"budget", Type::Int64, false},
      {"revenue", Type::Int64, false},           {"profit", Type::Int64, false},
      {"popularity_total", Type::Double, false}, {"popularity_average", Type::Double, true},
      {"vote_count_total", Type::Int64, false},  {"rank_by_popularity_total", Type::Int32, false},
      {"rating_count", Type::Int64, true},       {"rating_mean", Type::Double, true}};
  EXPECT_EQ(columns_of(genre_year_schema()), expected);
}

TEST_F(RollupsTest, WithoutRatingsTheRatingColumnsAreNull) {
  add({.id = 1, .year = 2000, .companies = {{10, "Alpha"}}, .genres = {kDrama}});
  EXPECT_TRUE(genre_year(18, 2000).is_null("rating_count"));
  EXPECT_TRUE(genre_year(18, 2000).is_null("rating_mean"));
  EXPECT_TRUE(company_year(10, 2000).is_null("rating_count"));
}

TEST_F(RollupsTest, RatingMeanIsOverAllRatingsNotAMeanOfMeans) {
  RatingRollups ratings;
  rollups_.set_ratings(&ratings);
  add({.id = 1, .year = 2000, .companies = {{10, "Alpha"}}, .genres = {kDrama, kComedy}});
  add({.id = 2, .year = 2000, .companies = {{10, "Alpha"}, {20, "Beta"}}, .genres = {kDrama}});
  add({.id = 3, .year = 2001, .genres = {kDrama}});   // never rated
  add({.id = 4, .genres = {kDrama}});                 // no year: in no rollup
  ratings.add(1, {3, 24});  // three ratings of 4.0
  ratings.add(2, {1, 2});   // one rating of 1.0
  ratings.add(4, {5, 50});  // ignored: untracked
  // Drama 2000: (12 + 1) / 4 = 3.25, where the mean of the means (4.0, 1.0) would be 2.5.
  EXPECT_EQ(genre_year(18, 2000).i64("rating_count"), 4);
  EXPECT_EQ(genre_year(18, 2000).f64("rating_mean"), 3.25);
  EXPECT_EQ(genre_year(35, 2000).i64("rating_count"), 3);
  EXPECT_EQ(genre_year(35, 2000).f64("rating_mean"), 4.0);
  EXPECT_EQ(genre_year(18, 2001).i64("rating_count"), 0);  // ratings read, none for it
  EXPECT_TRUE(genre_year(18, 2001).is_null("rating_mean"));
  EXPECT_EQ(company_year(10, 2000).i64("rating_count"), 4);  // whole-movie credit, never split
  EXPECT_EQ(company_year(20, 2000).i64("rating_count"), 1);
  EXPECT_EQ(company_year(20, 2000).f64("rating_mean"), 1.0);
}

TEST_F(RollupsTest, NamesComeFromTheDimensionsFirstNameWins) {
  add({.id = 1, .year = 2000, .companies = {{10, "Alpha"}}, .genres = {{18, "Drama"}}});
  add({.id = 2, .year = 2001, .companies = {{10, "Alpha Films"}}, .genres = {{18, "Drame"}}});
  add({.id = 3, .year = 2000, .companies = {{20, "Société Générale"}}, .genres = {{18, "X"}}});
  EXPECT_EQ(company_year(10, 2000).str("company_name"), "Alpha");
  EXPECT_EQ(company_year(10, 2001).str("company_name"), "Alpha");
  EXPECT_EQ(company_year(20, 2000).str("company_name"), "Société Générale");
  EXPECT_EQ(genre_year(18, 2000).str("genre_name"), "Drama");
  EXPECT_EQ(genre_year(18, 2001).str("genre_name"), "Drama");
  const MemoryTable& t = table("company_year_genre");
  ASSERT_EQ(t.rows.size(), 3u);  // (10,2000,18), (10,2001,18), (20,2000,18)
  for (const OwnedRow& row : t.rows) EXPECT_EQ(Row(t, row).str("genre_name"), "Drama");
}

TEST_F(RollupsTest, WriteReturnsRowCountsInTableOrderAndFinishesEveryTable) {
  // company_year: (10,2000), (20,2000) = 2; company_year_genre: 10 and 20 x
  // Drama, Comedy = 4; genre_year: (18,2000), (35,2000), (18,2001) = 3.
  add({.id = 1, .year = 2000, .companies = {kAlpha, kBeta}, .genres = {kDrama, kComedy}});
  add({.id = 2, .year = 2001, .genres = {kDrama}});
  const auto written = write();
  const std::vector<std::pair<std::string, std::uint64_t>> expected = {
      {"company_year", 2}, {"company_year_genre", 4}, {"genre_year", 3}};
  EXPECT_EQ(written, expected);
  for (const char* name : {"company_year", "company_year_genre", "genre_year"}) {
    EXPECT_TRUE(sink_.table(name).finished) << name;
  }
}

// ---- overflow -------------------------------------------------------------------

std::string overflow_message(const std::function<void()>& action) {
  try {
    action();
  } catch (const std::overflow_error& e) {
    return e.what();
  }
  ADD_FAILURE() << "no std::overflow_error";
  return {};
}

TEST_F(RollupsTest, BudgetOverflowNamesTableKeyAndColumn) {
  add({.id = 1, .year = 2000, .budget = kMaxMoney, .companies = {kAlpha}});
  const std::string message = overflow_message(
      [&] { add({.id = 2, .year = 2000, .budget = 1, .companies = {kAlpha}}); });
  EXPECT_THAT(message, HasSubstr("company_year"));
  EXPECT_THAT(message, HasSubstr("company_id=10, year=2000"));
  EXPECT_THAT(message, HasSubstr("budget"));
}

TEST_F(RollupsTest, OverflowNamesTheMovie) {
  add({.id = 1, .year = 2000, .budget = kMaxMoney, .companies = {kAlpha}});
  try {
    add({.id = 2, .year = 2000, .budget = 1, .companies = {kAlpha}});
    ADD_FAILURE() << "no SumOverflow";
  } catch (const SumOverflow& e) {
    EXPECT_EQ(e.movie_id, 2);
  }
}

TEST_F(RollupsTest, RevenueOverflowInGenreYear) {
  add({.id = 1, .year = 2000, .revenue = kMaxMoney, .genres = {kDrama}});
  const std::string message = overflow_message(
      [&] { add({.id = 2, .year = 2000, .revenue = kMaxMoney, .genres = {kDrama}}); });
  EXPECT_THAT(message, HasSubstr("genre_year"));
  EXPECT_THAT(message, HasSubstr("genre_id=18, year=2000"));
  EXPECT_THAT(message, HasSubstr("revenue"));
}

TEST_F(RollupsTest, VoteCountOverflowInGenreYear) {
  add({.id = 1, .year = 2000, .vote_count = kMaxMoney, .genres = {kDrama}});
  const std::string message = overflow_message(
      [&] { add({.id = 2, .year = 2000, .vote_count = 1, .genres = {kDrama}}); });
  EXPECT_THAT(message, HasSubstr("genre_year"));
  EXPECT_THAT(message, HasSubstr("vote_count_total"));
}

TEST_F(RollupsTest, PopularityBeyondTheDoubleRangeIsAnOverflowToo) {
  // Each value is finite (so valid); their sum is not.
  add({.id = 1, .year = 2000, .popularity = 1e308, .genres = {kDrama}});
  const std::string message = overflow_message(
      [&] { add({.id = 2, .year = 2000, .popularity = 1e308, .genres = {kDrama}}); });
  EXPECT_THAT(message, HasSubstr("genre_year"));
  EXPECT_THAT(message, HasSubstr("popularity_total"));
}

TEST_F(RollupsTest, LargeFiguresUnderDifferentKeysDoNotOverflow) {
  // The guard is per (key, column): the maximum fits once in each row.
  add({.id = 1, .year = 2000, .budget = kMaxMoney, .revenue = kMaxMoney,
       .companies = {kAlpha, kBeta}});
  add({.id = 2, .year = 2001, .budget = kMaxMoney, .companies = {kAlpha}});
  EXPECT_EQ(company_year(10, 2000).i64("budget"), kMaxMoney);
  EXPECT_EQ(company_year(20, 2000).i64("budget"), kMaxMoney);
  EXPECT_EQ(company_year(10, 2001).i64("budget"), kMaxMoney);
  EXPECT_EQ(company_year(10, 2000).i64("profit"), 0);  // max - max
  // 2^63 - 1 as a double rounds to 2^63; half of it is 2^62.
  EXPECT_EQ(company_year(10, 2000).f64("budget_split"), 4611686018427387904.0);
}

}  // namespace
}  // namespace marquee::rollup

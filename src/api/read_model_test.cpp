// The read queries on both backends (PostgreSQL when MARQUEE_TEST_PG_URL is
// set), over the hand-made runs of test_fixture.hpp; every expected figure
// is stated there or worked out here.
#include "store/read_model.hpp"

#include <gtest/gtest.h>

#include "api/test_fixture.hpp"
#include "store/test_backends.hpp"

namespace marquee::store {
namespace {

class ReadModelTest : public testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    store_ = std::make_unique<Store>(open());
    store_->migrate();
    api::testing::load(*store_, api::testing::run_one());
    api::testing::load(*store_, api::testing::run_two());
    model_ = std::make_unique<ReadModel>(store_->db());
  }
  void TearDown() override {
    model_.reset();
    store_.reset();
    BackendTest::TearDown();
  }
  std::vector<std::int64_t> company_ids(const std::string& run, const std::string& prefix,
                                        std::int64_t limit = 50, std::int64_t offset = 0) {
    std::vector<std::int64_t> ids;
    for (const auto& c : model_->companies(run, {prefix, limit, offset}).companies) ids.push_back(c.id);
    return ids;
  }
  std::unique_ptr<Store> store_;
  std::unique_ptr<ReadModel> model_;
};

using Ids = std::vector<std::int64_t>;

TEST_P(ReadModelTest, PublishedPointerAndRuns) {
  EXPECT_FALSE(model_->published());
  store_->publish("r1");
  auto p = model_->published();
  ASSERT_TRUE(p);
  EXPECT_EQ(p->run_id, "r1");
  EXPECT_EQ(p->generation, 1);
  store_->publish("r2");
  p = model_->published();
  EXPECT_EQ(p->run_id, "r2");
  EXPECT_EQ(p->generation, 2);

  const auto runs = model_->runs();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].run_id, "r2");  // newest first
  EXPECT_EQ(runs[0].status, "published");
  EXPECT_EQ(runs[1].status, "loaded");
  EXPECT_EQ(runs[1].created_at, "2024-01-01T00:00:00.000Z");
  EXPECT_EQ(runs[1].manifest_json, R"({"counts":{"movies_kept":4},"run_id":"r1"})");
}

TEST_P(ReadModelTest, ServableRuns) {
  EXPECT_TRUE(model_->run_is_servable("r1"));
  EXPECT_TRUE(model_->run_is_servable("r2"));
  EXPECT_FALSE(model_->run_is_servable("r3"));
  store_->publish("r2");
  store_->retire("r1");
  EXPECT_FALSE(model_->run_is_servable("r1"));
  EXPECT_TRUE(model_->run_is_servable("r2"));
}

TEST_P(ReadModelTest, CompaniesPagedByIdWithTotalAndMovieCounts) {
  const CompanyPage all = model_->companies("r1", {"", 50, 0});
  EXPECT_EQ(all.total, 6);
  ASSERT_EQ(all.companies.size(), 6u);
  const std::vector<std::int64_t> counts{3, 1, 2, 0, 0, 0};
  for (std::size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(all.companies[i].id, static_cast<std::int64_t>(i + 1));
    EXPECT_EQ(all.companies[i].movie_count, counts[i]) << i;
  }
  EXPECT_EQ(all.companies[4].name, "Ça Films");
  const CompanyPage page = model_->companies("r1", {"", 2, 1});
  EXPECT_EQ(page.total, 6);
  EXPECT_EQ(company_ids("r1", "", 2, 1), (Ids{2, 3}));
  EXPECT_EQ(company_ids("r1", "", 2, 6), Ids{});
}

TEST_P(ReadModelTest, CompanySearchIsACaseInsensitivePrefix) {
  EXPECT_EQ(company_ids("r1", "alpha"), (Ids{1, 2}));
  EXPECT_EQ(company_ids("r1", "ALPHA F"), (Ids{1}));
  EXPECT_EQ(company_ids("r1", "Beta"), (Ids{3}));  // not "alpha beta": a prefix, not a substring
  EXPECT_EQ(model_->companies("r1", {"alpha", 1, 0}).total, 2);
  // LIKE wildcards in the search are literal characters.
  EXPECT_EQ(company_ids("r1", "100%"), (Ids{4}));
  EXPECT_EQ(company_ids("r1", "_"), Ids{});
  EXPECT_EQ(company_ids("r1", "%"), Ids{});
  EXPECT_EQ(company_ids("r1", "\\"), Ids{});
  EXPECT_EQ(company_ids("r1", "zzz"), Ids{});
  EXPECT_EQ(company_ids("r2", "alpha"), (Ids{1}));
}

TEST_P(ReadModelTest, OneCompany) {
  const auto c = model_->company("r1", 1);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->summary.name, "Alpha Films");
  EXPECT_EQ(c->summary.movie_count, 3);
  EXPECT_EQ(c->first_year, 1995);
  EXPECT_EQ(c->last_year, 1997);
  const auto none = model_->company("r1", 4);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->summary.movie_count, 0);
  EXPECT_FALSE(none->first_year);
  EXPECT_FALSE(model_->company("r1", 99));
  EXPECT_EQ(model_->company("r2", 1)->summary.name, "Alpha Films II");
  EXPECT_FALSE(model_->company("r2", 3));
}

TEST_P(ReadModelTest, CompanyYears) {
  const auto years = model_->company_years("r1", 1, {});
  ASSERT_EQ(years.size(), 2u);
  const CompanyYear& y = years[0];
  EXPECT_EQ(y.year, 1995);
  EXPECT_EQ(y.movie_count, 2);
  EXPECT_EQ(y.movies_with_budget, 2);
  EXPECT_EQ(y.movies_with_revenue, 1);
  EXPECT_EQ(y.movies_with_both, 1);
  EXPECT_EQ(y.budget, 3000000);
  EXPECT_EQ(y.revenue, 9000000);
  EXPECT_EQ(y.profit, 6000000);
  EXPECT_EQ(y.budget_split, 1500000.5);
  EXPECT_EQ(y.revenue_split, 4500000.25);
  EXPECT_EQ(y.profit_split, 2999999.5);
  EXPECT_EQ(y.average_popularity, 7.25);
  EXPECT_EQ(years[1].year, 1997);
  EXPECT_FALSE(years[1].average_popularity);
  EXPECT_EQ(model_->company_years("r1", 1, {1996, 9999}).size(), 1u);
  EXPECT_EQ(model_->company_years("r1", 1, {1995, 1995}).size(), 1u);
  EXPECT_EQ(model_->company_years("r1", 3, {}).at(0).profit_split, -25.5);
  EXPECT_TRUE(model_->company_years("r1", 4, {}).empty());
}

TEST_P(ReadModelTest, CompanyGenres) {
  const auto rows = model_->company_genres("r1", 1, {});
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].year, 1995);
  EXPECT_EQ(rows[0].genre_id, 10);
  EXPECT_EQ(rows[0].genre_name, "Drama");
  EXPECT_EQ(rows[1].genre_id, 20);
  EXPECT_EQ(rows[1].movie_count, 2);
  EXPECT_EQ(rows[2].year, 1997);
  EXPECT_EQ(model_->company_genres("r1", 1, {1997, 1997}).size(), 1u);
}

TEST_P(ReadModelTest, GenresWithMovieCounts) {
  const auto genres = model_->genres("r1");
  ASSERT_EQ(genres.size(), 3u);
  EXPECT_EQ(genres[0].id, 10);
  EXPECT_EQ(genres[0].movie_count, 2);
  EXPECT_EQ(genres[1].name, "Comedy");
  EXPECT_EQ(genres[1].movie_count, 2);
  EXPECT_EQ(genres[2].movie_count, 1);
  EXPECT_TRUE(model_->genre_exists("r1", 30));
  EXPECT_FALSE(model_->genre_exists("r2", 30));
}

TEST_P(ReadModelTest, GenreYears) {
  const auto all = model_->genre_years("r1", {}, std::nullopt);
  ASSERT_EQ(all.size(), 5u);
  std::vector<std::pair<int, std::int64_t>> order;
  for (const auto& g : all) order.emplace_back(g.year, g.genre_id);
  EXPECT_EQ(order, (std::vector<std::pair<int, std::int64_t>>{{1995, 10}, {1995, 20}, {1995, 30}, {1996, 30}, {1997, 10}}));
  EXPECT_EQ(all[0].popularity_total, 10.5);
  EXPECT_EQ(all[0].popularity_average, 3.5);
  EXPECT_EQ(all[0].profit, 490);
  EXPECT_EQ(all[0].vote_count_total, 100);
  EXPECT_EQ(all[0].rank_by_popularity_total, 2);
  EXPECT_FALSE(all[1].popularity_average);
  EXPECT_EQ(model_->genre_years("r1", {}, 30).size(), 2u);
  EXPECT_EQ(model_->genre_years("r1", {1996, 1996}, std::nullopt).size(), 1u);
  EXPECT_TRUE(model_->genre_years("r1", {2000, 2010}, std::nullopt).empty());
}

std::vector<std::tuple<int, std::int64_t, double>> winners(ReadModel& model, PopularityMeasure measure) {
  std::vector<std::tuple<int, std::int64_t, double>> out;
  for (const auto& w : model.most_popular("r1", {}, measure)) {
    const double value = std::holds_alternative<std::int64_t>(w.value)
                             ? static_cast<double>(std::get<std::int64_t>(w.value))
                             : std::get<double>(w.value);
    out.emplace_back(w.year, w.genre_id, value);
  }
  return out;
}

TEST_P(ReadModelTest, MostPopularGenrePerYearTiesToTheLowerId) {
  using W = std::vector<std::tuple<int, std::int64_t, double>>;
  EXPECT_EQ(winners(*model_, PopularityMeasure::popularity_total), (W{{1995, 20, 12.0}, {1996, 30, 0.0}, {1997, 10, 1.25}}));
  // Comedy's average is unknown in 1995 and Action's in 1996: they cannot win; 1996 has no winner.
  EXPECT_EQ(winners(*model_, PopularityMeasure::popularity_average), (W{{1995, 10, 3.5}, {1997, 10, 1.25}}));
  EXPECT_EQ(winners(*model_, PopularityMeasure::movie_count), (W{{1995, 10, 3}, {1996, 30, 2}, {1997, 10, 1}}));
  EXPECT_EQ(winners(*model_, PopularityMeasure::revenue), (W{{1995, 20, 700}, {1996, 30, 0}, {1997, 10, 0}}));
  const auto integral = model_->most_popular("r1", {1995, 1995}, PopularityMeasure::revenue);
  ASSERT_EQ(integral.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<std::int64_t>(integral[0].value));
  EXPECT_EQ(integral[0].genre_name, "Comedy");
}

INSTANTIATE_TEST_SUITE_P(Backends, ReadModelTest, ::testing::ValuesIn(testing::backends()), testing::backend_name);

}  // namespace
}  // namespace marquee::store

#include "job/corrections.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "common/error.hpp"
#include "model/model_builder.hpp"
#include "rollup/rollups.hpp"
#include "table/memory_sink.hpp"

namespace marquee::job {
namespace {

using model::Movie;
using table::OwnedCell;

class CountingSink : public model::DiagnosticSink {
 public:
  void report(model::Diagnostic d) override { diagnostics.push_back(std::move(d)); }
  std::vector<model::Diagnostic> diagnostics;
};

Movie movie(std::int64_t id, int year, std::int64_t budget, std::int64_t revenue, double popularity,
            std::vector<model::NamedRef> genres, std::vector<model::NamedRef> companies) {
  Movie m;
  m.id = id;
  m.title = "Movie " + std::to_string(id);
  m.release_date = table::days_from_civil(year, 6, 1);
  m.year = year;
  m.budget = budget;
  m.revenue = revenue;
  m.popularity = popularity;
  m.genres = std::move(genres);
  m.companies = std::move(companies);
  return m;
}

// A snapshot as the etl job builds one: model tables and rollups, in memory.
std::unique_ptr<table::MemoryTableSink> snapshot(const std::vector<Movie>& movies) {
  auto sink = std::make_unique<table::MemoryTableSink>();
  CountingSink diagnostics;
  model::ModelBuilder builder(*sink, diagnostics);
  rollup::Rollups rollups;
  for (const Movie& m : movies) {
    if (builder.add(m)) rollups.add(m);
  }
  builder.finish();
  rollups.write(*sink, builder.dimensions());
  return sink;
}

TableScanner scanner(const table::MemoryTableSink& sink) {
  return [&sink](const std::string& name, const RowVisitor& visit) {
    const auto& t = sink.table(name);
    for (const auto& row : t.rows) visit(t.schema, table::borrow_row(row));
  };
}

// Column `column` of every row of `table`, as owned cells, keyed by the
// first `key_columns` columns rendered as text.
std::map<std::string, OwnedCell> column(const table::MemoryTableSink& sink, const std::string& table,
                                        const std::string& name, std::size_t key_columns) {
  const auto& t = sink.table(table);
  const std::size_t index = t.schema.index_of(name);
  std::map<std::string, OwnedCell> out;
  for (const auto& row : t.rows) {
    std::string key;
    for (std::size_t i = 0; i < key_columns; ++i) {
      if (i > 0) key += "/";
      key += std::visit(
                                  [](const auto& x) -> std::string {
                                    using T = std::decay_t<decltype(x)>;
                                    if constexpr (std::is_same_v<T, std::string>) return x;
                                    else if constexpr (std::is_same_v<T, table::Null>) return "null";
                                    else return std::to_string(x);
                                  },
                                  row[i]);
    }
    out[key] = row[index];
  }
  return out;
}

const model::NamedRef kDrama{18, "Drama"}, kComedy{35, "Comedy"};
const model::NamedRef kA{10, "A"}, kB{11, "B"}, kC{12, "C"};

class MergeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Base: 1 (2000, Drama, A), 2 (2000, Drama+Comedy, A+B), 3 (2001, Comedy, B).
    base_ = snapshot({movie(1, 2000, 100, 300, 2.0, {kDrama}, {kA}),
                      movie(2, 2000, 50, 0, 4.0, {kDrama, kComedy}, {kA, kB}),
                      movie(3, 2001, 0, 500, 1.0, {kComedy}, {kB})});
    // Corrections: 2 changed (Comedy only, B only, new figures); 4 new, naming
    // company 10 differently from the base.
    fixes_ = snapshot({movie(2, 2000, 60, 200, 5.0, {kComedy}, {kB}),
                       movie(4, 2001, 10, 40, 3.0, {kDrama}, {kC, {10, "A renamed"}})});
    result_ = merge_corrections(scanner(*base_), scanner(*fixes_), {3, 99}, out_, diagnostics_);
  }
  std::unique_ptr<table::MemoryTableSink> base_, fixes_;
  table::MemoryTableSink out_;
  CountingSink diagnostics_;
  MergeResult result_;
};

TEST_F(MergeTest, CountsWhatWasReplacedAddedAndDeleted) {
  const CorrectionCounts& c = result_.counts;
  EXPECT_EQ(c.base_movies, 3u);
  EXPECT_EQ(c.corrections, 2u);
  EXPECT_EQ(c.replaced, 1u);
  EXPECT_EQ(c.added, 1u);
  EXPECT_EQ(c.deleted, 1u);
  EXPECT_EQ(c.delete_ids_not_found, 1u);  // 99
  EXPECT_EQ(c.movies, 3u);
}

TEST_F(MergeTest, ReplacementsStayInPlaceAndAdditionsComeLast) {
  const auto& movies = out_.table("movie");
  ASSERT_EQ(movies.rows.size(), 3u);
  EXPECT_EQ(std::get<std::int64_t>(movies.rows[0][0]), 1);
  EXPECT_EQ(std::get<std::int64_t>(movies.rows[1][0]), 2);
  EXPECT_EQ(std::get<std::int64_t>(movies.rows[2][0]), 4);
  const std::size_t budget = movies.schema.index_of("budget");
  EXPECT_EQ(std::get<std::int64_t>(movies.rows[1][budget]), 60);  // the corrected figure
  // Bridges follow the corrected movie: 2 is now Comedy and B only.
  const auto genres = column(out_, "movie_genre", "position", 2);
  EXPECT_EQ(genres.size(), 3u);  // 1/18, 2/35, 4/18
  EXPECT_TRUE(genres.count("2/35"));
  EXPECT_FALSE(genres.count("2/18"));
}

TEST_F(MergeTest, RollupsAreRecomputedFromTheMergedMovies) {
  // genre_year by hand: Drama 2000 = movie 1 only; Comedy 2000 = corrected 2;
  // Drama 2001 = new 4; Comedy 2001 had only the deleted 3: no row.
  const auto count = column(out_, "genre_year", "movie_count", 2);
  EXPECT_EQ(count.size(), 3u);
  EXPECT_EQ(std::get<std::int64_t>(count.at("18/2000")), 1);
  EXPECT_EQ(std::get<std::int64_t>(count.at("35/2000")), 1);
  EXPECT_EQ(std::get<std::int64_t>(count.at("18/2001")), 1);
  const auto revenue = column(out_, "genre_year", "revenue", 2);
  EXPECT_EQ(std::get<std::int64_t>(revenue.at("18/2000")), 300);
  EXPECT_EQ(std::get<std::int64_t>(revenue.at("35/2000")), 200);
  EXPECT_EQ(std::get<std::int64_t>(revenue.at("18/2001")), 40);
  const auto profit = column(out_, "genre_year", "profit", 2);
  EXPECT_EQ(std::get<std::int64_t>(profit.at("35/2000")), 140);  // 200 - 60
  const auto rank = column(out_, "genre_year", "rank_by_popularity_total", 2);
  EXPECT_EQ(std::get<std::int32_t>(rank.at("35/2000")), 1);  // 5.0 beats Drama's 2.0
  EXPECT_EQ(std::get<std::int32_t>(rank.at("18/2000")), 2);

  // company_year: A 2000 = movie 1 (2 moved to B); B 2000 = corrected 2;
  // A and C 2001 = new 4; B 2001 had only the deleted 3.
  const auto budget = column(out_, "company_year", "budget", 2);
  EXPECT_EQ(budget.size(), 4u);
  EXPECT_EQ(std::get<std::int64_t>(budget.at("10/2000")), 100);
  EXPECT_EQ(std::get<std::int64_t>(budget.at("11/2000")), 60);
  EXPECT_EQ(std::get<std::int64_t>(budget.at("10/2001")), 10);
  EXPECT_EQ(std::get<std::int64_t>(budget.at("12/2001")), 10);
  const auto split = column(out_, "company_year", "budget_split", 2);
  EXPECT_DOUBLE_EQ(std::get<double>(split.at("12/2001")), 5.0);  // 10 shared by C and A
}

TEST_F(MergeTest, TheBaseKeepsItsNamesAndAConflictIsReported) {
  const auto names = column(out_, "company", "name", 1);
  EXPECT_EQ(std::get<std::string>(names.at("10")), "A");
  EXPECT_EQ(names.size(), 3u);
  ASSERT_EQ(diagnostics_.diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics_.diagnostics[0].reason, model::Reason::ConflictingName);
  EXPECT_EQ(diagnostics_.diagnostics[0].movie_id, 4);
}

TEST(ForEachMovie, RebuildsEveryFieldOfTheOriginalMovies) {
  Movie full = movie(7, 1999, 5, 6, 0.5, {kComedy, kDrama}, {kB, kA});
  full.imdb_id = "tt0000007";
  full.original_title = "Original";
  full.original_language = "fr";
  full.overview = "Line one,\nline \"two\"";
  full.tagline = "Tag";
  full.homepage = "http://example.com";
  full.poster_path = "/p.jpg";
  full.status = "Released";
  full.adult = false;
  full.video = true;
  full.runtime = 101.5;
  full.vote_average = 7.25;
  full.vote_count = 1234;
  full.collection = model::Collection{55, "Saga", "/c.jpg", std::nullopt};
  full.countries = {{"FR", "France"}, {"US", "United States of America"}};
  full.languages = {{"fr", "Français"}, {"en", "English"}};
  Movie bare;  // everything optional absent
  bare.id = 8;
  const auto sink = snapshot({full, bare});
  std::vector<Movie> back;
  for_each_movie(scanner(*sink), [&](const Movie& m) { back.push_back(m); });
  ASSERT_EQ(back.size(), 2u);
  const Movie& m = back[0];
  EXPECT_EQ(m.id, 7);
  EXPECT_EQ(m.imdb_id, full.imdb_id);
  EXPECT_EQ(m.title, full.title);
  EXPECT_EQ(m.original_title, full.original_title);
  EXPECT_EQ(m.original_language, full.original_language);
  EXPECT_EQ(m.overview, full.overview);
  EXPECT_EQ(m.tagline, full.tagline);
  EXPECT_EQ(m.homepage, full.homepage);
  EXPECT_EQ(m.poster_path, full.poster_path);
  EXPECT_EQ(m.status, full.status);
  EXPECT_EQ(m.adult, full.adult);
  EXPECT_EQ(m.video, full.video);
  EXPECT_EQ(m.release_date, full.release_date);
  EXPECT_EQ(m.year, 1999);
  EXPECT_EQ(m.budget, 5);
  EXPECT_EQ(m.revenue, 6);
  EXPECT_EQ(m.popularity, 0.5);
  EXPECT_EQ(m.runtime, 101.5);
  EXPECT_EQ(m.vote_average, 7.25);
  EXPECT_EQ(m.vote_count, 1234);
  ASSERT_TRUE(m.collection.has_value());
  EXPECT_EQ(m.collection->id, 55);
  EXPECT_EQ(m.collection->name, "Saga");
  EXPECT_EQ(m.collection->poster_path, "/c.jpg");
  EXPECT_EQ(m.collection->backdrop_path, std::nullopt);
  ASSERT_EQ(m.companies.size(), 2u);  // listing order kept: B then A
  EXPECT_EQ(m.companies[0].id, 11);
  EXPECT_EQ(m.companies[1].name, "A");
  ASSERT_EQ(m.genres.size(), 2u);
  EXPECT_EQ(m.genres[0].name, "Comedy");
  ASSERT_EQ(m.countries.size(), 2u);
  EXPECT_EQ(m.countries[1].name, "United States of America");
  ASSERT_EQ(m.languages.size(), 2u);
  EXPECT_EQ(m.languages[0].name, "Français");

  const Movie& b = back[1];
  EXPECT_EQ(b.id, 8);
  EXPECT_FALSE(b.title || b.adult || b.release_date || b.popularity || b.vote_count || b.collection);
  EXPECT_TRUE(b.companies.empty() && b.genres.empty() && b.countries.empty() && b.languages.empty());
}

TEST(DeleteIds, ReadsIdsSkippingBlanksAndComments) {
  const auto path = std::filesystem::temp_directory_path() / ("marquee-delete-ids-" + std::to_string(::getpid()));
  std::ofstream(path) << "# removed by legal\n12\n\n  34 \r\n12\n";
  EXPECT_EQ(read_delete_ids(path.string()), (std::unordered_set<std::int64_t>{12, 34}));
  std::ofstream(path) << "12\nabc\n";
  try {
    read_delete_ids(path.string());
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(path.string() + ":2: 'abc'"), std::string::npos) << e.what();
  }
  std::filesystem::remove(path);
  EXPECT_THROW(read_delete_ids(path.string()), InputError);
}

}  // namespace
}  // namespace marquee::job

// The rollups at a scale where their hand-written counting folds its buffer
// several times (company_year_genre counts more than 4 million pairs), fed
// in batches: every count must match an independent std::map tally, and the
// batched add must write the same tables as adding movies one at a time, or
// spilling parts to disk on the way.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <limits>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "model/dimensions.hpp"
#include "rollup/rollups.hpp"
#include "table/memory_sink.hpp"

namespace marquee::rollup {
namespace {

struct Quiet : model::DiagnosticSink {
  void report(model::Diagnostic) override {}
};

// 30,000 movies of 20 companies and 8 genres each (4.8 million pairs), over
// 300 companies, 30 genres and 40 years, from a fixed seed.
std::vector<model::Movie> many_movies() {
  std::mt19937_64 rng(11);
  std::vector<model::Movie> movies(30000);
  for (std::size_t i = 0; i < movies.size(); ++i) {
    model::Movie& m = movies[i];
    m.id = static_cast<std::int64_t>(i + 1);
    if (i % 50 != 0) m.year = static_cast<std::int32_t>(1980 + rng() % 40);  // some undated
    m.budget = static_cast<std::int64_t>(rng() % 1000);
    m.revenue = static_cast<std::int64_t>(rng() % 2000);
    m.popularity = static_cast<double>(rng() % 100) / 8;
    std::vector<bool> taken(300);
    while (m.companies.size() < 20) {
      const std::size_t c = rng() % 300;
      if (!taken[c]) {
        taken[c] = true;
        m.companies.push_back({static_cast<std::int64_t>(c + 1), "company"});
      }
    }
    std::vector<bool> genre_taken(30);
    while (m.genres.size() < 8) {
      const std::size_t g = rng() % 30;
      if (!genre_taken[g]) {
        genre_taken[g] = true;
        m.genres.push_back({static_cast<std::int64_t>(1000 + g), "genre"});
      }
    }
  }
  return movies;
}

TEST(RollupsAtScale, CompanyYearGenreCountsMatchAnIndependentTally) {
  const std::vector<model::Movie> movies = many_movies();
  std::map<std::tuple<std::int64_t, std::int32_t, std::int64_t>, std::int64_t> expected;
  for (const model::Movie& m : movies) {
    if (!m.year) continue;
    for (const auto& c : m.companies) {
      for (const auto& g : m.genres) ++expected[{c.id, *m.year, g.id}];
    }
  }

  Quiet quiet;
  model::Dimensions names;
  Rollups batched, one_by_one;
  std::vector<const model::Movie*> batch;
  for (const model::Movie& m : movies) {
    names.add(m, quiet);
    one_by_one.add(m);
    batch.push_back(&m);
    if (batch.size() == 97) {
      batched.add(batch);
      batch.clear();
    }
  }
  batched.add(batch);

  table::MemoryTableSink batched_sink, single_sink;
  batched.write(batched_sink, names);
  one_by_one.write(single_sink, names);

  const auto& rows = batched_sink.table("company_year_genre").rows;
  ASSERT_EQ(rows.size(), expected.size());
  auto want = expected.begin();
  for (const table::OwnedRow& row : rows) {  // written in key order
    const auto key = std::make_tuple(std::get<std::int64_t>(row[0]), std::get<std::int32_t>(row[1]),
                                     std::get<std::int64_t>(row[2]));
    ASSERT_EQ(key, want->first);
    ASSERT_EQ(std::get<std::int64_t>(row[4]), want->second);
    ++want;
  }
  for (const char* table : {"company_year", "company_year_genre", "genre_year"}) {
    EXPECT_TRUE(batched_sink.table(table).rows == single_sink.table(table).rows) << table;
  }
}

// ---- spilling ------------------------------------------------------------

class RollupsSpill : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("marquee-rollup-spill-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Adds the movies in batches of 97, as the job does.
  static void add_all(Rollups& rollups, model::Dimensions& names, const std::vector<model::Movie>& movies) {
    Quiet quiet;
    std::vector<const model::Movie*> batch;
    for (const model::Movie& m : movies) {
      names.add(m, quiet);
      batch.push_back(&m);
      if (batch.size() == 97) {
        rollups.add(batch);
        batch.clear();
      }
    }
    rollups.add(batch);
  }
  std::filesystem::path dir_;
};

// Budgets: 0 spills after every batch (310 parts), 1 MiB every few batches.
TEST_F(RollupsSpill, SpilledPartsMergeIntoTheSameTablesAsInMemory) {
  const std::vector<model::Movie> movies = many_movies();
  model::Dimensions names;
  Rollups in_memory;
  add_all(in_memory, names, movies);
  table::MemoryTableSink want;
  in_memory.write(want, names);
  ASSERT_EQ(in_memory.spilled_parts(), 0u);

  for (const std::size_t budget : {std::size_t{0}, std::size_t{1} << 20}) {
    SCOPED_TRACE(budget);
    model::Dimensions spilled_names;
    Rollups spilled;
    spilled.set_spill(dir_, budget);
    add_all(spilled, spilled_names, movies);
    EXPECT_GT(spilled.spilled_parts(), budget == 0 ? 300u : 2u);
    table::MemoryTableSink got;
    spilled.write(got, spilled_names);
    for (const char* table : {"company_year", "company_year_genre", "genre_year"}) {
      EXPECT_EQ(got.table(table).rows.size(), want.table(table).rows.size()) << table;
      EXPECT_TRUE(got.table(table).rows == want.table(table).rows) << table;
    }
    // The scratch file has no name: nothing is left in the directory.
    EXPECT_TRUE(std::filesystem::is_empty(dir_));
  }
}

// company_year's integer totals against a tally of their own, with the
// parts' sums crossing each other: a key's movies are spread over parts.
TEST_F(RollupsSpill, KeysSpreadOverPartsAddUp) {
  const std::vector<model::Movie> movies = many_movies();
  std::map<std::pair<std::int64_t, std::int32_t>, std::pair<std::int64_t, std::int64_t>> expected;  // count, budget
  for (const model::Movie& m : movies) {
    if (!m.year) continue;
    for (const auto& c : m.companies) {
      auto& [count, budget] = expected[{c.id, *m.year}];
      ++count;
      if (m.budget > 0) budget += m.budget;
    }
  }
  model::Dimensions names;
  Rollups rollups;
  rollups.set_spill(dir_, std::size_t{1} << 20);
  add_all(rollups, names, movies);
  ASSERT_GT(rollups.spilled_parts(), 2u);
  table::MemoryTableSink sink;
  rollups.write(sink, names);
  const auto& rows = sink.table("company_year").rows;
  ASSERT_EQ(rows.size(), expected.size());
  auto want = expected.begin();
  for (const table::OwnedRow& row : rows) {
    ASSERT_EQ(std::make_pair(std::get<std::int64_t>(row[0]), std::get<std::int32_t>(row[1])), want->first);
    ASSERT_EQ(std::get<std::int64_t>(row[3]), want->second.first);   // movie_count
    ASSERT_EQ(std::get<std::int64_t>(row[7]), want->second.second);  // budget
    ++want;
  }
}

// Two parts that each fit int64 but not together: the merge says which
// total of which key overflows (no movie can be named by then).
TEST_F(RollupsSpill, AnOverflowAcrossPartsNamesTheKeyAndColumn) {
  std::vector<model::Movie> movies(2);
  for (std::size_t i = 0; i < movies.size(); ++i) {
    movies[i].id = static_cast<std::int64_t>(i + 1);
    movies[i].year = 2000;
    movies[i].budget = std::numeric_limits<std::int64_t>::max() - 1;
    movies[i].companies.push_back({7, "seven"});
  }
  Quiet quiet;
  model::Dimensions names;
  Rollups rollups;
  rollups.set_spill(dir_, 0);
  for (const model::Movie& m : movies) {
    names.add(m, quiet);
    rollups.add(m);  // a part per movie
  }
  ASSERT_EQ(rollups.spilled_parts(), 2u);
  table::MemoryTableSink sink;
  try {
    rollups.write(Rollups::Table::CompanyYear, sink, names);
    FAIL() << "no overflow";
  } catch (const std::overflow_error& e) {
    EXPECT_NE(std::string(e.what()).find("column budget overflows at company_id=7, year=2000"), std::string::npos)
        << e.what();
  }
}

TEST_F(RollupsSpill, AMissingScratchDirectoryIsAnErrorNamingIt) {
  Rollups rollups;
  try {
    rollups.set_spill(dir_ / "gone", 0);
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find((dir_ / "gone").string()), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace marquee::rollup

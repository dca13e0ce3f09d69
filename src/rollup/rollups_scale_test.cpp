// The rollups at a scale where their hand-written counting folds its buffer
// several times (company_year_genre counts more than 4 million pairs), fed
// in batches: every count must match an independent std::map tally, and the
// batched add must write the same tables as adding movies one at a time.
#include <gtest/gtest.h>

#include <map>
#include <random>
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

}  // namespace
}  // namespace marquee::rollup

#pragma once
// Test support: two small hand-made runs loaded through the storage stage's
// real load path (so PostgreSQL gets its partitions), with figures chosen so
// that every expectation in the tests can be worked out by hand:
//
// run r1 (created 2024-01-01)
//   company  1 "Alpha Films" (movies 100, 101, 103 -> movie_count 3), 2 "alpha beta" (100 -> 1),
//            3 "Beta Corp" (102, 103 -> 2), 4 "100% Pictures" (0), 5 "Ça Films" (0), 6 "100 Monkeys" (0)
//   genre    10 "Drama" (100, 101 -> 2), 20 "Comedy" (100, 103 -> 2), 30 "Action" (102 -> 1)
//   company_year  (1,1995) (1,1997) (3,1995); split figures x.5 to check rounding
//   genre_year    1995: 10, 20, 30 (ties on movie_count 10/20 and revenue 20/30); 1996: 30; 1997: 10
// run r2 (created 2024-02-01): company 1 "Alpha Films II", genre 10 only, other numbers.
#include <string>
#include <vector>

#include "store/store.hpp"
#include "table/cell.hpp"

namespace marquee::api::testing {

using table::Cell;
using Rows = std::vector<std::vector<Cell>>;

inline Cell i64(std::int64_t v) { return v; }
inline Cell i32(std::int32_t v) { return v; }
inline Cell dbl(double v) { return v; }
inline Cell str(std::string_view v) { return v; }
inline Cell nul() { return table::Null{}; }

struct FixtureRun {
  std::string id;
  std::string created_at;
  std::vector<std::pair<std::string, Rows>> tables;  // by table name; others are empty
};

inline FixtureRun run_one() {
  FixtureRun run{"r1", "2024-01-01T00:00:00.000Z", {}};
  run.tables.emplace_back("company", Rows{{i64(1), str("Alpha Films")},
                                          {i64(2), str("alpha beta")},
                                          {i64(3), str("Beta Corp")},
                                          {i64(4), str("100% Pictures")},
                                          {i64(5), str("Ça Films")},
                                          {i64(6), str("100 Monkeys")}});
  run.tables.emplace_back("genre", Rows{{i64(10), str("Drama")}, {i64(20), str("Comedy")}, {i64(30), str("Action")}});
  run.tables.emplace_back("movie_company", Rows{{i64(100), i64(1), i32(0)},
                                                {i64(100), i64(2), i32(1)},
                                                {i64(101), i64(1), i32(0)},
                                                {i64(102), i64(3), i32(0)},
                                                {i64(103), i64(1), i32(0)},
                                                {i64(103), i64(3), i32(1)}});
  run.tables.emplace_back("movie_genre", Rows{{i64(100), i64(10), i32(0)},
                                              {i64(100), i64(20), i32(1)},
                                              {i64(101), i64(10), i32(0)},
                                              {i64(102), i64(30), i32(0)},
                                              {i64(103), i64(20), i32(0)}});
  // company_id, year, company_name, movie_count, with_budget, with_revenue, with_both, budget,
  // revenue, profit, budget_split, revenue_split, profit_split, average_popularity, rating_count,
  // rating_mean (null: no ratings)
  run.tables.emplace_back(
      "company_year",
      Rows{{i64(1), i32(1995), str("Alpha Films"), i64(2), i64(2), i64(1), i64(1), i64(3000000), i64(9000000),
            i64(6000000), dbl(1500000.5), dbl(4500000.25), dbl(2999999.5), dbl(7.25), nul(), nul()},
           {i64(1), i32(1997), str("Alpha Films"), i64(1), i64(0), i64(0), i64(0), i64(0), i64(0), i64(0), dbl(0),
            dbl(0), dbl(0), nul(), nul(), nul()},
           {i64(3), i32(1995), str("Beta Corp"), i64(1), i64(1), i64(1), i64(1), i64(100), i64(50), i64(-50),
            dbl(50), dbl(25), dbl(-25.5), dbl(1.5), nul(), nul()}});
  run.tables.emplace_back("company_year_genre", Rows{{i64(1), i32(1995), i64(10), str("Drama"), i64(1)},
                                                     {i64(1), i32(1995), i64(20), str("Comedy"), i64(2)},
                                                     {i64(1), i32(1997), i64(10), str("Drama"), i64(1)},
                                                     {i64(3), i32(1995), i64(30), str("Action"), i64(1)}});
  // genre_id, year, genre_name, movie_count, with_budget, with_revenue, with_both, budget, revenue,
  // profit, popularity_total, popularity_average, vote_count_total, rank_by_popularity_total,
  // rating_count, rating_mean (null: no ratings)
  run.tables.emplace_back(
      "genre_year",
      Rows{{i64(10), i32(1995), str("Drama"), i64(3), i64(1), i64(1), i64(1), i64(10), i64(500), i64(490),
            dbl(10.5), dbl(3.5), i64(100), i32(2), nul(), nul()},
           {i64(20), i32(1995), str("Comedy"), i64(3), i64(0), i64(1), i64(0), i64(0), i64(700), i64(0), dbl(12.0),
            nul(), i64(50), i32(1), nul(), nul()},
           {i64(30), i32(1995), str("Action"), i64(1), i64(0), i64(1), i64(0), i64(0), i64(700), i64(0), dbl(2.0),
            dbl(2.0), i64(7), i32(3), nul(), nul()},
           {i64(30), i32(1996), str("Action"), i64(2), i64(0), i64(0), i64(0), i64(0), i64(0), i64(0), dbl(0.0),
            nul(), i64(0), i32(1), nul(), nul()},
           {i64(10), i32(1997), str("Drama"), i64(1), i64(0), i64(0), i64(0), i64(0), i64(0), i64(0), dbl(1.25),
            dbl(1.25), i64(1), i32(1), nul(), nul()}});
  return run;
}

inline FixtureRun run_two() {
  FixtureRun run{"r2", "2024-02-01T00:00:00.000Z", {}};
  run.tables.emplace_back("company", Rows{{i64(1), str("Alpha Films II")}});
  run.tables.emplace_back("genre", Rows{{i64(10), str("Drama")}});
  run.tables.emplace_back("movie_company", Rows{{i64(200), i64(1), i32(0)}});
  run.tables.emplace_back("movie_genre", Rows{{i64(200), i64(10), i32(0)}});
  run.tables.emplace_back(
      "company_year", Rows{{i64(1), i32(1995), str("Alpha Films II"), i64(5), i64(0), i64(0), i64(0), i64(0),
                            i64(0), i64(0), dbl(0), dbl(0), dbl(0), dbl(9.0), nul(), nul()}});
  run.tables.emplace_back("company_year_genre", Rows{{i64(1), i32(1995), i64(10), str("Drama"), i64(5)}});
  run.tables.emplace_back("genre_year", Rows{{i64(10), i32(1995), str("Drama"), i64(9), i64(0), i64(0), i64(0),
                                              i64(0), i64(0), i64(0), dbl(99.0), dbl(11.0), i64(0), i32(1), nul(), nul()}});
  return run;
}

inline void load(store::Store& store, const FixtureRun& run) {
  std::vector<store::TableData> data;
  for (const table::Schema* schema : store::snapshot_tables()) {
    const Rows* rows = nullptr;
    for (const auto& [name, table_rows] : run.tables)
      if (name == schema->name) rows = &table_rows;
    data.push_back({schema, [rows](table::TableWriter& writer) {
                      if (rows)
                        for (const auto& row : *rows) writer.write_row(row);
                    }});
  }
  const std::string manifest = R"({"counts":{"movies_kept":4},"run_id":")" + run.id + "\"}";
  store.load_run({run.id, run.created_at, manifest}, data);
}

}  // namespace marquee::api::testing

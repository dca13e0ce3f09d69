#pragma once
// The yearly rollups (definitions in docs/DATA_MODEL.md):
//   company_year, company_year_genre, genre_year.
// Only movies with a release_date count; year = its calendar year; every
// status counts. budget = sum of budgets > 0; revenue = sum of revenues > 0;
// profit = sum of (revenue - budget) over movies with both > 0. Money is
// int64. Rollups see movies one at a time (kept ones only, in input order)
// and hold only per-(key, year) accumulators; past a memory budget the
// company ones are spilled to disk in sorted parts (set_spill).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <tuple>

#include "model/dimensions.hpp"
#include "model/movie.hpp"
#include "rollup/rating_rollups.hpp"
#include "table/schema.hpp"
#include "table/table_writer.hpp"

namespace marquee::rollup {

// A total that would leave its type's range. Adding stops at the movie that
// would overflow it; the job fails the run and reports that movie.
class SumOverflow : public std::overflow_error {
 public:
  SumOverflow(const std::string& what, std::uint64_t line, std::int64_t movie_id)
      : std::overflow_error(what), line(line), movie_id(movie_id) {}
  std::uint64_t line;     // the movie's record line
  std::int64_t movie_id;
};

const table::Schema& company_year_schema();
const table::Schema& company_year_genre_schema();
const table::Schema& genre_year_schema();

class Rollups {
 public:
  Rollups();
  ~Rollups();
  // A run that reads ratings: every movie added from now on is tracked in
  // `ratings`, which must outlive the writes; the rollups' rating_count and
  // rating_mean come from it. Without, they are null.
  void set_ratings(RatingRollups* ratings);
  // Lets company_year and company_year_genre, which grow with the number of
  // companies, use about `memory_budget` bytes: past that, after a batch,
  // their totals so far are written to an unnamed scratch file in `dir` as a
  // sorted part, and the tables are merged from the parts. The result is the
  // same as without, except that a double sum of a key in several parts may
  // differ in its last bit (docs/DATA_MODEL.md, Numbers). Without a call,
  // everything stays in memory. Throws std::runtime_error naming `dir` when
  // no scratch file can be made there.
  void set_spill(const std::filesystem::path& dir, std::size_t memory_budget);
  // Parts spilled so far (the job reports them; the tests check them).
  std::size_t spilled_parts() const;
  void add(const model::Movie& movie);
  // The same as adding each movie in turn, only faster: the keys of the
  // whole batch are looked up first, so their memory is fetched meanwhile.
  // Both throw SumOverflow naming the movie that would overflow a total.
  void add(std::span<const model::Movie* const> movies);
  // The three tables, in the manifest's order.
  enum class Table { CompanyYear, CompanyYearGenre, GenreYear };
  static constexpr Table kTables[] = {Table::CompanyYear, Table::CompanyYearGenre, Table::GenreYear};
  static const table::Schema& schema_of(Table table);

  // Writes one table, ordered by its keys; names come from the dimensions
  // (first name seen wins). Returns the rows written. The tables are
  // independent: each may be written on a thread of its own, at the same
  // time, once no movie is added any more.
  std::uint64_t write(Table table, table::TableSink& sink, const model::Dimensions& names);
  // All three, one after the other. Rows written per table.
  std::vector<std::pair<std::string, std::uint64_t>> write(table::TableSink& sink,
                                                           const model::Dimensions& names);

 private:
  struct State;
  void add_one(const model::Movie& movie, std::size_t& company_at, std::size_t& genre_at);
  std::unique_ptr<State> state_;
  RatingRollups* ratings_ = nullptr;
};

}  // namespace marquee::rollup

#pragma once
// The yearly rollups (definitions in docs/DATA_MODEL.md):
//   company_year, company_year_genre, genre_year.
// Only movies with a release_date count; year = its calendar year; every
// status counts. budget = sum of budgets > 0; revenue = sum of revenues > 0;
// profit = sum of (revenue - budget) over movies with both > 0. Money is
// int64. Rollups see movies one at a time (kept ones only, in input order)
// and hold only per-(key, year) accumulators.
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <tuple>

#include "model/dimensions.hpp"
#include "model/movie.hpp"
#include "table/schema.hpp"
#include "table/table_writer.hpp"

namespace marquee::rollup {

const table::Schema& company_year_schema();
const table::Schema& company_year_genre_schema();
const table::Schema& genre_year_schema();

class Rollups {
 public:
  Rollups();
  ~Rollups();
  void add(const model::Movie& movie);
  // The same as adding each movie in turn, only faster: the keys of the
  // whole batch are looked up first, so their memory is fetched meanwhile.
  void add(std::span<const model::Movie* const> movies);
  // The three tables, in the manifest's order.
  enum class Table { CompanyYear, CompanyYearGenre, GenreYear };
  static constexpr Table kTables[] = {Table::CompanyYear, Table::CompanyYearGenre, Table::GenreYear};
  static const table::Schema& schema_of(Table table);

  // Writes one table, ordered by its keys; names come from the dimensions
  // (first name seen wins). Returns the rows written. The tables are
  // independent: each may be written on a thread of its own, at the same
  // time, once no movie is added any more.
  std::uint64_t write(Table table, table::TableSink& sink, const model::Dimensions& names) const;
  // All three, one after the other. Rows written per table.
  std::vector<std::pair<std::string, std::uint64_t>> write(table::TableSink& sink,
                                                           const model::Dimensions& names) const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace marquee::rollup

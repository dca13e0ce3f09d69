#pragma once
// Corrections: a new full snapshot = a base run's movies with a file of
// changed or new movies applied, and listed ids removed.
//
// Design (docs/STORAGE.md, "Corrections"): the base run's movies are rebuilt
// from its own tables (movie + bridges + dimensions) into model::Movie values,
// in their original order, and streamed with the corrections through the
// same ModelBuilder and Rollups as any run, so the model and every rollup are
// recomputed by the one code path that computes them:
//  - a correction whose id is in the base replaces that movie in place;
//  - a correction with a new id is appended, in file order;
//  - an id in the delete list is removed (deletion wins over a correction).
// The result equals `marquee etl` on the base input with the corrected rows
// edited in place, new rows appended and deleted rows cut, except that a
// name the base had already discarded (a later, conflicting name of a
// company, genre, ...) is gone: the base keeps only its winning names.
// Memory: the base's bridges and dimensions, and the corrections' movies.
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/movie.hpp"
#include "table/cell.hpp"
#include "table/schema.hpp"
#include "table/table_writer.hpp"

namespace marquee::job {

// Streams the rows of one table of a snapshot by name (Parquet files of a run
// directory, or tables in memory). The cells are valid during the callback.
using RowVisitor = std::function<void(const table::Schema&, std::span<const table::Cell>)>;
using TableScanner = std::function<void(const std::string& table, const RowVisitor& visit)>;

// Rebuilds a snapshot's movies in their original (movie table) order.
void for_each_movie(const TableScanner& tables, const std::function<void(const model::Movie&)>& visit);

struct CorrectionCounts {
  std::uint64_t base_movies = 0;
  std::uint64_t corrections = 0;        // movies in the corrections' snapshot
  std::uint64_t replaced = 0;
  std::uint64_t added = 0;
  std::uint64_t deleted = 0;            // movies removed by the delete list
  std::uint64_t delete_ids_not_found = 0;
  std::uint64_t movies = 0;             // in the result
};

struct MergeResult {
  CorrectionCounts counts;
  std::vector<std::pair<std::string, std::uint64_t>> table_rows;  // as written to the sink
};

// Writes the merged snapshot (model and rollups) to `sink`. Diagnostics of the
// merge (conflicting names between base and corrections) go to `diagnostics`.
MergeResult merge_corrections(const TableScanner& base, const TableScanner& corrections,
                              const std::unordered_set<std::int64_t>& delete_ids, table::TableSink& sink,
                              model::DiagnosticSink& diagnostics);

// Reads a --delete-ids file: one movie id per line; blank lines and lines
// starting with '#' are skipped. Throws InputError naming file and line.
std::unordered_set<std::int64_t> read_delete_ids(const std::string& path);

}  // namespace marquee::job

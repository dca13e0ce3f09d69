#pragma once
// Random tables for tests (property test, fuzz corpus, independent-reader
// checks): every column type, nullable and not, nulls, empty, long
// (> 64 KiB), non-ASCII and CSV-hostile strings, 0, 1 or many rows, with
// writer options that force several row groups, many pages, dictionary
// fallback and each codec. Deterministic for a given seed.
//
// Doubles are always finite: NaN and infinities have no unambiguous CSV
// form, and the CSV copy is what independent readers are compared against.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "parquet/options.hpp"
#include "table/memory_sink.hpp"
#include "table/table_writer.hpp"

namespace marquee::parquet::testing {

struct RandomTable {
  table::Schema schema;
  std::vector<table::OwnedRow> rows;
  WriterOptions options;
};

RandomTable random_table(std::uint64_t seed, std::string name, std::size_t max_rows);

// Opens a writer for the table on `sink`, writes every row and finishes.
void write_table(table::TableSink& sink, const RandomTable& table);

}  // namespace marquee::parquet::testing

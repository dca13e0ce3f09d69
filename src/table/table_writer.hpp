#pragma once
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "table/cell.hpp"
#include "table/schema.hpp"

namespace marquee::table {

// Streams the rows of one table into an artifact. Rows are written in call
// order; a writer buffers at most a bounded amount (a row group, a page).
class TableWriter {
 public:
  virtual ~TableWriter() = default;
  // Throws std::invalid_argument if the row does not fit the schema.
  virtual void write_row(std::span<const Cell> row) = 0;
  // Completes the artifact (footer, fsync, rename). No rows after this.
  virtual void finish() = 0;
  virtual std::uint64_t rows_written() const = 0;
  virtual const Schema& schema() const = 0;
};

// Where a job's tables go: one writer per table, all in one directory.
// Implementations: CsvTableSink (csv_writer.hpp), ParquetTableSink (parquet/).
class TableSink {
 public:
  virtual ~TableSink() = default;
  virtual std::unique_ptr<TableWriter> open(const Schema& schema) = 0;
  // File name extension of the artifacts, e.g. "csv" or "parquet".
  virtual std::string extension() const = 0;
};

// Throws std::invalid_argument naming the table and column if `row` does not
// fit `schema` (width, types, nulls). Shared by every writer.
void check_row(const Schema& schema, std::span<const Cell> row);

}  // namespace marquee::table

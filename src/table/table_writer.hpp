#pragma once
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <utility>
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

// Key/value pairs an artifact carries in its own metadata (Parquet's
// key_value_metadata); formats without such a place ignore them.
using FileMetadata = std::vector<std::pair<std::string, std::string>>;

// The metadata every Marquee artifact carries: marquee.version,
// marquee.schema_version, marquee.run_id, marquee.input_sha256.
FileMetadata marquee_file_metadata(const std::string& run_id, const std::string& input_sha256);

// Where a job's tables go: one writer per table, all in one directory.
// Implementations: CsvTableSink (csv_writer.hpp), ParquetTableSink (parquet/).
class TableSink {
 public:
  virtual ~TableSink() = default;
  virtual std::unique_ptr<TableWriter> open(const Schema& schema) = 0;
  // File name extension of the artifacts, e.g. "csv" or "parquet".
  virtual std::string extension() const = 0;
  // Metadata for every artifact finished after this call, including writers
  // opened before it: a job learns its input's hash only once it has read it.
  virtual void set_file_metadata(const FileMetadata& metadata) {}
};

// Throws std::invalid_argument naming the table and column if `row` does not
// fit `schema` (width, types, nulls). Shared by every writer.
void check_row(const Schema& schema, std::span<const Cell> row);

}  // namespace marquee::table

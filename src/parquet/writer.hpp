#pragma once
// Parquet artifacts: a TableSink that writes <dir>/<table>.parquet.
// What is written is described in docs/PARQUET.md.
#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

#include "common/atomic_file.hpp"
#include "parquet/compression.hpp"
#include "parquet/compression_pool.hpp"
#include "parquet/metadata.hpp"
#include "parquet/options.hpp"
#include "table/table_writer.hpp"

namespace marquee::parquet {

class ColumnWriter;

// Streams rows into one Parquet file. Memory is bounded by one row group
// (WriterOptions::row_group_max_rows / row_group_max_bytes). The file lives
// under a temporary name until finish() has written the footer, fsynced and
// renamed it; destroying an unfinished writer removes it.
class ParquetTableWriter : public table::TableWriter {
 public:
  // `late_metadata`, when given, is read at finish() and appended to the
  // options' key/value metadata (see TableSink::set_file_metadata).
  // `pool`, when given, compresses the data pages (it may serve other
  // writers at the same time).
  ParquetTableWriter(std::filesystem::path path, table::Schema schema, WriterOptions options,
                     std::shared_ptr<const KeyValueList> late_metadata = nullptr,
                     std::shared_ptr<CompressionPool> pool = nullptr);
  ~ParquetTableWriter() override;

  void write_row(std::span<const table::Cell> row) override;
  void finish() override;
  std::uint64_t rows_written() const override { return rows_written_; }
  const table::Schema& schema() const override { return schema_; }

 private:
  void flush_row_group();
  std::size_t buffered_bytes() const;

  table::Schema schema_;
  WriterOptions options_;
  std::shared_ptr<const KeyValueList> late_metadata_;
  AtomicFile file_;
  Compressor compressor_;
  std::shared_ptr<CompressionPool> pool_;
  std::vector<std::unique_ptr<ColumnWriter>> columns_;
  std::vector<format::RowGroup> row_groups_;
  std::uint64_t rows_written_ = 0;
  std::uint64_t rows_in_group_ = 0;
  bool finished_ = false;
};

class ParquetTableSink : public table::TableSink {
 public:
  explicit ParquetTableSink(std::filesystem::path directory, WriterOptions options = {});
  std::unique_ptr<table::TableWriter> open(const table::Schema& schema) override;
  std::string extension() const override { return "parquet"; }
  void set_file_metadata(const table::FileMetadata& metadata) override { *late_metadata_ = metadata; }

 private:
  std::filesystem::path directory_;
  WriterOptions options_;
  std::shared_ptr<KeyValueList> late_metadata_ = std::make_shared<KeyValueList>();
  std::shared_ptr<CompressionPool> pool_;  // started by the first open()
  std::mutex pool_mutex_;
};

}  // namespace marquee::parquet

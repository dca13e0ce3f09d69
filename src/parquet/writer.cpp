#include "parquet/writer.hpp"

#include <stdexcept>

#include "parquet/column_writer.hpp"
#include "parquet/schema_mapping.hpp"

namespace marquee::parquet {

namespace {

constexpr std::string_view kMagic = "PAR1";
// Checking the row group's size every row would cost more than it saves.
constexpr std::uint64_t kSizeCheckInterval = 64;

}  // namespace

ParquetTableWriter::ParquetTableWriter(std::filesystem::path path, table::Schema schema,
                                       WriterOptions options,
                                       std::shared_ptr<const KeyValueList> late_metadata,
                                       std::shared_ptr<CompressionPool> pool)
    : schema_(std::move(schema)),
      options_(std::move(options)),
      late_metadata_(std::move(late_metadata)),
      file_(std::move(path)),
      compressor_(options_.compression, options_.zstd_level),
      pool_(std::move(pool)) {
  if (options_.row_group_max_rows == 0 || options_.page_max_rows == 0) {
    throw std::invalid_argument("Parquet writer: row group and page row limits must be positive");
  }
  for (const table::Column& column : schema_.columns) {
    columns_.push_back(std::make_unique<ColumnWriter>(column, options_, compressor_, pool_.get()));
  }
  file_.write(kMagic);
}

ParquetTableWriter::~ParquetTableWriter() = default;

void ParquetTableWriter::write_row(std::span<const table::Cell> row) {
  if (finished_) throw std::logic_error("write_row after finish: " + schema_.name);
  table::check_row(schema_, row);
  for (std::size_t i = 0; i < row.size(); ++i) columns_[i]->add(row[i]);
  ++rows_written_;
  ++rows_in_group_;
  if (rows_in_group_ >= options_.row_group_max_rows ||
      (rows_in_group_ % kSizeCheckInterval == 0 && buffered_bytes() >= options_.row_group_max_bytes)) {
    flush_row_group();
  }
}

std::size_t ParquetTableWriter::buffered_bytes() const {
  std::size_t total = 0;
  for (const auto& column : columns_) total += column->buffered_bytes();
  return total;
}

void ParquetTableWriter::flush_row_group() {
  if (rows_in_group_ == 0) return;
  format::RowGroup group;
  group.num_rows = static_cast<std::int64_t>(rows_in_group_);
  group.file_offset = static_cast<std::int64_t>(file_.bytes_written());
  if (row_groups_.size() <= INT16_MAX) group.ordinal = static_cast<std::int16_t>(row_groups_.size());
  std::int64_t uncompressed = 0, compressed = 0;
  for (const auto& column : columns_) column->seal_chunk();
  for (const auto& column : columns_) {
    format::ColumnChunk chunk;
    chunk.file_offset = 0;  // the spec's value when no ColumnMetaData is written outside the footer
    chunk.meta_data = column->write_chunk(file_);
    uncompressed += chunk.meta_data->total_uncompressed_size;
    compressed += chunk.meta_data->total_compressed_size;
    group.columns.push_back(std::move(chunk));
  }
  group.total_byte_size = uncompressed;
  group.total_compressed_size = compressed;
  row_groups_.push_back(std::move(group));
  rows_in_group_ = 0;
}

void ParquetTableWriter::finish() {
  if (finished_) throw std::logic_error("finish called twice: " + schema_.name);
  flush_row_group();
  format::FileMetaData metadata;
  metadata.version = 1;  // the spec advises 1 for the widest compatibility
  metadata.schema = to_parquet_schema(schema_);
  metadata.num_rows = static_cast<std::int64_t>(rows_written_);
  metadata.row_groups = std::move(row_groups_);
  for (const auto& [key, value] : options_.key_value_metadata) metadata.key_value_metadata.push_back({key, value});
  if (late_metadata_) {
    for (const auto& [key, value] : *late_metadata_) metadata.key_value_metadata.push_back({key, value});
  }
  metadata.created_by = options_.created_by;
  // min_value/max_value mean nothing to readers without column_orders.
  metadata.column_orders.assign(schema_.columns.size(), format::kTypeDefinedOrder);

  const std::string footer = format::serialize_file_metadata(metadata);
  file_.write(footer);
  const auto length = static_cast<std::uint32_t>(footer.size());
  const char length_bytes[4] = {static_cast<char>(length), static_cast<char>(length >> 8),
                                static_cast<char>(length >> 16), static_cast<char>(length >> 24)};
  file_.write(length_bytes, 4);
  file_.write(kMagic);
  file_.commit();
  finished_ = true;
}

ParquetTableSink::ParquetTableSink(std::filesystem::path directory, WriterOptions options)
    : directory_(std::move(directory)), options_(std::move(options)) {}

std::unique_ptr<table::TableWriter> ParquetTableSink::open(const table::Schema& schema) {
  std::shared_ptr<CompressionPool> pool;
  if (options_.compression_threads > 1) {
    std::lock_guard lock(pool_mutex_);
    if (!pool_) {
      pool_ = std::make_shared<CompressionPool>(options_.compression, options_.zstd_level, options_.page_checksums,
                                                options_.compression_threads);
    }
    pool = pool_;
  }
  return std::make_unique<ParquetTableWriter>(directory_ / (schema.name + ".parquet"), schema, options_,
                                              late_metadata_, std::move(pool));
}

}  // namespace marquee::parquet

#pragma once
// Reads Parquet files of the kind Marquee writes (flat schemas of INT32,
// INT64, DOUBLE, BOOLEAN, STRING and DATE columns; PLAIN and dictionary
// encodings; DataPage v1; UNCOMPRESSED, SNAPPY or ZSTD). Everything else is
// refused with a ParquetError naming the file and the feature. Input is
// untrusted: every offset, length and count is checked before use.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "parquet/error.hpp"
#include "parquet/metadata.hpp"
#include "table/cell.hpp"
#include "table/table_writer.hpp"

namespace marquee::parquet {

class ColumnChunkReader;
class Decompressor;

class ParquetReader {
 public:
  // Cells borrow their strings from the reader's buffers: valid only during
  // the callback that receives them.
  using RowCallback = std::function<void(std::span<const table::Cell>)>;

  // Opens a file and decodes its footer; the table is named after the file stem.
  explicit ParquetReader(const std::filesystem::path& path);
  // Reads a file image held in memory; `name` stands for it in errors and
  // names the table.
  ParquetReader(std::string bytes, std::string name);
  ~ParquetReader();
  ParquetReader(const ParquetReader&) = delete;
  ParquetReader& operator=(const ParquetReader&) = delete;

  const table::Schema& schema() const { return schema_; }
  std::uint64_t num_rows() const { return static_cast<std::uint64_t>(metadata_.num_rows); }
  std::size_t num_row_groups() const { return metadata_.row_groups.size(); }
  const format::FileMetaData& metadata() const { return metadata_; }
  std::string created_by() const { return metadata_.created_by.value_or(""); }
  // The value stored under `key` in the file's key/value metadata.
  std::optional<std::string> key_value(std::string_view key) const;

  // Decodes every row, in file order. Reading row group by row group, it
  // holds one row group's compressed column chunks and one page per column.
  void for_each_row(const RowCallback& callback);
  void read_row_group(std::size_t index, const RowCallback& callback);
  // Writes every row to `writer` (without finishing it).
  void copy_to(table::TableWriter& writer);

  // Random access to the bytes: a file or a memory image (reader.cpp).
  class Source;

 private:
  void open();
  void validate_metadata();
  std::vector<std::unique_ptr<ColumnChunkReader>> open_chunks(std::size_t index, Decompressor& decompressor) const;
  [[noreturn]] void fail(const std::string& what) const;

  std::unique_ptr<Source> source_;
  std::string name_;
  std::string table_name_;
  std::uint64_t footer_start_ = 0;
  format::FileMetaData metadata_;
  table::Schema schema_;
};

}  // namespace marquee::parquet

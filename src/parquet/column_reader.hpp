#pragma once
// Decodes one column chunk page by page. Values are handed out in runs
// that never cross a page boundary, so string cells can borrow from the
// current page (or the chunk's dictionary) without copying.
#include <cstdint>
#include <string>
#include <vector>

#include "parquet/compression.hpp"
#include "parquet/encoding.hpp"
#include "parquet/metadata.hpp"
#include "table/cell.hpp"

namespace marquee::parquet {

class ColumnChunkReader {
 public:
  // Largest page (uncompressed) accepted: guards allocations driven by
  // untrusted headers. Marquee writes pages of about 1 MiB.
  static constexpr std::int64_t kMaxPageBytes = 256ll << 20;
  // Largest dictionary accepted (entries): each costs a Cell in memory, and
  // a compressed page can declare billions of one-bit booleans.
  static constexpr std::int32_t kMaxDictionaryEntries = 1 << 22;

  // `chunk` holds the chunk's bytes (dictionary page, then data pages);
  // `rows` is the row group's row count, which the pages must match.
  ColumnChunkReader(const table::Column& column, const format::ColumnMetaData& meta, std::string chunk,
                    std::int64_t rows, Decompressor& decompressor);

  // Values left in the current data page, loading the next page if the
  // current one is used up. Throws ParquetError if no page remains.
  std::size_t available();
  // Decodes `count` (<= available()) cells into out[0..count).
  void read(std::size_t count, table::Cell* out);
  // Checks that the chunk holds no values beyond the row group's rows.
  void finish();

 private:
  void load_page();
  void load_dictionary(const format::PageHeader& header, std::string_view body);
  void start_data_page(const format::PageHeader& header, std::string_view body);
  std::string_view page_body(const format::PageHeader& header, std::string_view raw, std::string& buffer);
  table::Cell decode_value();
  void end_page();

  const table::Column& column_;
  format::Codec codec_;
  std::string chunk_;
  std::size_t pos_ = 0;
  std::int64_t rows_left_;
  Decompressor& decompressor_;

  std::string dictionary_buffer_;
  std::vector<table::Cell> dictionary_;
  bool has_dictionary_ = false;
  bool seen_data_page_ = false;

  std::string page_buffer_;
  std::int64_t page_left_ = 0;
  format::Encoding page_encoding_ = format::Encoding::Plain;
  RleDecoder definition_levels_;
  RleDecoder indices_;
  PlainDecoder plain_;
};

}  // namespace marquee::parquet

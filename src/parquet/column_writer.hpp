#pragma once
// Builds one column chunk of a row group: data pages (DataPage v1) with
// definition levels for OPTIONAL columns, PLAIN values, or for strings
// RLE_DICTIONARY indices into a dictionary page, falling back to PLAIN for
// the rest of the chunk once the dictionary outgrows its limit.
#include <cstdint>
#include <future>
#include <string>
#include <string_view>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>

#include "common/atomic_file.hpp"
#include "parquet/compression.hpp"
#include "parquet/compression_pool.hpp"
#include "parquet/encoding.hpp"
#include "parquet/metadata.hpp"
#include "parquet/options.hpp"
#include "parquet/statistics.hpp"
#include "table/cell.hpp"

namespace marquee::parquet {

class ColumnWriter {
 public:
  // With a pool, data pages are compressed on its threads; without one, here.
  ColumnWriter(const table::Column& column, const WriterOptions& options, Compressor& compressor,
               CompressionPool* pool = nullptr);
  // The dictionary's functors point at this object's members.
  ColumnWriter(const ColumnWriter&) = delete;
  ColumnWriter& operator=(const ColumnWriter&) = delete;

  // The cell must match the column (TableWriter::write_row checks first).
  void add(const table::Cell& cell);

  // Memory held for the open chunk: finished pages (counted before
  // compression, so that row groups end at the same rows whether or not a
  // pool compresses them), the dictionary and the open page. The table
  // writer ends the row group on their sum.
  std::size_t buffered_bytes() const;

  // Ends the chunk: its last data page and its dictionary page go to be
  // compressed. The table writer seals every column before writing any, so
  // that with a pool these last pages are compressed at once.
  void seal_chunk();

  // Writes the chunk (dictionary page first, then the data pages) to `file`
  // and returns its metadata with absolute offsets; then starts a new chunk.
  // Seals it first if need be.
  format::ColumnMetaData write_chunk(AtomicFile& file);

 private:
  // The dictionary indexes its values by their offset in dictionary_plain_
  // (where each is stored once anyway, as 4-byte length + bytes), and is
  // searched by string_view: no string per entry, no node per entry.
  struct DictionaryHash {
    using is_transparent = void;
    const std::string* plain;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    std::size_t operator()(std::uint32_t offset) const { return (*this)(dictionary_value(*plain, offset)); }
  };
  struct DictionaryEqual {
    using is_transparent = void;
    const std::string* plain;
    bool operator()(std::uint32_t a, std::uint32_t b) const { return a == b; }
    bool operator()(std::string_view s, std::uint32_t offset) const { return s == dictionary_value(*plain, offset); }
    bool operator()(std::uint32_t offset, std::string_view s) const { return s == dictionary_value(*plain, offset); }
  };
  static std::string_view dictionary_value(const std::string& plain, std::uint32_t offset);

  void add_string(std::string_view value);
  bool page_full() const;
  void flush_page();
  void fall_back_to_plain();
  // Collects the chunk's data pages, in order, into data_pages_.
  void gather_pages();
  void reset_chunk();

  const table::Column& column_;
  const WriterOptions& options_;
  Compressor& compressor_;
  CompressionPool* pool_;

  // The open page.
  RleEncoder definition_levels_{1};
  std::string plain_values_;
  BoolPacker bools_;
  std::vector<std::uint32_t> dictionary_indices_;
  std::size_t page_values_ = 0;
  std::size_t page_non_null_ = 0;
  std::size_t page_plain_bytes_ = 0;  // the page's dictionary-encoded values, were they PLAIN

  // The open chunk.
  bool dictionary_mode_ = false;
  std::string dictionary_plain_;  // the dictionary page body, PLAIN-encoded
  // Offset in dictionary_plain_ -> dictionary index.
  boost::unordered_flat_map<std::uint32_t, std::uint32_t, DictionaryHash, DictionaryEqual> dictionary_{
      0, DictionaryHash{&dictionary_plain_}, DictionaryEqual{&dictionary_plain_}};
  bool sealed_ = false;
  std::future<EncodedPage> dictionary_page_;             // once sealed, if any
  std::vector<std::future<EncodedPage>> pending_pages_;  // in the pool, in order
  // Headers + compressed bodies, in order, page by page: one string for the
  // chunk would grow by copying, up to twice the chunk at its peak.
  std::vector<std::string> data_pages_;
  std::size_t data_pages_bytes_ = 0;
  std::size_t page_bytes_ = 0;    // the chunk's data pages before compression
  std::int64_t chunk_values_ = 0;
  std::int64_t uncompressed_bytes_ = 0;  // data pages, headers included
  std::int32_t dictionary_data_pages_ = 0;
  std::int32_t plain_data_pages_ = 0;
  ColumnStatistics statistics_;

  std::string body_;  // the page being flushed
};

}  // namespace marquee::parquet

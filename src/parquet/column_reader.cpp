#include "parquet/column_reader.hpp"

#include <zlib.h>

#include "common/utf8.hpp"
#include "parquet/error.hpp"
#include "parquet/schema_mapping.hpp"

namespace marquee::parquet {

using format::Encoding;

namespace {

std::uint32_t load_le32(std::string_view bytes) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << (8 * i);
  return v;
}

std::span<const std::uint8_t> as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

}  // namespace

ColumnChunkReader::ColumnChunkReader(const table::Column& column, const format::ColumnMetaData& meta,
                                     std::string chunk, std::int64_t rows, Decompressor& decompressor)
    : column_(column), codec_(meta.codec), chunk_(std::move(chunk)), rows_left_(rows), decompressor_(decompressor) {
  const std::string prefix = "column '" + column.name + "': ";
  if (!codec_supported(codec_)) {
    throw ParquetError(prefix + "unsupported compression codec " + std::string(format::codec_name(codec_)) + " (" +
                       std::to_string(static_cast<int>(codec_)) + ")");
  }
  if (meta.type != physical_type_of(column.type)) {
    throw ParquetError(prefix + "column chunk type " + std::string(format::physical_type_name(meta.type)) +
                       " differs from the schema");
  }
  if (meta.num_values != rows) {
    throw ParquetError(prefix + "value count mismatch: column chunk has " + std::to_string(meta.num_values) +
                       " values, row group has " + std::to_string(rows) + " rows");
  }
}

std::size_t ColumnChunkReader::available() {
  try {
    while (page_left_ == 0) load_page();
  } catch (const ParquetError& e) {
    throw ParquetError("column '" + column_.name + "': " + e.what());
  }
  return static_cast<std::size_t>(page_left_);
}

std::string_view ColumnChunkReader::page_body(const format::PageHeader& header, std::string_view raw,
                                              std::string& buffer) {
  if (codec_ == format::Codec::Uncompressed) {
    if (raw.size() != static_cast<std::size_t>(header.uncompressed_page_size)) {
      throw ParquetError("uncompressed page size " + std::to_string(header.uncompressed_page_size) +
                         " differs from its stored size " + std::to_string(raw.size()));
    }
    return raw;  // borrowed from chunk_, which outlives every cell
  }
  decompressor_.decompress(codec_, raw, static_cast<std::size_t>(header.uncompressed_page_size), buffer);
  return buffer;
}

void ColumnChunkReader::load_page() {
  if (pos_ >= chunk_.size()) {
    throw ParquetError("value count mismatch: pages end with " + std::to_string(rows_left_) + " rows left");
  }
  std::size_t header_size = 0;
  const format::PageHeader header = format::parse_page_header(std::string_view(chunk_).substr(pos_), header_size);
  pos_ += header_size;
  if (header.compressed_page_size < 0 ||
      static_cast<std::size_t>(header.compressed_page_size) > chunk_.size() - pos_) {
    throw ParquetError("page of " + std::to_string(header.compressed_page_size) +
                       " bytes extends past the end of the column chunk");
  }
  if (header.uncompressed_page_size < 0 || header.uncompressed_page_size > kMaxPageBytes) {
    throw ParquetError("page size " + std::to_string(header.uncompressed_page_size) + " out of range");
  }
  const std::string_view raw = std::string_view(chunk_).substr(pos_, static_cast<std::size_t>(header.compressed_page_size));
  pos_ += raw.size();
  if (header.crc) {
    const uLong crc = crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(raw.data()), static_cast<uInt>(raw.size()));
    if (static_cast<std::uint32_t>(crc) != static_cast<std::uint32_t>(*header.crc)) {
      throw ParquetError("page checksum mismatch (corrupt page)");
    }
  }
  switch (header.type) {
    case format::PageType::DictionaryPage:
      if (!header.dictionary_page_header) throw ParquetError("dictionary page without its header");
      if (has_dictionary_ || seen_data_page_) throw ParquetError("dictionary page is not the chunk's first page");
      load_dictionary(header, page_body(header, raw, dictionary_buffer_));
      return;
    case format::PageType::DataPage:
      if (!header.data_page_header) throw ParquetError("data page without its header");
      start_data_page(header, page_body(header, raw, page_buffer_));
      return;
    case format::PageType::DataPageV2: throw ParquetError("unsupported page type DATA_PAGE_V2");
    case format::PageType::IndexPage: return;  // carries nothing Marquee uses
  }
  throw ParquetError("unknown page type " + std::to_string(static_cast<int>(header.type)));
}

void ColumnChunkReader::load_dictionary(const format::PageHeader& header, std::string_view body) {
  const format::DictionaryPageHeader& d = *header.dictionary_page_header;
  if (d.encoding != Encoding::Plain && d.encoding != Encoding::PlainDictionary) {
    throw ParquetError("unsupported dictionary encoding " + std::string(format::encoding_name(d.encoding)));
  }
  if (d.num_values < 0 || d.num_values > kMaxDictionaryEntries) {
    throw ParquetError("dictionary size " + std::to_string(d.num_values) + " out of range");
  }
  plain_ = PlainDecoder(as_bytes(body));
  page_encoding_ = Encoding::Plain;
  dictionary_.clear();
  for (std::int32_t i = 0; i < d.num_values; ++i) dictionary_.push_back(decode_value());
  has_dictionary_ = true;
}

void ColumnChunkReader::start_data_page(const format::PageHeader& header, std::string_view body) {
  const format::DataPageHeader& d = *header.data_page_header;
  if (d.num_values < 0 || d.num_values > rows_left_) {
    throw ParquetError("value count mismatch: page has " + std::to_string(d.num_values) + " values, " +
                       std::to_string(rows_left_) + " rows left");
  }
  seen_data_page_ = true;
  if (column_.nullable) {
    if (d.definition_level_encoding != Encoding::Rle) {
      throw ParquetError("unsupported definition level encoding " +
                         std::string(format::encoding_name(d.definition_level_encoding)));
    }
    if (body.size() < 4) throw ParquetError("definition levels truncated");
    const std::uint32_t length = load_le32(body);
    if (length > body.size() - 4) throw ParquetError("definition levels extend past the page");
    definition_levels_ = RleDecoder(as_bytes(body.substr(4, length)), 1);
    body.remove_prefix(4 + length);
  }
  switch (d.encoding) {
    case Encoding::Plain: plain_ = PlainDecoder(as_bytes(body)); break;
    case Encoding::PlainDictionary:
    case Encoding::RleDictionary:
      if (!has_dictionary_) throw ParquetError("dictionary-encoded page without a dictionary page");
      if (body.empty()) {
        indices_ = RleDecoder({}, 0);  // fails on the first value read, if any
      } else {
        indices_ = RleDecoder(as_bytes(body.substr(1)), static_cast<unsigned char>(body[0]));
      }
      break;
    case Encoding::Rle: {
      if (column_.type != table::Type::Bool) throw ParquetError("RLE value encoding on a non-boolean column");
      if (body.size() < 4) throw ParquetError("RLE boolean values truncated");
      const std::uint32_t length = load_le32(body);
      if (length > body.size() - 4) throw ParquetError("RLE boolean values extend past the page");
      indices_ = RleDecoder(as_bytes(body.substr(4, length)), 1);
      break;
    }
    default: throw ParquetError("unsupported encoding " + std::string(format::encoding_name(d.encoding)));
  }
  page_encoding_ = d.encoding;
  page_left_ = d.num_values;
}

table::Cell ColumnChunkReader::decode_value() {
  switch (page_encoding_) {
    case Encoding::PlainDictionary:
    case Encoding::RleDictionary: {
      const std::uint32_t index = indices_.next();
      if (index >= dictionary_.size()) {
        throw ParquetError("dictionary index " + std::to_string(index) + " out of range (dictionary has " +
                           std::to_string(dictionary_.size()) + " entries)");
      }
      return dictionary_[index];
    }
    case Encoding::Rle: return indices_.next() != 0;
    default: break;
  }
  switch (column_.type) {
    case table::Type::Int32:
    case table::Type::Date: return plain_.next_i32();
    case table::Type::Int64: return plain_.next_i64();
    case table::Type::Double: return plain_.next_double();
    case table::Type::Bool: return plain_.next_bool();
    case table::Type::String: {
      const std::string_view value = plain_.next_byte_array();
      if (!utf8::is_valid(value)) throw ParquetError("invalid UTF-8 in a STRING value");
      return value;
    }
  }
  return table::Null{};
}

void ColumnChunkReader::read(std::size_t count, table::Cell* out) {
  try {
    for (std::size_t i = 0; i < count; ++i) {
      const bool defined = !column_.nullable || definition_levels_.next() == 1;
      out[i] = defined ? decode_value() : table::Cell(table::Null{});
    }
    page_left_ -= static_cast<std::int64_t>(count);
    rows_left_ -= static_cast<std::int64_t>(count);
    if (page_left_ == 0) end_page();
  } catch (const ParquetError& e) {
    throw ParquetError("column '" + column_.name + "': " + e.what());
  }
}

void ColumnChunkReader::end_page() {
  if (page_encoding_ == Encoding::Plain && plain_.remaining() != 0) {
    throw ParquetError("data page has " + std::to_string(plain_.remaining()) + " bytes after its values");
  }
}

void ColumnChunkReader::finish() {
  try {
    // Only an index page or an empty dictionary-only chunk may remain.
    while (pos_ < chunk_.size()) load_page();
    if (page_left_ != 0 || rows_left_ != 0) throw ParquetError("value count mismatch at end of column chunk");
  } catch (const ParquetError& e) {
    throw ParquetError("column '" + column_.name + "': " + e.what());
  }
}

}  // namespace marquee::parquet

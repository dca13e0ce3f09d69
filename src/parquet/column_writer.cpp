#include "parquet/column_writer.hpp"

#include <algorithm>

#include "parquet/schema_mapping.hpp"

namespace marquee::parquet {

using format::Encoding;

ColumnWriter::ColumnWriter(const table::Column& column, const WriterOptions& options, Compressor& compressor,
                           CompressionPool* pool)
    : column_(column), options_(options), compressor_(compressor), pool_(pool), statistics_(column.type) {
  reset_chunk();
}

std::string_view ColumnWriter::dictionary_value(const std::string& plain, std::uint32_t offset) {
  const auto* p = reinterpret_cast<const unsigned char*>(plain.data() + offset);
  const std::uint32_t size = p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
  return {plain.data() + offset + 4, size};
}

void ColumnWriter::reset_chunk() {
  dictionary_mode_ = column_.type == table::Type::String;
  dictionary_.clear();
  dictionary_plain_.clear();
  sealed_ = false;
  pending_pages_.clear();
  dictionary_page_ = {};
  data_pages_.clear();
  data_pages_bytes_ = 0;
  page_bytes_ = 0;
  chunk_values_ = 0;
  uncompressed_bytes_ = 0;
  dictionary_data_pages_ = 0;
  plain_data_pages_ = 0;
  statistics_.reset();
}

void ColumnWriter::add(const table::Cell& cell) {
  // By the cell's alternative, which check_row has matched to the column's
  // type: one dispatch per value.
  switch (cell.index()) {
    case 0:  // Null
      definition_levels_.put(0);
      statistics_.add_null();
      break;
    case 1: {  // Int32, Date
      const std::int32_t v = *std::get_if<std::int32_t>(&cell);
      append_plain_i32(plain_values_, v);
      statistics_.add(static_cast<std::int64_t>(v));
      break;
    }
    case 2: {
      const std::int64_t v = *std::get_if<std::int64_t>(&cell);
      append_plain_i64(plain_values_, v);
      statistics_.add(v);
      break;
    }
    case 3: {
      const double v = *std::get_if<double>(&cell);
      append_plain_double(plain_values_, v);
      statistics_.add(v);
      break;
    }
    case 4: {
      const bool v = *std::get_if<bool>(&cell);
      bools_.put(v);
      statistics_.add(v);
      break;
    }
    default: add_string(*std::get_if<std::string_view>(&cell)); break;
  }
  if (cell.index() != 0) {
    // After add_string: a dictionary fallback flushes the page before this value.
    if (column_.nullable) definition_levels_.put(1);
    ++page_non_null_;
  }
  ++page_values_;
  ++chunk_values_;
  if (page_full()) flush_page();
}

void ColumnWriter::add_string(std::string_view value) {
  if (dictionary_mode_) {
    page_plain_bytes_ += 4 + value.size();
    if (auto it = dictionary_.find(value); it != dictionary_.end()) {
      dictionary_indices_.push_back(it->second);
      return;
    }
    // Offsets into the dictionary are 32-bit.
    const std::size_t limit = std::min<std::size_t>(options_.dictionary_max_bytes, UINT32_MAX);
    if (dictionary_plain_.size() + 4 + value.size() <= limit &&
        dictionary_.size() < options_.dictionary_max_entries) {
      const auto id = static_cast<std::uint32_t>(dictionary_.size());
      const auto offset = static_cast<std::uint32_t>(dictionary_plain_.size());
      append_plain_byte_array(dictionary_plain_, value);
      dictionary_.emplace(offset, id);
      dictionary_indices_.push_back(id);
      statistics_.add(value);  // a repeated value cannot move min or max
      return;
    }
    fall_back_to_plain();
  }
  append_plain_byte_array(plain_values_, value);
  statistics_.add(value);
}

void ColumnWriter::fall_back_to_plain() {
  flush_page();
  dictionary_mode_ = false;
}

bool ColumnWriter::page_full() const {
  if (page_values_ >= options_.page_max_rows) return true;
  const std::size_t values_bytes =
      plain_values_.size() + bools_.size_bytes() + dictionary_indices_.size() * sizeof(std::uint32_t);
  return values_bytes + definition_levels_.estimated_size() >= options_.page_max_bytes;
}

std::size_t ColumnWriter::buffered_bytes() const {
  return page_bytes_ + dictionary_plain_.size() + plain_values_.size() + bools_.size_bytes() +
         dictionary_indices_.size() * sizeof(std::uint32_t) + definition_levels_.estimated_size();
}

namespace {

void append_le32(std::string& out, std::uint32_t v) {
  const char bytes[4] = {static_cast<char>(v), static_cast<char>(v >> 8), static_cast<char>(v >> 16),
                         static_cast<char>(v >> 24)};
  out.append(bytes, 4);
}

}  // namespace

void ColumnWriter::flush_page() {
  if (page_values_ == 0) return;
  body_.clear();
  if (column_.nullable) {
    // DataPage v1 definition levels: 4-byte length, then the RLE/bit-packed runs.
    const std::size_t length_at = body_.size();
    append_le32(body_, 0);
    definition_levels_.flush_to(body_);
    const auto length = static_cast<std::uint32_t>(body_.size() - length_at - 4);
    for (int i = 0; i < 4; ++i) body_[length_at + i] = static_cast<char>(length >> (8 * i));
  }
  // A page without values is PLAIN (empty): it needs no dictionary.
  const bool dictionary_page = dictionary_mode_ && page_non_null_ > 0;
  if (dictionary_page) {
    const int width = std::max(1, bit_width(static_cast<std::uint32_t>(dictionary_.size() - 1)));
    body_.push_back(static_cast<char>(width));
    RleEncoder indices(width);
    for (std::uint32_t index : dictionary_indices_) indices.put(index);
    indices.flush_to(body_);
  } else {
    body_.append(plain_values_);
    bools_.flush_to(body_);
  }

  format::PageHeader header;
  header.type = format::PageType::DataPage;
  format::DataPageHeader& data = header.data_page_header.emplace();
  data.num_values = static_cast<std::int32_t>(page_values_);
  data.encoding = dictionary_page ? Encoding::RleDictionary : Encoding::Plain;
  data.definition_level_encoding = Encoding::Rle;
  data.repetition_level_encoding = Encoding::Rle;
  page_bytes_ += body_.size();
  if (pool_ != nullptr) {
    pending_pages_.push_back(pool_->submit(std::move(header), std::move(body_)));
    body_ = std::string();
  } else {
    EncodedPage page = encode_page(compressor_, std::move(header), body_, options_.page_checksums);
    uncompressed_bytes_ += static_cast<std::int64_t>(page.uncompressed_size);
    data_pages_bytes_ += page.bytes.size();
    data_pages_.push_back(std::move(page.bytes));
  }
  // Like parquet-mr: when the chunk's first page shows the dictionary saving
  // nothing (nearly every value distinct: ids, titles, overviews), the rest
  // of the chunk is PLAIN, rather than hashing values into a dictionary
  // until it reaches its size limit.
  if (dictionary_page && dictionary_data_pages_ == 0 &&
      dictionary_plain_.size() + dictionary_indices_.size() >= page_plain_bytes_) {
    dictionary_mode_ = false;
  }
  (dictionary_page ? dictionary_data_pages_ : plain_data_pages_) += 1;

  plain_values_.clear();
  dictionary_indices_.clear();
  page_plain_bytes_ = 0;
  page_values_ = 0;
  page_non_null_ = 0;
}

void ColumnWriter::gather_pages() {
  for (std::future<EncodedPage>& pending : pending_pages_) {
    EncodedPage page = pending.get();  // rethrows a compression error
    uncompressed_bytes_ += static_cast<std::int64_t>(page.uncompressed_size);
    data_pages_bytes_ += page.bytes.size();
    data_pages_.push_back(std::move(page.bytes));
  }
  pending_pages_.clear();
}

void ColumnWriter::seal_chunk() {
  if (sealed_) return;
  flush_page();
  if (!dictionary_.empty()) {
    format::PageHeader header;
    header.type = format::PageType::DictionaryPage;
    header.dictionary_page_header.emplace().num_values = static_cast<std::int32_t>(dictionary_.size());
    if (pool_ != nullptr) {
      dictionary_page_ = pool_->submit(std::move(header), dictionary_plain_);
    } else {
      std::promise<EncodedPage> page;
      page.set_value(encode_page(compressor_, std::move(header), dictionary_plain_, options_.page_checksums));
      dictionary_page_ = page.get_future();
    }
  }
  sealed_ = true;
}

format::ColumnMetaData ColumnWriter::write_chunk(AtomicFile& file) {
  seal_chunk();
  gather_pages();
  format::ColumnMetaData meta;
  meta.type = physical_type_of(column_.type);
  meta.path_in_schema = {column_.name};
  meta.codec = codec_of(compressor_.compression());
  meta.num_values = chunk_values_;

  const auto start = static_cast<std::int64_t>(file.bytes_written());
  std::int64_t uncompressed = uncompressed_bytes_;
  std::int64_t compressed = static_cast<std::int64_t>(data_pages_bytes_);
  if (!dictionary_.empty()) {
    const EncodedPage page = dictionary_page_.get();
    file.write(page.bytes);
    uncompressed += static_cast<std::int64_t>(page.uncompressed_size);
    compressed += static_cast<std::int64_t>(page.bytes.size());
    meta.dictionary_page_offset = start;
    meta.encoding_stats.push_back({format::PageType::DictionaryPage, Encoding::Plain, 1});
  }
  meta.data_page_offset = static_cast<std::int64_t>(file.bytes_written());
  for (const std::string& page : data_pages_) file.write(page);
  meta.total_uncompressed_size = uncompressed;
  meta.total_compressed_size = compressed;

  // Levels are RLE whenever any page exists; values PLAIN and/or dictionary.
  if (!dictionary_.empty() || plain_data_pages_ > 0) meta.encodings.push_back(Encoding::Plain);
  meta.encodings.push_back(Encoding::Rle);
  if (dictionary_data_pages_ > 0) meta.encodings.push_back(Encoding::RleDictionary);
  if (dictionary_data_pages_ > 0) {
    meta.encoding_stats.push_back({format::PageType::DataPage, Encoding::RleDictionary, dictionary_data_pages_});
  }
  if (plain_data_pages_ > 0) {
    meta.encoding_stats.push_back({format::PageType::DataPage, Encoding::Plain, plain_data_pages_});
  }
  meta.statistics = statistics_.to_thrift(options_.statistics_max_bytes);
  reset_chunk();
  return meta;
}

}  // namespace marquee::parquet

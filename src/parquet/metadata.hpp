#pragma once
// The parts of parquet.thrift (apache/parquet-format) that Marquee writes and
// reads: FileMetaData and the structs under it, and page headers. Enum fields
// keep the raw number from the file, so a value this code does not know
// survives decoding and is refused, by name, where it matters.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace marquee::parquet::format {

enum class PhysicalType : std::int32_t {
  Boolean = 0, Int32 = 1, Int64 = 2, Int96 = 3, Float = 4, Double = 5, ByteArray = 6, FixedLenByteArray = 7,
};
enum class Repetition : std::int32_t { Required = 0, Optional = 1, Repeated = 2 };
enum class Encoding : std::int32_t {
  Plain = 0, PlainDictionary = 2, Rle = 3, BitPacked = 4, DeltaBinaryPacked = 5,
  DeltaLengthByteArray = 6, DeltaByteArray = 7, RleDictionary = 8, ByteStreamSplit = 9,
};
enum class Codec : std::int32_t {
  Uncompressed = 0, Snappy = 1, Gzip = 2, Lzo = 3, Brotli = 4, Lz4 = 5, Zstd = 6, Lz4Raw = 7,
};
enum class PageType : std::int32_t { DataPage = 0, IndexPage = 1, DictionaryPage = 2, DataPageV2 = 3 };

// ConvertedType values Marquee writes or accepts.
inline constexpr std::int32_t kConvertedUtf8 = 0;
inline constexpr std::int32_t kConvertedDate = 6;
inline constexpr std::int32_t kConvertedInt32 = 17;
inline constexpr std::int32_t kConvertedInt64 = 18;

// LogicalType is a union; `kind` is the id of the member that is set.
struct LogicalType {
  static constexpr std::int16_t kString = 1;
  static constexpr std::int16_t kDate = 6;
  static constexpr std::int16_t kInteger = 10;
  std::int16_t kind = 0;
  std::int8_t integer_bit_width = 0;  // for kInteger
  bool integer_signed = false;        // for kInteger
};

std::string_view physical_type_name(PhysicalType type);
std::string_view encoding_name(Encoding encoding);
std::string_view codec_name(Codec codec);

struct Statistics {
  std::optional<std::string> max_deprecated;  // field 1
  std::optional<std::string> min_deprecated;  // field 2
  std::optional<std::int64_t> null_count;
  std::optional<std::int64_t> distinct_count;
  std::optional<std::string> max_value;
  std::optional<std::string> min_value;
  std::optional<bool> is_max_value_exact;
  std::optional<bool> is_min_value_exact;
  std::optional<std::int64_t> nan_count;
};

struct SchemaElement {
  std::optional<PhysicalType> type;
  std::optional<std::int32_t> type_length;
  std::optional<Repetition> repetition;
  std::string name;
  std::optional<std::int32_t> num_children;
  std::optional<std::int32_t> converted_type;
  std::optional<std::int32_t> scale;
  std::optional<std::int32_t> precision;
  std::optional<std::int32_t> field_id;
  std::optional<LogicalType> logical_type;
};

struct KeyValue {
  std::string key;
  std::optional<std::string> value;
};

struct PageEncodingStats {
  PageType page_type = PageType::DataPage;
  Encoding encoding = Encoding::Plain;
  std::int32_t count = 0;
};

struct ColumnMetaData {
  PhysicalType type = PhysicalType::Boolean;
  std::vector<Encoding> encodings;
  std::vector<std::string> path_in_schema;
  Codec codec = Codec::Uncompressed;
  std::int64_t num_values = 0;
  std::int64_t total_uncompressed_size = 0;
  std::int64_t total_compressed_size = 0;
  std::vector<KeyValue> key_value_metadata;
  std::int64_t data_page_offset = 0;
  std::optional<std::int64_t> index_page_offset;
  std::optional<std::int64_t> dictionary_page_offset;
  std::optional<Statistics> statistics;
  std::vector<PageEncodingStats> encoding_stats;
};

struct ColumnChunk {
  std::optional<std::string> file_path;
  std::int64_t file_offset = 0;
  std::optional<ColumnMetaData> meta_data;
  bool encrypted = false;  // crypto_metadata or encrypted_column_metadata present
};

struct RowGroup {
  std::vector<ColumnChunk> columns;
  std::int64_t total_byte_size = 0;
  std::int64_t num_rows = 0;
  std::optional<std::int64_t> file_offset;
  std::optional<std::int64_t> total_compressed_size;
  std::optional<std::int16_t> ordinal;
};

// ColumnOrder is a union; 1 = TYPE_ORDER, the only one Marquee writes.
inline constexpr std::int16_t kTypeDefinedOrder = 1;

struct FileMetaData {
  std::int32_t version = 1;
  std::vector<SchemaElement> schema;
  std::int64_t num_rows = 0;
  std::vector<RowGroup> row_groups;
  std::vector<KeyValue> key_value_metadata;
  std::optional<std::string> created_by;
  std::vector<std::int16_t> column_orders;
  bool encrypted = false;  // encryption_algorithm present
};

struct DataPageHeader {
  std::int32_t num_values = 0;
  Encoding encoding = Encoding::Plain;
  Encoding definition_level_encoding = Encoding::Rle;
  Encoding repetition_level_encoding = Encoding::Rle;
  std::optional<Statistics> statistics;
};

struct DictionaryPageHeader {
  std::int32_t num_values = 0;
  Encoding encoding = Encoding::Plain;
  std::optional<bool> is_sorted;
};

struct DataPageHeaderV2 {
  std::int32_t num_values = 0;
  std::int32_t num_nulls = 0;
  std::int32_t num_rows = 0;
  Encoding encoding = Encoding::Plain;
  std::int32_t definition_levels_byte_length = 0;
  std::int32_t repetition_levels_byte_length = 0;
  bool is_compressed = true;
};

struct PageHeader {
  PageType type = PageType::DataPage;
  std::int32_t uncompressed_page_size = 0;
  std::int32_t compressed_page_size = 0;
  std::optional<std::int32_t> crc;
  std::optional<DataPageHeader> data_page_header;
  std::optional<DictionaryPageHeader> dictionary_page_header;
  std::optional<DataPageHeaderV2> data_page_header_v2;
};

// Upper bounds applied while decoding untrusted metadata, beyond the
// structural ones (no length or count past the end of the buffer).
struct MetadataLimits {
  std::size_t max_schema_elements = 100'000;
  std::size_t max_row_groups = 1'000'000;
  std::size_t max_column_chunks = 2'000'000;  // summed over all row groups
  std::size_t max_key_values = 100'000;
  std::size_t max_string_bytes = 64u << 20;
};

std::string serialize_file_metadata(const FileMetaData& metadata);
void append_page_header(std::string& out, const PageHeader& header);

// Throw ParquetError on malformed input or missing required fields.
FileMetaData parse_file_metadata(std::string_view bytes, const MetadataLimits& limits = {});
// Decodes the header at the start of `bytes`; `header_size` receives its length.
PageHeader parse_page_header(std::string_view bytes, std::size_t& header_size);

}  // namespace marquee::parquet::format

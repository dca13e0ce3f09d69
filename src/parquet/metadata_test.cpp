#include "parquet/metadata.hpp"

#include <gtest/gtest.h>

#include "parquet/error.hpp"

namespace marquee::parquet::format {
namespace {

std::string bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values) out.push_back(static_cast<char>(v));
  return out;
}

FileMetaData sample() {
  FileMetaData m;
  m.version = 1;
  SchemaElement root;
  root.name = "movies";
  root.num_children = 2;
  SchemaElement title;
  title.name = "title";
  title.type = PhysicalType::ByteArray;
  title.repetition = Repetition::Optional;
  title.converted_type = kConvertedUtf8;
  title.logical_type = LogicalType{.kind = LogicalType::kString};
  SchemaElement year;
  year.name = "year";
  year.type = PhysicalType::Int32;
  year.repetition = Repetition::Required;
  year.logical_type = LogicalType{.kind = LogicalType::kInteger, .integer_bit_width = 32, .integer_signed = true};
  m.schema = {root, title, year};
  m.num_rows = 1234567890123;
  RowGroup g;
  g.num_rows = 1234567890123;
  g.total_byte_size = 99;
  g.file_offset = 4;
  g.total_compressed_size = 77;
  g.ordinal = 0;
  ColumnChunk c;
  ColumnMetaData& meta = c.meta_data.emplace();
  meta.type = PhysicalType::ByteArray;
  meta.encodings = {Encoding::Plain, Encoding::Rle, Encoding::RleDictionary};
  meta.path_in_schema = {"title"};
  meta.codec = Codec::Zstd;
  meta.num_values = 1234567890123;
  meta.total_uncompressed_size = 500;
  meta.total_compressed_size = 300;
  meta.data_page_offset = 40;
  meta.dictionary_page_offset = 4;
  Statistics& s = meta.statistics.emplace();
  s.null_count = 3;
  s.min_value = "A";
  s.max_value = "\xC3\xA9";
  s.is_min_value_exact = true;
  s.is_max_value_exact = false;
  meta.encoding_stats = {{PageType::DictionaryPage, Encoding::Plain, 1}, {PageType::DataPage, Encoding::RleDictionary, 9}};
  g.columns = {c, c};
  m.row_groups = {g};
  m.key_value_metadata = {{"marquee.run_id", "r1"}, {"no-value", std::nullopt}};
  m.created_by = "marquee version 0.1.0 (build unknown)";
  m.column_orders = {kTypeDefinedOrder, kTypeDefinedOrder};
  return m;
}

TEST(Metadata, FileMetaDataRoundTrips) {
  const FileMetaData in = sample();
  const FileMetaData out = parse_file_metadata(serialize_file_metadata(in));
  EXPECT_EQ(out.version, 1);
  ASSERT_EQ(out.schema.size(), 3u);
  EXPECT_EQ(out.schema[0].name, "movies");
  EXPECT_EQ(out.schema[0].num_children, 2);
  EXPECT_FALSE(out.schema[0].type);
  EXPECT_EQ(out.schema[1].type, PhysicalType::ByteArray);
  EXPECT_EQ(out.schema[1].repetition, Repetition::Optional);
  EXPECT_EQ(out.schema[1].converted_type, kConvertedUtf8);
  EXPECT_EQ(out.schema[1].logical_type->kind, LogicalType::kString);
  EXPECT_EQ(out.schema[2].logical_type->kind, LogicalType::kInteger);
  EXPECT_EQ(out.schema[2].logical_type->integer_bit_width, 32);
  EXPECT_TRUE(out.schema[2].logical_type->integer_signed);
  EXPECT_EQ(out.num_rows, 1234567890123);
  ASSERT_EQ(out.row_groups.size(), 1u);
  const RowGroup& g = out.row_groups[0];
  EXPECT_EQ(g.total_byte_size, 99);
  EXPECT_EQ(g.file_offset, 4);
  EXPECT_EQ(g.total_compressed_size, 77);
  EXPECT_EQ(g.ordinal, 0);
  ASSERT_EQ(g.columns.size(), 2u);
  const ColumnMetaData& meta = *g.columns[1].meta_data;
  EXPECT_EQ(meta.encodings, (std::vector<Encoding>{Encoding::Plain, Encoding::Rle, Encoding::RleDictionary}));
  EXPECT_EQ(meta.path_in_schema, std::vector<std::string>{"title"});
  EXPECT_EQ(meta.codec, Codec::Zstd);
  EXPECT_EQ(meta.num_values, 1234567890123);
  EXPECT_EQ(meta.data_page_offset, 40);
  EXPECT_EQ(meta.dictionary_page_offset, 4);
  EXPECT_EQ(meta.statistics->null_count, 3);
  EXPECT_EQ(meta.statistics->min_value, "A");
  EXPECT_EQ(meta.statistics->max_value, "\xC3\xA9");
  EXPECT_EQ(meta.statistics->is_max_value_exact, false);
  ASSERT_EQ(meta.encoding_stats.size(), 2u);
  EXPECT_EQ(meta.encoding_stats[1].count, 9);
  ASSERT_EQ(out.key_value_metadata.size(), 2u);
  EXPECT_EQ(out.key_value_metadata[0].value, "r1");
  EXPECT_FALSE(out.key_value_metadata[1].value);
  EXPECT_EQ(out.created_by, "marquee version 0.1.0 (build unknown)");
  EXPECT_EQ(out.column_orders, (std::vector<std::int16_t>{1, 1}));
}

TEST(Metadata, DataPageHeaderBytesByHand) {
  PageHeader h;
  h.type = PageType::DataPage;
  h.uncompressed_page_size = 8;
  h.compressed_page_size = 8;
  h.data_page_header.emplace();
  h.data_page_header->num_values = 2;
  h.data_page_header->encoding = Encoding::Plain;
  std::string out;
  append_page_header(out, h);
  // type 0, sizes 8 and 8 (zigzag 16), then struct field 5 (delta 2): num_values 2,
  // encoding 0, levels RLE (3 -> zigzag 6), stop, stop.
  EXPECT_EQ(out, bytes({0x15, 0x00, 0x15, 0x10, 0x15, 0x10, 0x2C, 0x15, 0x04, 0x15, 0x00, 0x15, 0x06, 0x15, 0x06,
                        0x00, 0x00}));
  std::size_t size = 0;
  const PageHeader back = parse_page_header(out + "trailing page data", size);
  EXPECT_EQ(size, out.size());
  EXPECT_EQ(back.uncompressed_page_size, 8);
  EXPECT_EQ(back.data_page_header->num_values, 2);
  EXPECT_EQ(back.data_page_header->definition_level_encoding, Encoding::Rle);
}

TEST(Metadata, DictionaryAndV2PageHeadersRoundTrip) {
  PageHeader h;
  h.type = PageType::DictionaryPage;
  h.uncompressed_page_size = 100;
  h.compressed_page_size = 50;
  h.crc = -5;
  h.dictionary_page_header.emplace().num_values = 7;
  std::string out;
  append_page_header(out, h);
  std::size_t size = 0;
  PageHeader back = parse_page_header(out, size);
  EXPECT_EQ(back.crc, -5);
  EXPECT_EQ(back.dictionary_page_header->num_values, 7);

  PageHeader v2;
  v2.type = PageType::DataPageV2;
  DataPageHeaderV2& d = v2.data_page_header_v2.emplace();
  d.num_values = 3;
  d.num_nulls = 1;
  d.num_rows = 3;
  d.is_compressed = false;
  out.clear();
  append_page_header(out, v2);
  back = parse_page_header(out, size);
  EXPECT_EQ(back.data_page_header_v2->num_nulls, 1);
  EXPECT_FALSE(back.data_page_header_v2->is_compressed);
}

TEST(Metadata, MissingRequiredFieldsAreErrors) {
  // A FileMetaData with only version.
  EXPECT_THROW(parse_file_metadata(bytes({0x15, 0x02, 0x00})), ParquetError);
  // A page header without sizes.
  std::size_t size = 0;
  EXPECT_THROW(parse_page_header(bytes({0x15, 0x00, 0x00}), size), ParquetError);
  // Wrong wire type for version (binary instead of i32).
  EXPECT_THROW(parse_file_metadata(bytes({0x18, 0x00, 0x00})), ParquetError);
}

TEST(Metadata, EveryTruncationIsAnError) {
  const std::string full = serialize_file_metadata(sample());
  for (std::size_t length = 0; length < full.size(); ++length) {
    EXPECT_THROW(parse_file_metadata(std::string_view(full).substr(0, length)), ParquetError) << length;
  }
}

TEST(Metadata, ListsLongerThanTheirLimitAreRefused) {
  FileMetaData m = sample();
  m.key_value_metadata.assign(20, {"k", "v"});
  MetadataLimits limits;
  limits.max_key_values = 10;
  EXPECT_THROW(parse_file_metadata(serialize_file_metadata(m), limits), ParquetError);
}

}  // namespace
}  // namespace marquee::parquet::format

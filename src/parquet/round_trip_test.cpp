// Writer -> reader round trips, and the layout of what the writer puts on
// disk (checked against the format spec, not against the reader alone).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "parquet/metadata.hpp"
#include "parquet/reader.hpp"
#include "parquet/test_util.hpp"
#include "parquet/writer.hpp"
#include "table/cell.hpp"

namespace marquee::parquet {
namespace {

using table::Null;
using table::OwnedCell;
using table::OwnedRow;
using table::Type;
using testing::read_rows;
using testing::TempDir;
using testing::write_parquet;

table::Schema all_types_schema(bool nullable) {
  return {"all_types",
          {{"i32", Type::Int32, nullable},
           {"i64", Type::Int64, nullable},
           {"dbl", Type::Double, nullable},
           {"flag", Type::Bool, nullable},
           {"name", Type::String, nullable},
           {"day", Type::Date, nullable}}};
}

std::vector<OwnedRow> all_types_rows(bool with_nulls) {
  std::vector<OwnedRow> rows = {
      {std::int32_t{1}, std::int64_t{10}, 1.5, true, std::string("Drama"), table::days_from_civil(1995, 10, 30)},
      {std::int32_t{INT32_MIN}, std::int64_t{INT64_MIN}, -0.0, false, std::string(""), std::int32_t{-719162}},
      {std::int32_t{INT32_MAX}, std::int64_t{INT64_MAX}, 1e308, true, std::string("東京物語 😀"), std::int32_t{2932896}},
      {std::int32_t{0}, std::int64_t{-1}, 5e-324, false, std::string("Drama"), std::int32_t{0}},
  };
  if (with_nulls) {
    rows.push_back({Null{}, Null{}, Null{}, Null{}, Null{}, Null{}});
    rows.push_back({std::int32_t{7}, Null{}, 2.25, Null{}, std::string("x,\"y\"\n"), Null{}});
  }
  return rows;
}

void expect_same_rows(const std::vector<OwnedRow>& actual, const std::vector<OwnedRow>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t r = 0; r < actual.size(); ++r) {
    ASSERT_EQ(actual[r].size(), expected[r].size());
    for (std::size_t c = 0; c < actual[r].size(); ++c) {
      EXPECT_TRUE(testing::same_cell(actual[r][c], expected[r][c])) << "row " << r << " column " << c;
    }
  }
}

WriterOptions options_with(Compression compression) {
  WriterOptions o;
  o.compression = compression;
  o.key_value_metadata = marquee_metadata("run-42", std::string(64, 'f'));
  return o;
}

TEST(ParquetRoundTrip, EveryTypeRequiredAndOptionalWithEachCodec) {
  for (Compression codec : {Compression::Zstd, Compression::Snappy, Compression::None}) {
    for (bool nullable : {false, true}) {
      TempDir dir;
      const auto rows = all_types_rows(nullable);
      const auto path = write_parquet(dir.path(), all_types_schema(nullable), rows, options_with(codec));
      EXPECT_EQ(path, dir.path() / "all_types.parquet");
      ParquetReader reader(path);
      EXPECT_EQ(reader.num_rows(), rows.size());
      EXPECT_EQ(reader.schema().name, "all_types");
      ASSERT_EQ(reader.schema().columns.size(), 6u);
      for (std::size_t c = 0; c < 6; ++c) {
        EXPECT_EQ(reader.schema().columns[c].name, all_types_schema(nullable).columns[c].name);
        EXPECT_EQ(reader.schema().columns[c].type, all_types_schema(nullable).columns[c].type);
        EXPECT_EQ(reader.schema().columns[c].nullable, nullable);
      }
      expect_same_rows(read_rows(reader), rows);
      for (const auto& group : reader.metadata().row_groups) {
        for (const auto& chunk : group.columns) EXPECT_EQ(chunk.meta_data->codec, codec_of(codec));
      }
    }
  }
}

TEST(ParquetRoundTrip, FileLayoutFollowsTheSpec) {
  TempDir dir;
  WriterOptions o = options_with(Compression::None);
  o.page_checksums = false;
  const table::Schema schema{"tiny", {{"n", Type::Int32, false}}};
  const auto path = write_parquet(dir.path(), schema, {{std::int32_t{1}}, {std::int32_t{2}}}, o);
  const std::string file = testing::read_bytes(path);
  ASSERT_GT(file.size(), 12u);
  EXPECT_EQ(file.substr(0, 4), "PAR1");
  EXPECT_EQ(file.substr(file.size() - 4), "PAR1");
  // The only page, by hand: header (DATA_PAGE, 8 bytes, 8 bytes, 2 values,
  // PLAIN, levels RLE) then two little-endian INT32s.
  const std::string page("\x15\x00\x15\x10\x15\x10\x2C\x15\x04\x15\x00\x15\x06\x15\x06\x00\x00"
                         "\x01\x00\x00\x00\x02\x00\x00\x00",
                         25);
  EXPECT_EQ(file.substr(4, page.size()), page);
  std::uint32_t footer = 0;
  for (int i = 0; i < 4; ++i) footer |= static_cast<std::uint32_t>(static_cast<unsigned char>(file[file.size() - 8 + i])) << (8 * i);
  EXPECT_EQ(4 + page.size() + footer + 8, file.size());

  const format::FileMetaData m = format::parse_file_metadata(std::string_view(file).substr(4 + page.size(), footer));
  EXPECT_EQ(m.version, 1);
  EXPECT_EQ(m.num_rows, 2);
  ASSERT_EQ(m.schema.size(), 2u);
  EXPECT_EQ(m.schema[1].repetition, format::Repetition::Required);
  const format::ColumnMetaData& c = *m.row_groups.at(0).columns.at(0).meta_data;
  EXPECT_EQ(c.data_page_offset, 4);
  EXPECT_FALSE(c.dictionary_page_offset);
  EXPECT_EQ(c.total_compressed_size, static_cast<std::int64_t>(page.size()));
  EXPECT_EQ(c.total_uncompressed_size, static_cast<std::int64_t>(page.size()));
  EXPECT_EQ(c.num_values, 2);
  EXPECT_EQ(c.codec, format::Codec::Uncompressed);
  EXPECT_EQ(m.column_orders, std::vector<std::int16_t>{format::kTypeDefinedOrder});
}

TEST(ParquetRoundTrip, SchemaAnnotationsForStringsAndDates) {
  TempDir dir;
  const auto path = write_parquet(dir.path(), all_types_schema(true), {}, options_with(Compression::Zstd));
  ParquetReader reader(path);
  const auto& schema = reader.metadata().schema;
  ASSERT_EQ(schema.size(), 7u);
  EXPECT_EQ(schema[0].num_children, 6);
  EXPECT_EQ(schema[5].type, format::PhysicalType::ByteArray);
  EXPECT_EQ(schema[5].logical_type->kind, format::LogicalType::kString);
  EXPECT_EQ(schema[5].converted_type, format::kConvertedUtf8);
  EXPECT_EQ(schema[6].type, format::PhysicalType::Int32);
  EXPECT_EQ(schema[6].logical_type->kind, format::LogicalType::kDate);
  EXPECT_EQ(schema[6].converted_type, format::kConvertedDate);
  EXPECT_EQ(schema[4].type, format::PhysicalType::Boolean);
  EXPECT_EQ(schema[3].type, format::PhysicalType::Double);
  EXPECT_EQ(schema[2].type, format::PhysicalType::Int64);
  for (std::size_t i = 1; i < schema.size(); ++i) EXPECT_EQ(schema[i].repetition, format::Repetition::Optional);
}

TEST(ParquetRoundTrip, MetadataKeysAndCreatedBy) {
  TempDir dir;
  const auto path = write_parquet(dir.path(), all_types_schema(false), all_types_rows(false),
                                  options_with(Compression::Zstd));
  ParquetReader reader(path);
  EXPECT_EQ(reader.key_value("marquee.run_id"), "run-42");
  EXPECT_EQ(reader.key_value("marquee.input_sha256"), std::string(64, 'f'));
  EXPECT_TRUE(reader.key_value("marquee.version"));
  EXPECT_TRUE(reader.key_value("marquee.schema_version"));
  EXPECT_FALSE(reader.key_value("absent"));
  EXPECT_EQ(reader.created_by(), default_created_by());
}

TEST(ParquetRoundTrip, ZeroRowsAndOneRow) {
  TempDir dir;
  auto path = write_parquet(dir.path(), all_types_schema(true), {}, options_with(Compression::Zstd));
  ParquetReader empty(path);
  EXPECT_EQ(empty.num_rows(), 0u);
  EXPECT_EQ(empty.num_row_groups(), 0u);
  EXPECT_TRUE(read_rows(empty).empty());

  const std::vector<OwnedRow> one = {all_types_rows(false)[2]};
  path = write_parquet(dir.path(), all_types_schema(true), one, options_with(Compression::Snappy));
  ParquetReader single(path);
  expect_same_rows(read_rows(single), one);
}

TEST(ParquetRoundTrip, EmptyLongAndNonAsciiStrings) {
  TempDir dir;
  std::string long_string;
  while (long_string.size() < 200'000) long_string += "Ünïcödé 日本語 😀 long text, ";
  const std::vector<OwnedRow> rows = {{std::string("")},
                                      {Null{}},
                                      {long_string},
                                      {std::string("\xF0\x9F\x8E\xAC")},
                                      {std::string("")},
                                      {long_string + "!"}};
  const table::Schema schema{"strings", {{"s", Type::String, true}}};
  for (Compression codec : {Compression::Zstd, Compression::Snappy, Compression::None}) {
    const auto path = write_parquet(dir.path(), schema, rows, options_with(codec));
    ParquetReader reader(path);
    expect_same_rows(read_rows(reader), rows);
    // F0 (the emoji's first byte) sorts above C3 (the long strings' Ü).
    const auto& stats = *reader.metadata().row_groups[0].columns[0].meta_data->statistics;
    EXPECT_EQ(stats.min_value, "");
    EXPECT_EQ(stats.max_value, "\xF0\x9F\x8E\xAC");
    EXPECT_EQ(stats.null_count, 1);
  }
  // Statistics stay short even for 200 KB values.
  const auto path =
      write_parquet(dir.path(), schema, {{long_string}, {long_string + "!"}}, options_with(Compression::Zstd));
  ParquetReader reader(path);
  const auto& stats = *reader.metadata().row_groups[0].columns[0].meta_data->statistics;
  EXPECT_EQ(stats.min_value, long_string.substr(0, WriterOptions{}.statistics_max_bytes));
  EXPECT_LE(stats.max_value->size(), WriterOptions{}.statistics_max_bytes);
  EXPECT_GT(*stats.max_value, long_string + "!");
  EXPECT_EQ(stats.is_min_value_exact, false);
  EXPECT_EQ(stats.is_max_value_exact, false);
}

namespace {

// The pages of one column chunk, in file order.
struct ChunkPages {
  std::vector<std::int32_t> dictionary_sizes;  // num_values of each dictionary page
  std::vector<format::Encoding> data_encodings;
};

ChunkPages walk_chunk(const std::string& file, const format::ColumnMetaData& meta) {
  ChunkPages out;
  const std::int64_t start = meta.dictionary_page_offset.value_or(meta.data_page_offset);
  std::string_view chunk = std::string_view(file).substr(static_cast<std::size_t>(start),
                                                         static_cast<std::size_t>(meta.total_compressed_size));
  while (!chunk.empty()) {
    std::size_t header_size = 0;
    const format::PageHeader h = format::parse_page_header(chunk, header_size);
    if (h.type == format::PageType::DictionaryPage) {
      out.dictionary_sizes.push_back(h.dictionary_page_header->num_values);
    } else {
      out.data_encodings.push_back(h.data_page_header->encoding);
    }
    chunk.remove_prefix(header_size + static_cast<std::size_t>(h.compressed_page_size));
  }
  return out;
}

}  // namespace

TEST(ParquetRoundTrip, SeveralRowGroupsAndManyPages) {
  TempDir dir;
  WriterOptions o = options_with(Compression::Zstd);
  o.row_group_max_rows = 1000;
  o.page_max_rows = 64;
  std::vector<OwnedRow> rows;
  for (int i = 0; i < 3500; ++i) {
    rows.push_back({std::int64_t{i}, i % 5 == 0 ? OwnedCell(Null{}) : OwnedCell(std::string("v") + std::to_string(i % 17))});
  }
  const table::Schema schema{"big", {{"id", Type::Int64, false}, {"tag", Type::String, true}}};
  const auto path = write_parquet(dir.path(), schema, rows, o);
  ParquetReader reader(path);
  EXPECT_EQ(reader.num_row_groups(), 4u);
  EXPECT_EQ(reader.metadata().row_groups[3].num_rows, 500);
  expect_same_rows(read_rows(reader), rows);

  // The first chunk's pages: a dictionary page, then ceil(1000 / 64) = 16 data pages.
  const auto& meta = *reader.metadata().row_groups[0].columns[1].meta_data;
  ASSERT_TRUE(meta.dictionary_page_offset);
  const ChunkPages pages = walk_chunk(testing::read_bytes(path), meta);
  EXPECT_EQ(pages.dictionary_sizes.size(), 1u);
  EXPECT_EQ(pages.data_encodings, std::vector<format::Encoding>(16, format::Encoding::RleDictionary));
  EXPECT_EQ(meta.data_page_offset - *meta.dictionary_page_offset > 0, true);
}

TEST(ParquetRoundTrip, DistinctStringsFallBackToPlainAfterTheFirstPage) {
  TempDir dir;
  WriterOptions o = options_with(Compression::Zstd);
  o.page_max_rows = 64;
  std::vector<OwnedRow> rows;
  for (int i = 0; i < 1000; ++i) rows.push_back({OwnedCell("unique-" + std::to_string(i))});
  const table::Schema schema{"distinct", {{"name", Type::String, false}}};
  const auto path = write_parquet(dir.path(), schema, rows, o);
  ParquetReader reader(path);
  expect_same_rows(read_rows(reader), rows);

  // The first page shows a dictionary that saves nothing: it keeps that
  // page's 64 values, and the other 15 pages are PLAIN.
  const auto& meta = *reader.metadata().row_groups[0].columns[0].meta_data;
  ASSERT_TRUE(meta.dictionary_page_offset);
  const ChunkPages pages = walk_chunk(testing::read_bytes(path), meta);
  EXPECT_EQ(pages.dictionary_sizes, std::vector<std::int32_t>{64});
  ASSERT_EQ(pages.data_encodings.size(), 16u);
  EXPECT_EQ(pages.data_encodings[0], format::Encoding::RleDictionary);
  for (std::size_t i = 1; i < pages.data_encodings.size(); ++i) {
    EXPECT_EQ(pages.data_encodings[i], format::Encoding::Plain) << i;
  }
}

TEST(ParquetRoundTrip, RowGroupsAlsoEndOnBufferedBytes) {
  TempDir dir;
  WriterOptions o = options_with(Compression::None);
  o.row_group_max_bytes = 64 * 1024;
  std::vector<OwnedRow> rows;
  for (int i = 0; i < 20000; ++i) rows.push_back({std::int64_t{i} * 7919});
  const auto path = write_parquet(dir.path(), {"sized", {{"x", Type::Int64, false}}}, rows, o);
  ParquetReader reader(path);
  // 20000 * 8 bytes = 160 KB of values: at least 3 row groups of about 64 KB.
  EXPECT_GE(reader.num_row_groups(), 3u);
  expect_same_rows(read_rows(reader), rows);
}

TEST(ParquetRoundTrip, DictionaryFallsBackToPlain) {
  TempDir dir;
  WriterOptions o = options_with(Compression::Snappy);
  o.dictionary_max_bytes = 40;  // room for a few short strings only
  o.page_max_rows = 10;
  std::vector<OwnedRow> rows;
  for (int i = 0; i < 100; ++i) rows.push_back({i % 3 == 0 ? OwnedCell(Null{}) : OwnedCell(std::string("s") + std::to_string(i))});
  const auto path = write_parquet(dir.path(), {"fallback", {{"s", Type::String, true}}}, rows, o);
  ParquetReader reader(path);
  expect_same_rows(read_rows(reader), rows);
  const auto& meta = *reader.metadata().row_groups[0].columns[0].meta_data;
  ASSERT_TRUE(meta.dictionary_page_offset);
  int dictionary_data_pages = 0, plain_data_pages = 0;
  for (const auto& s : meta.encoding_stats) {
    if (s.page_type != format::PageType::DataPage) continue;
    (s.encoding == format::Encoding::RleDictionary ? dictionary_data_pages : plain_data_pages) += s.count;
  }
  EXPECT_GE(dictionary_data_pages, 1);
  EXPECT_GE(plain_data_pages, 1);
  EXPECT_NE(std::find(meta.encodings.begin(), meta.encodings.end(), format::Encoding::RleDictionary),
            meta.encodings.end());
  EXPECT_NE(std::find(meta.encodings.begin(), meta.encodings.end(), format::Encoding::Plain), meta.encodings.end());
}

// 3,000 distinct 600-byte texts (1.8 MB of dictionary, past parquet-mr's
// 1 MiB) each written 4 times: the whole chunk stays dictionary-encoded under
// the default limits, one dictionary page of 3,000 values.
TEST(ParquetRoundTrip, RepeatedTextsKeepADictionaryLargerThanOneMiB) {
  TempDir dir;
  WriterOptions o = options_with(Compression::Zstd);
  std::vector<OwnedRow> rows;
  for (int copy = 0; copy < 4; ++copy) {
    for (int i = 0; i < 3000; ++i) {
      std::string text = "overview " + std::to_string(i) + " ";
      text.resize(600, static_cast<char>('a' + i % 26));
      rows.push_back({OwnedCell(std::move(text))});
    }
  }
  const auto path = write_parquet(dir.path(), {"texts", {{"overview", Type::String, false}}}, rows, o);
  ParquetReader reader(path);
  expect_same_rows(read_rows(reader), rows);
  ASSERT_EQ(reader.num_row_groups(), 1u);
  const ChunkPages pages = walk_chunk(testing::read_bytes(path), *reader.metadata().row_groups[0].columns[0].meta_data);
  EXPECT_EQ(pages.dictionary_sizes, std::vector<std::int32_t>{3000});
  ASSERT_FALSE(pages.data_encodings.empty());
  for (auto e : pages.data_encodings) EXPECT_EQ(e, format::Encoding::RleDictionary);
}

// Past dictionary_max_entries distinct values the chunk goes PLAIN, however
// small the values: the cap bounds the writer's hash table.
TEST(ParquetRoundTrip, DictionaryFallsBackAtItsEntryCap) {
  TempDir dir;
  WriterOptions o = options_with(Compression::None);
  o.dictionary_max_entries = 5;
  o.page_max_rows = 10;
  std::vector<OwnedRow> rows;
  // Repeats on the first page (so the first-page rule keeps the dictionary),
  // then a sixth distinct value.
  for (int i = 0; i < 40; ++i) rows.push_back({OwnedCell("v" + std::to_string(i < 20 ? i % 5 : i % 9))});
  const auto path = write_parquet(dir.path(), {"capped", {{"s", Type::String, false}}}, rows, o);
  ParquetReader reader(path);
  expect_same_rows(read_rows(reader), rows);
  const ChunkPages pages = walk_chunk(testing::read_bytes(path), *reader.metadata().row_groups[0].columns[0].meta_data);
  EXPECT_EQ(pages.dictionary_sizes, std::vector<std::int32_t>{5});
  ASSERT_GE(pages.data_encodings.size(), 3u);
  EXPECT_EQ(pages.data_encodings.front(), format::Encoding::RleDictionary);
  EXPECT_EQ(pages.data_encodings.back(), format::Encoding::Plain);
}

TEST(ParquetRoundTrip, StatisticsOnEveryChunk) {
  TempDir dir;
  const auto rows = all_types_rows(true);
  const auto path = write_parquet(dir.path(), all_types_schema(true), rows, options_with(Compression::Zstd));
  ParquetReader reader(path);
  const auto& columns = reader.metadata().row_groups.at(0).columns;
  auto stats = [&](std::size_t c) { return *columns[c].meta_data->statistics; };
  auto le32 = [](std::int32_t v) {
    std::string s;
    for (int i = 0; i < 4; ++i) s.push_back(static_cast<char>(static_cast<std::uint32_t>(v) >> (8 * i)));
    return s;
  };
  EXPECT_EQ(stats(0).min_value, le32(INT32_MIN));
  EXPECT_EQ(stats(0).max_value, le32(INT32_MAX));
  EXPECT_EQ(stats(0).null_count, 1);
  EXPECT_EQ(stats(1).null_count, 2);
  EXPECT_EQ(stats(3).min_value, std::string(1, '\0'));
  EXPECT_EQ(stats(3).max_value, std::string(1, '\1'));
  EXPECT_EQ(stats(4).min_value, "");
  EXPECT_EQ(stats(4).max_value, "東京物語 😀");  // E6 ... above every ASCII string
  EXPECT_EQ(stats(5).min_value, le32(-719162));
  EXPECT_EQ(stats(5).max_value, le32(2932896));
}

TEST(ParquetRoundTrip, AllNullChunkHasNoMinMax) {
  TempDir dir;
  const std::vector<OwnedRow> rows(5, OwnedRow{Null{}, Null{}});
  const auto path = write_parquet(dir.path(), {"nulls", {{"s", Type::String, true}, {"d", Type::Double, true}}}, rows,
                                  options_with(Compression::Zstd));
  ParquetReader reader(path);
  expect_same_rows(read_rows(reader), rows);
  for (const auto& chunk : reader.metadata().row_groups[0].columns) {
    EXPECT_EQ(chunk.meta_data->statistics->null_count, 5);
    EXPECT_FALSE(chunk.meta_data->statistics->min_value);
    EXPECT_FALSE(chunk.meta_data->statistics->max_value);
    EXPECT_FALSE(chunk.meta_data->dictionary_page_offset);  // nothing to put in a dictionary
  }
}

TEST(ParquetRoundTrip, WriteIsAtomic) {
  TempDir dir;
  const table::Schema schema{"atomic", {{"x", Type::Int32, false}}};
  {
    ParquetTableSink sink(dir.path(), WriterOptions{});
    auto writer = sink.open(schema);
    const table::Cell cell = std::int32_t{1};
    writer->write_row(std::span(&cell, 1));
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "atomic.parquet"));
    // Destroyed without finish(): nothing may look like an artifact.
  }
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "atomic.parquet"));
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

TEST(ParquetRoundTrip, RejectsRowsThatDoNotFitTheSchema) {
  TempDir dir;
  ParquetTableSink sink(dir.path(), WriterOptions{});
  auto writer = sink.open({"strict", {{"x", Type::Int32, false}}});
  const table::Cell null = Null{};
  EXPECT_THROW(writer->write_row(std::span(&null, 1)), std::invalid_argument);
  const table::Cell wrong = std::int64_t{1};
  EXPECT_THROW(writer->write_row(std::span(&wrong, 1)), std::invalid_argument);
  EXPECT_EQ(sink.extension(), "parquet");
}

TEST(ParquetRoundTrip, CopyToAnotherSink) {
  TempDir dir;
  const auto rows = all_types_rows(true);
  const auto path = write_parquet(dir.path(), all_types_schema(true), rows, options_with(Compression::Zstd));
  ParquetReader reader(path);
  table::MemoryTableSink memory;
  auto writer = memory.open(reader.schema());
  reader.copy_to(*writer);
  writer->finish();
  expect_same_rows(memory.table("all_types").rows, rows);
}

}  // namespace
}  // namespace marquee::parquet

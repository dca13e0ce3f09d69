// Damaged and unsupported files: every one must give a ParquetError naming
// the file, never a crash, a hang or another exception (ASan/UBSan builds
// run this too: -DMARQUEE_ASAN=ON).
#include <gtest/gtest.h>

#include <functional>

#include "parquet/metadata.hpp"
#include "parquet/reader.hpp"
#include "parquet/test_util.hpp"
#include "parquet/writer.hpp"

namespace marquee::parquet {
namespace {

using table::Null;
using table::OwnedCell;
using table::OwnedRow;
using table::Type;

// A small file that exercises every reader path: all types, nulls, a
// dictionary, PLAIN fallback, several pages and two row groups.
std::string small_file(Compression codec, bool checksums) {
  testing::TempDir dir;
  WriterOptions o;
  o.compression = codec;
  o.page_checksums = checksums;
  o.row_group_max_rows = 6;
  o.page_max_rows = 4;
  o.dictionary_max_bytes = 20;
  const table::Schema schema{"small",
                             {{"i", Type::Int32, false},
                              {"s", Type::String, true},
                              {"d", Type::Double, true},
                              {"b", Type::Bool, true},
                              {"day", Type::Date, false},
                              {"n", Type::Int64, true}}};
  std::vector<OwnedRow> rows;
  for (int r = 0; r < 9; ++r) {
    rows.push_back({std::int32_t{r}, r % 3 == 0 ? OwnedCell(Null{}) : OwnedCell("s" + std::to_string(r % 4)),
                    r % 2 ? OwnedCell(r * 0.5) : OwnedCell(Null{}), OwnedCell(r % 2 == 0), std::int32_t{9000 + r},
                    OwnedCell(std::int64_t{-r})});
  }
  return testing::read_bytes(testing::write_parquet(dir.path(), schema, rows, o));
}

// Reads a file image completely; returns the error message, or "" when it read.
std::string read_error(const std::string& bytes) {
  try {
    ParquetReader reader(bytes, "damaged.parquet");
    reader.for_each_row([](std::span<const table::Cell>) {});
    return "";
  } catch (const ParquetError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("damaged.parquet: ", 0), 0u) << e.what();
    return e.what();
  }
}

std::string rewrite_footer(const std::string& file, const std::function<void(format::FileMetaData&)>& edit) {
  std::uint32_t length = 0;
  for (int i = 0; i < 4; ++i) length |= static_cast<std::uint32_t>(static_cast<unsigned char>(file[file.size() - 8 + i])) << (8 * i);
  const std::size_t start = file.size() - 8 - length;
  format::FileMetaData m = format::parse_file_metadata(std::string_view(file).substr(start, length));
  edit(m);
  const std::string footer = format::serialize_file_metadata(m);
  std::string out = file.substr(0, start) + footer;
  const auto n = static_cast<std::uint32_t>(footer.size());
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>(n >> (8 * i)));
  return out + "PAR1";
}

void expect_error_mentions(const std::string& bytes, const std::string& words) {
  const std::string error = read_error(bytes);
  EXPECT_NE(error.find(words), std::string::npos) << "error was: '" << error << "', expected it to mention " << words;
}

TEST(ParquetCorruption, TheSmallFileReads) {
  for (Compression c : {Compression::None, Compression::Snappy, Compression::Zstd}) {
    EXPECT_EQ(read_error(small_file(c, true)), "");
  }
}

TEST(ParquetCorruption, EveryTruncationIsAnError) {
  for (Compression c : {Compression::None, Compression::Zstd}) {
    const std::string file = small_file(c, false);
    for (std::size_t length = 0; length < file.size(); ++length) {
      EXPECT_NE(read_error(file.substr(0, length)), "") << "truncated to " << length;
    }
  }
}

TEST(ParquetCorruption, FlippedBytesNeverCrash) {
  for (Compression c : {Compression::None, Compression::Snappy, Compression::Zstd}) {
    for (bool checksums : {false, true}) {
      const std::string file = small_file(c, checksums);
      std::size_t errors = 0;
      for (std::size_t i = 0; i < file.size(); ++i) {
        for (unsigned char mask : {0x01, 0x80, 0xFF}) {
          std::string damaged = file;
          damaged[i] = static_cast<char>(damaged[i] ^ mask);
          if (!read_error(damaged).empty()) ++errors;
        }
      }
      EXPECT_GT(errors, 0u);
    }
  }
}

TEST(ParquetCorruption, ChecksumsCatchFlippedDataBytes) {
  // Flip each byte of the first page's body: with checksums on, each flip is reported.
  const std::string file = small_file(Compression::None, true);
  const std::string_view view(file);
  std::size_t header_size = 0;
  const format::PageHeader h = format::parse_page_header(view.substr(4), header_size);
  for (std::int32_t k = 0; k < h.compressed_page_size; ++k) {
    std::string damaged = file;
    const std::size_t at = 4 + header_size + static_cast<std::size_t>(k);
    damaged[at] = static_cast<char>(damaged[at] ^ 0x10);
    expect_error_mentions(damaged, "checksum");
  }
}

TEST(ParquetCorruption, MagicAndFooterLength) {
  const std::string file = small_file(Compression::Zstd, true);
  expect_error_mentions("PAR1", "truncated");
  expect_error_mentions("", "truncated");
  std::string bad = file;
  bad[0] = 'X';
  expect_error_mentions(bad, "bad magic");
  bad = file;
  bad[bad.size() - 1] = 'X';
  expect_error_mentions(bad, "bad magic");
  bad = file;
  bad.replace(bad.size() - 4, 4, "PARE");
  expect_error_mentions(bad, "encrypted");
  bad = file;
  bad.replace(bad.size() - 8, 4, std::string("\xFF\xFF\xFF\x00", 4));
  expect_error_mentions(bad, "footer");
  bad = file;
  bad.replace(bad.size() - 8, 4, std::string(4, '\0'));
  expect_error_mentions(bad, "footer");
}

TEST(ParquetCorruption, MissingFileNamesThePath) {
  try {
    ParquetReader reader(std::filesystem::path("/nonexistent/dir/x.parquet"));
    FAIL();
  } catch (const ParquetError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/dir/x.parquet"), std::string::npos);
    EXPECT_EQ(e.exit_code(), 2);  // an InputError
  }
}

TEST(ParquetCorruption, OffsetsOutsideTheFile) {
  const std::string file = small_file(Compression::Zstd, true);
  expect_error_mentions(rewrite_footer(file, [](format::FileMetaData& m) {
                          m.row_groups[0].columns[2].meta_data->data_page_offset = 1'000'000;
                          m.row_groups[0].columns[2].meta_data->dictionary_page_offset.reset();
                        }),
                        "outside the data region");
  expect_error_mentions(rewrite_footer(file, [](format::FileMetaData& m) {
                          m.row_groups[0].columns[0].meta_data->total_compressed_size = INT64_MAX;
                        }),
                        "outside the data region");
  expect_error_mentions(rewrite_footer(file, [](format::FileMetaData& m) {
                          m.row_groups[0].columns[0].meta_data->data_page_offset = -5;
                        }),
                        "outside the data region");
}

TEST(ParquetCorruption, ValueCountMismatches) {
  const std::string file = small_file(Compression::Zstd, true);
  expect_error_mentions(rewrite_footer(file, [](format::FileMetaData& m) { m.num_rows += 1; }), "rows");
  expect_error_mentions(rewrite_footer(file,
                                       [](format::FileMetaData& m) {
                                         m.row_groups[0].num_rows += 1;
                                         m.num_rows += 1;
                                       }),
                        "value count mismatch");
  expect_error_mentions(rewrite_footer(file,
                                       [](format::FileMetaData& m) {
                                         for (auto& c : m.row_groups[0].columns) c.meta_data->num_values -= 1;
                                         m.row_groups[0].num_rows -= 1;
                                         m.num_rows -= 1;
                                       }),
                        "value count mismatch");
  expect_error_mentions(rewrite_footer(file, [](format::FileMetaData& m) { m.row_groups[0].columns.pop_back(); }),
                        "column chunks");
}

TEST(ParquetCorruption, UnsupportedFeaturesAreNamed) {
  const std::string file = small_file(Compression::Zstd, true);
  expect_error_mentions(rewrite_footer(file,
                                       [](format::FileMetaData& m) {
                                         // Wrap the first column in a group: a nested schema.
                                         format::SchemaElement group;
                                         group.name = "wrapper";
                                         group.repetition = format::Repetition::Optional;
                                         group.num_children = 1;
                                         m.schema.insert(m.schema.begin() + 1, group);
                                       }),
                        "nested");
  expect_error_mentions(rewrite_footer(file,
                                       [](format::FileMetaData& m) {
                                         m.schema[1].repetition = format::Repetition::Repeated;
                                       }),
                        "repeated");
  expect_error_mentions(rewrite_footer(file,
                                       [](format::FileMetaData& m) {
                                         m.schema[3].type = format::PhysicalType::Float;
                                       }),
                        "FLOAT");
  expect_error_mentions(rewrite_footer(file,
                                       [](format::FileMetaData& m) {
                                         m.schema[2].logical_type.reset();
                                         m.schema[2].converted_type.reset();
                                       }),
                        "BYTE_ARRAY without STRING");
  expect_error_mentions(rewrite_footer(file,
                                       [](format::FileMetaData& m) {
                                         for (auto& g : m.row_groups) g.columns[0].meta_data->codec = format::Codec::Gzip;
                                       }),
                        "GZIP");
  expect_error_mentions(rewrite_footer(file,
                                       [](format::FileMetaData& m) {
                                         m.schema[1].logical_type = format::LogicalType{.kind = 5};  // DECIMAL
                                       }),
                        "logical type");
}

// Replaces the header of the file's first page (column 0 of row group 0)
// and shifts every later offset in the footer by the change in its length.
std::string replace_first_page_header(const std::string& file, const format::PageHeader& replacement) {
  std::size_t old_size = 0;
  format::parse_page_header(std::string_view(file).substr(4), old_size);
  std::string header;
  format::append_page_header(header, replacement);
  const std::int64_t shift = static_cast<std::int64_t>(header.size()) - static_cast<std::int64_t>(old_size);
  const std::string body = "PAR1" + header + file.substr(4 + old_size);
  return rewrite_footer(body, [&](format::FileMetaData& m) {
    for (auto& g : m.row_groups) {
      for (std::size_t c = 0; c < g.columns.size(); ++c) {
        auto& meta = *g.columns[c].meta_data;
        if (&g == &m.row_groups[0] && c == 0) {
          meta.total_compressed_size += shift;
          continue;
        }
        meta.data_page_offset += shift;
        if (meta.dictionary_page_offset) *meta.dictionary_page_offset += shift;
      }
    }
  });
}

format::PageHeader first_page_header(const std::string& file) {
  std::size_t size = 0;
  return format::parse_page_header(std::string_view(file).substr(4), size);
}

TEST(ParquetCorruption, PageHeaderSurgeryKeepsTheFileReadable) {
  const std::string file = small_file(Compression::None, false);
  EXPECT_EQ(read_error(replace_first_page_header(file, first_page_header(file))), "");
}

TEST(ParquetCorruption, DataPageV2IsRefusedByName) {
  const std::string file = small_file(Compression::None, false);
  const format::PageHeader h = first_page_header(file);
  format::PageHeader v2;
  v2.type = format::PageType::DataPageV2;
  v2.uncompressed_page_size = h.uncompressed_page_size;
  v2.compressed_page_size = h.compressed_page_size;
  format::DataPageHeaderV2& d = v2.data_page_header_v2.emplace();
  d.num_values = h.data_page_header->num_values;
  d.num_rows = d.num_values;
  expect_error_mentions(replace_first_page_header(file, v2), "DATA_PAGE_V2");
}

TEST(ParquetCorruption, HugeOrNegativeDeclaredSizesAreRefused) {
  const std::string file = small_file(Compression::None, false);
  format::PageHeader h = first_page_header(file);
  h.uncompressed_page_size = INT32_MAX;  // refused before anything is allocated for it
  expect_error_mentions(replace_first_page_header(file, h), "out of range");
  h = first_page_header(file);
  h.compressed_page_size = -1;
  expect_error_mentions(replace_first_page_header(file, h), "past the end");
  h = first_page_header(file);
  h.data_page_header->num_values = INT32_MAX;
  expect_error_mentions(replace_first_page_header(file, h), "value count mismatch");
  h = first_page_header(file);
  h.data_page_header->encoding = format::Encoding::DeltaBinaryPacked;
  expect_error_mentions(replace_first_page_header(file, h), "DELTA_BINARY_PACKED");
}

}  // namespace
}  // namespace marquee::parquet

// The compression pool must change nothing but where pages are compressed:
// the same bytes as compressing in the writer's own thread, errors surfaced
// to the writer, and bounded memory when pages arrive faster than workers.
#include "parquet/compression_pool.hpp"

#include <gtest/gtest.h>

#include <random>
#include <thread>

#include "parquet/random_tables.hpp"
#include "parquet/test_util.hpp"

namespace marquee::parquet {
namespace {

std::string random_body(std::mt19937_64& rng, std::size_t size) {
  std::string body(size, '\0');
  // Half compressible text, half noise: both codec paths get exercised.
  for (std::size_t i = 0; i < size; ++i) body[i] = i % 2 == 0 ? static_cast<char>('a' + rng() % 4) : static_cast<char>(rng());
  return body;
}

format::PageHeader data_page_header(std::int32_t values) {
  format::PageHeader header;
  header.type = format::PageType::DataPage;
  header.data_page_header.emplace().num_values = values;
  return header;
}

TEST(CompressionPool, PagesMatchInlineCompressionWhateverTheQueueLimit) {
  for (const Compression codec : {Compression::None, Compression::Snappy, Compression::Zstd}) {
    for (const std::size_t limit : {std::size_t{1}, std::size_t{64} << 20}) {
      std::mt19937_64 rng(42);
      CompressionPool pool(codec, 1, true, 3, limit);
      Compressor inline_compressor(codec, 1);
      std::vector<std::future<EncodedPage>> pooled;
      std::vector<EncodedPage> expected;
      for (int i = 0; i < 200; ++i) {
        const std::string body = random_body(rng, rng() % 70000);
        expected.push_back(encode_page(inline_compressor, data_page_header(i), body, true));
        pooled.push_back(pool.submit(data_page_header(i), body));
      }
      for (std::size_t i = 0; i < pooled.size(); ++i) {
        const EncodedPage page = pooled[i].get();
        ASSERT_EQ(page.bytes, expected[i].bytes) << compression_name(codec) << " page " << i;
        EXPECT_EQ(page.uncompressed_size, expected[i].uncompressed_size);
      }
    }
  }
}

TEST(CompressionPool, EncodedPageCarriesSizesAndChecksum) {
  Compressor none(Compression::None, 1);
  const EncodedPage page = encode_page(none, data_page_header(3), "abcdef", true);
  // Uncompressed: header + 6 body bytes, the body last.
  EXPECT_EQ(page.bytes.substr(page.bytes.size() - 6), "abcdef");
  EXPECT_EQ(page.uncompressed_size, page.bytes.size());
}

TEST(CompressionPool, WritersSharingAPoolWriteTheSameFilesAsWritersWithout) {
  testing::TempDir with_pool, without_pool;
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    testing::RandomTable table = testing::random_table(seed, std::string("t") + std::to_string(seed), 3000);
    table.options.compression_threads = 0;
    ParquetTableSink plain(without_pool.path(), table.options);
    testing::write_table(plain, table);
    table.options.compression_threads = 2;
    ParquetTableSink pooled(with_pool.path(), table.options);
    testing::write_table(pooled, table);
    const std::string name = table.schema.name + ".parquet";
    ASSERT_EQ(testing::read_bytes(with_pool.path() / name), testing::read_bytes(without_pool.path() / name))
        << "seed " << seed;
  }
}

TEST(CompressionPool, TablesWrittenAtOnceFromSeveralThreadsReadBack) {
  testing::TempDir dir;
  WriterOptions options;
  options.compression_threads = 2;
  options.page_max_rows = 50;  // many pages in flight
  ParquetTableSink sink(dir.path(), options);
  std::vector<testing::RandomTable> tables;
  for (std::uint64_t seed = 100; seed < 104; ++seed) {
    tables.push_back(testing::random_table(seed, std::string("c") + std::to_string(seed), 2000));
    tables.back().options = options;
  }
  std::vector<std::thread> threads;
  for (const auto& table : tables) threads.emplace_back([&] { testing::write_table(sink, table); });
  for (std::thread& t : threads) t.join();
  for (const auto& table : tables) {
    ParquetReader reader(dir.path() / (table.schema.name + ".parquet"));
    const auto rows = testing::read_rows(reader);
    ASSERT_EQ(rows.size(), table.rows.size()) << table.schema.name;
    for (std::size_t r = 0; r < rows.size(); ++r) {
      for (std::size_t c = 0; c < rows[r].size(); ++c) {
        ASSERT_TRUE(testing::same_cell(rows[r][c], table.rows[r][c])) << table.schema.name << " row " << r;
      }
    }
  }
}

}  // namespace
}  // namespace marquee::parquet

#include "parquet/compression.hpp"

#include <gtest/gtest.h>

#include "parquet/error.hpp"

namespace marquee::parquet {
namespace {

std::string sample() {
  std::string s;
  for (int i = 0; i < 5000; ++i) s += "row " + std::to_string(i % 37) + " ünïcödé\n";
  return s;
}

TEST(Compression, EveryCodecRoundTrips) {
  Decompressor decompressor;
  for (Compression c : {Compression::None, Compression::Snappy, Compression::Zstd}) {
    Compressor compressor(c, 3);
    for (const std::string& input : {std::string(), std::string("x"), sample()}) {
      std::string compressed, restored;
      compressor.compress(input, compressed);
      if (c != Compression::None && input.size() > 1000) {
        EXPECT_LT(compressed.size(), input.size() / 4);
      }
      decompressor.decompress(codec_of(c), compressed, input.size(), restored);
      EXPECT_EQ(restored, input) << compression_name(c);
    }
  }
}

TEST(Compression, CodecNumbersFollowParquetThrift) {
  EXPECT_EQ(static_cast<int>(codec_of(Compression::None)), 0);
  EXPECT_EQ(static_cast<int>(codec_of(Compression::Snappy)), 1);
  EXPECT_EQ(static_cast<int>(codec_of(Compression::Zstd)), 6);
}

TEST(Compression, CorruptOrMislabelledDataIsAParquetError) {
  Decompressor decompressor;
  const std::string input = sample();
  std::string out;
  for (Compression c : {Compression::Snappy, Compression::Zstd}) {
    Compressor compressor(c);
    std::string compressed;
    compressor.compress(input, compressed);
    // Wrong declared size.
    EXPECT_THROW(decompressor.decompress(codec_of(c), compressed, input.size() + 1, out), ParquetError);
    // Truncated.
    EXPECT_THROW(decompressor.decompress(codec_of(c), std::string_view(compressed).substr(0, compressed.size() / 2),
                                         input.size(), out),
                 ParquetError);
    // Garbage.
    EXPECT_THROW(decompressor.decompress(codec_of(c), std::string(64, '\xEE'), input.size(), out), ParquetError);
  }
  EXPECT_THROW(decompressor.decompress(format::Codec::Uncompressed, "abc", 4, out), ParquetError);
}

TEST(Compression, UnsupportedCodecsAreNamed) {
  Decompressor decompressor;
  std::string out;
  try {
    decompressor.decompress(format::Codec::Gzip, "abc", 3, out);
    FAIL() << "GZIP accepted";
  } catch (const ParquetError& e) {
    EXPECT_NE(std::string(e.what()).find("GZIP"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace marquee::parquet

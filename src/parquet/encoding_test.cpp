// Expected bytes are worked out by hand from Encodings.md (apache/parquet-format).
#include "parquet/encoding.hpp"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "parquet/error.hpp"

namespace marquee::parquet {
namespace {

std::string bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values) out.push_back(static_cast<char>(v));
  return out;
}

std::span<const std::uint8_t> span_of(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

std::string rle(int width, const std::vector<std::uint32_t>& values) {
  RleEncoder encoder(width);
  for (std::uint32_t v : values) encoder.put(v);
  std::string out;
  encoder.flush_to(out);
  return out;
}

std::vector<std::uint32_t> unrle(int width, const std::string& data, std::size_t count) {
  RleDecoder decoder(span_of(data), width);
  std::vector<std::uint32_t> values;
  for (std::size_t i = 0; i < count; ++i) values.push_back(decoder.next());
  return values;
}

TEST(BitWidth, CountsSignificantBits) {
  EXPECT_EQ(bit_width(0), 0);
  EXPECT_EQ(bit_width(1), 1);
  EXPECT_EQ(bit_width(2), 2);
  EXPECT_EQ(bit_width(3), 2);
  EXPECT_EQ(bit_width(255), 8);
  EXPECT_EQ(bit_width(256), 9);
  EXPECT_EQ(bit_width(UINT32_MAX), 32);
}

TEST(RleHybrid, BitPackingMatchesTheSpecExample) {
  // Encodings.md: 0..7 with bit width 3 pack to 10001000 11000110 11111010.
  const std::string encoded = rle(3, {0, 1, 2, 3, 4, 5, 6, 7});
  EXPECT_EQ(encoded, bytes({0x03, 0x88, 0xC6, 0xFA}));  // header: 1 group << 1 | 1
  EXPECT_EQ(unrle(3, encoded, 8), (std::vector<std::uint32_t>{0, 1, 2, 3, 4, 5, 6, 7}));
}

TEST(RleHybrid, RepeatsBecomeAnRleRun) {
  // 100 fours, width 3: header varint(100 << 1) = C8 01, value in one byte.
  const std::vector<std::uint32_t> values(100, 4);
  const std::string encoded = rle(3, values);
  EXPECT_EQ(encoded, bytes({0xC8, 0x01, 0x04}));
  EXPECT_EQ(unrle(3, encoded, 100), values);
}

TEST(RleHybrid, DefinitionLevelsOfAShortPage) {
  // Levels 1,0,1,1 at width 1: one bit-packed group, LSB first, zero-padded: 00001101.
  EXPECT_EQ(rle(1, {1, 0, 1, 1}), bytes({0x03, 0x0D}));
}

TEST(RleHybrid, LongBitPackedRunsSplitAt63Groups) {
  // 600 alternating bits are 75 groups: one run of 63 groups (header 0x7F),
  // one of 12 (header 0x19); every byte is 10101010.
  std::vector<std::uint32_t> values;
  for (int i = 0; i < 600; ++i) values.push_back(i % 2);
  std::string expected = bytes({0x7F});
  expected += std::string(63, '\xAA');
  expected += bytes({0x19});
  expected += std::string(12, '\xAA');
  EXPECT_EQ(rle(1, values), expected);
  EXPECT_EQ(unrle(1, expected, 600), values);
}

TEST(RleHybrid, DecodesHandWrittenRunsOfWideValues) {
  // RLE run of 3 x 257 at width 9 (value in two bytes), then a bit-packed
  // group at width 9: values 1..8 (72 bits = 9 bytes).
  std::string data = bytes({0x06, 0x01, 0x01, 0x03});
  std::uint64_t bits = 0;
  std::string packed;
  int nbits = 0;
  for (std::uint32_t v = 1; v <= 8; ++v) {
    bits |= static_cast<std::uint64_t>(v) << nbits;
    nbits += 9;
    while (nbits >= 8) {
      packed.push_back(static_cast<char>(bits & 0xFF));
      bits >>= 8;
      nbits -= 8;
    }
  }
  data += packed;
  EXPECT_EQ(unrle(9, data, 11), (std::vector<std::uint32_t>{257, 257, 257, 1, 2, 3, 4, 5, 6, 7, 8}));
}

TEST(RleHybrid, RoundTripsRandomSequencesAtEveryWidth) {
  std::mt19937_64 rng(42);
  for (int width = 1; width <= 32; ++width) {
    const std::uint64_t limit = width == 32 ? UINT32_MAX : (std::uint64_t{1} << width) - 1;
    for (int trial = 0; trial < 20; ++trial) {
      std::vector<std::uint32_t> values;
      const std::size_t n = rng() % 300;
      while (values.size() < n) {
        const auto v = static_cast<std::uint32_t>(rng() % (limit + 1));
        const std::size_t run = rng() % 3 == 0 ? rng() % 40 : 1;  // mix runs and noise
        for (std::size_t i = 0; i < run && values.size() < n; ++i) values.push_back(v);
      }
      EXPECT_EQ(unrle(width, rle(width, values), values.size()), values) << "width " << width;
    }
  }
}

TEST(RleHybrid, EncoderIsReusableAfterFlush) {
  RleEncoder encoder(2);
  std::string first, second;
  for (int i = 0; i < 20; ++i) encoder.put(3);
  encoder.flush_to(first);
  encoder.put(1);
  encoder.flush_to(second);
  EXPECT_EQ(first, bytes({0x28, 0x03}));
  EXPECT_EQ(second, bytes({0x03, 0x01, 0x00}));  // one group, width 2: two bytes
}

TEST(RleHybrid, DecoderRejectsBadData) {
  EXPECT_THROW(unrle(3, bytes({0xC8, 0x01, 0x04}), 101), ParquetError);  // asks past the runs
  EXPECT_THROW(unrle(3, bytes({0x08, 0x09}), 1), ParquetError);          // 9 does not fit in 3 bits
  EXPECT_THROW(unrle(9, bytes({0x08, 0x01}), 1), ParquetError);          // value needs 2 bytes
  EXPECT_THROW(unrle(1, bytes({0x80, 0x80, 0x80, 0x80, 0x80, 0x01}), 1), ParquetError);  // header too long
  EXPECT_THROW(RleDecoder({}, 33), ParquetError);
  // A bit-packed run declaring 2 groups but holding 1 byte yields its 8 values, then stops.
  const std::string truncated = bytes({0x05, 0xFF});
  EXPECT_EQ(unrle(1, truncated, 8), std::vector<std::uint32_t>(8, 1));
  EXPECT_THROW(unrle(1, truncated, 9), ParquetError);
}

TEST(Plain, EncodesLittleEndian) {
  std::string out;
  append_plain_i32(out, -2);
  append_plain_i64(out, 1);
  append_plain_double(out, 1.5);
  append_plain_byte_array(out, "h\xC3\xA9");
  EXPECT_EQ(out, bytes({0xFE, 0xFF, 0xFF, 0xFF, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xF8, 0x3F, 3, 0, 0, 0,
                        'h', 0xC3, 0xA9}));

  PlainDecoder decoder(span_of(out));
  EXPECT_EQ(decoder.next_i32(), -2);
  EXPECT_EQ(decoder.next_i64(), 1);
  EXPECT_EQ(decoder.next_double(), 1.5);
  EXPECT_EQ(decoder.next_byte_array(), "h\xC3\xA9");
  EXPECT_EQ(decoder.remaining(), 0u);
  EXPECT_THROW(decoder.next_i32(), ParquetError);
}

TEST(Plain, BooleansAreBitPackedLsbFirst) {
  BoolPacker packer;
  for (bool b : {true, false, true, true, false, false, false, false, true}) packer.put(b);
  std::string out;
  packer.flush_to(out);
  EXPECT_EQ(out, bytes({0x0D, 0x01}));
  PlainDecoder decoder(span_of(out));
  std::vector<bool> decoded;
  for (int i = 0; i < 9; ++i) decoded.push_back(decoder.next_bool());
  EXPECT_EQ(decoded, (std::vector<bool>{true, false, true, true, false, false, false, false, true}));
  EXPECT_EQ(decoder.remaining(), 0u);
}

TEST(Plain, ByteArrayLengthPastTheEndIsAnError) {
  const std::string data = bytes({0xFF, 0xFF, 0xFF, 0x7F, 'a'});
  PlainDecoder decoder(span_of(data));
  EXPECT_THROW(decoder.next_byte_array(), ParquetError);
}

}  // namespace
}  // namespace marquee::parquet

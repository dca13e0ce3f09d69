#include "parquet/statistics.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>

namespace marquee::parquet {
namespace {

std::string le32(std::int32_t v) {
  std::string s;
  for (int i = 0; i < 4; ++i) s.push_back(static_cast<char>(static_cast<std::uint32_t>(v) >> (8 * i)));
  return s;
}

std::string le64(std::uint64_t v) {
  std::string s;
  for (int i = 0; i < 8; ++i) s.push_back(static_cast<char>(v >> (8 * i)));
  return s;
}

TEST(Statistics, IntegersUseSignedOrder) {
  ColumnStatistics s(table::Type::Int32);
  for (std::int64_t v : {5, -3, 2, -1}) s.add(v);
  s.add_null();
  const format::Statistics t = s.to_thrift(256);
  EXPECT_EQ(t.min_value, le32(-3));
  EXPECT_EQ(t.max_value, le32(5));
  EXPECT_EQ(t.null_count, 1);
  EXPECT_FALSE(t.min_deprecated);  // only the non-deprecated fields
  EXPECT_FALSE(t.nan_count);
}

TEST(Statistics, Int64AndDatesUseTheirPhysicalWidth) {
  ColumnStatistics i64(table::Type::Int64);
  i64.add(std::int64_t{INT64_MIN});
  i64.add(std::int64_t{7});
  EXPECT_EQ(i64.to_thrift(256).min_value, le64(0x8000000000000000ull));
  EXPECT_EQ(i64.to_thrift(256).max_value, le64(7));
  ColumnStatistics date(table::Type::Date);
  date.add(std::int64_t{-719162});
  EXPECT_EQ(date.to_thrift(256).min_value->size(), 4u);
}

TEST(Statistics, DoublesIgnoreNanAndWidenZeros) {
  ColumnStatistics s(table::Type::Double);
  for (double v : {0.0, std::nan(""), 2.5, -0.0}) s.add(v);
  format::Statistics t = s.to_thrift(256);
  // A zero minimum is written as -0.0, a zero maximum as +0.0.
  EXPECT_EQ(t.min_value, le64(std::bit_cast<std::uint64_t>(-0.0)));
  EXPECT_EQ(t.max_value, le64(std::bit_cast<std::uint64_t>(2.5)));
  EXPECT_EQ(t.nan_count, 1);

  ColumnStatistics zeros(table::Type::Double);
  zeros.add(-0.0);
  zeros.add(-1.0);
  t = zeros.to_thrift(256);
  EXPECT_EQ(t.min_value, le64(std::bit_cast<std::uint64_t>(-1.0)));
  EXPECT_EQ(t.max_value, le64(std::bit_cast<std::uint64_t>(0.0)));

  ColumnStatistics only_nan(table::Type::Double);
  only_nan.add(std::nan(""));
  t = only_nan.to_thrift(256);
  EXPECT_FALSE(t.min_value);
  EXPECT_FALSE(t.max_value);
  EXPECT_EQ(t.nan_count, 1);
}

TEST(Statistics, BooleansOrderFalseBeforeTrue) {
  ColumnStatistics s(table::Type::Bool);
  s.add(true);
  EXPECT_EQ(s.to_thrift(256).min_value, std::string(1, '\1'));
  s.add(false);
  EXPECT_EQ(s.to_thrift(256).min_value, std::string(1, '\0'));
  EXPECT_EQ(s.to_thrift(256).max_value, std::string(1, '\1'));
}

TEST(Statistics, StringsCompareAsUnsignedBytes) {
  ColumnStatistics s(table::Type::String);
  for (std::string_view v : {"z", "\xC3\xA9", "A", ""}) s.add(v);  // é is C3 A9: above any ASCII
  const format::Statistics t = s.to_thrift(256);
  EXPECT_EQ(t.min_value, "");
  EXPECT_EQ(t.max_value, "\xC3\xA9");
  EXPECT_EQ(t.is_min_value_exact, true);
  EXPECT_EQ(t.is_max_value_exact, true);
}

TEST(Statistics, AllNullOmitsMinAndMax) {
  ColumnStatistics s(table::Type::String);
  s.add_null();
  s.add_null();
  const format::Statistics t = s.to_thrift(256);
  EXPECT_EQ(t.null_count, 2);
  EXPECT_FALSE(t.min_value);
  EXPECT_FALSE(t.max_value);
}

TEST(Statistics, LongStringsAreBoundedNotCopied) {
  ColumnStatistics s(table::Type::String);
  s.add(std::string_view("abcdefgh"));
  s.add(std::string_view("abcz"));
  const format::Statistics t = s.to_thrift(3);
  EXPECT_EQ(t.min_value, "abc");  // a prefix of the minimum is below it
  EXPECT_EQ(t.max_value, "abd");  // "abc" raised at its last character is above "abcz"
  EXPECT_EQ(t.is_min_value_exact, false);
  EXPECT_EQ(t.is_max_value_exact, false);
}

TEST(Statistics, Utf8UpperBoundStaysValid) {
  EXPECT_EQ(utf8_upper_bound("abcdef", 3), "abd");
  // Truncation never splits a character: "aé" is 3 bytes, "aéb" 4.
  EXPECT_EQ(utf8_upper_bound("a\xC3\xA9" "b", 2), "b");
  // U+10FFFF cannot be raised: the character before it is.
  EXPECT_EQ(utf8_upper_bound("a\xF4\x8F\xBF\xBFzz", 5), "b");
  // U+D7FF is followed by U+E000 (surrogates are skipped).
  EXPECT_EQ(utf8_upper_bound("\xED\x9F\xBFx", 3), "\xEE\x80\x80");
  EXPECT_EQ(utf8_upper_bound("\xF4\x8F\xBF\xBFx", 4), "");
}

}  // namespace
}  // namespace marquee::parquet

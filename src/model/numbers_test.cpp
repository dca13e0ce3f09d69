#include "model/numbers.hpp"

#include <random>
#include <string>
#include <utility>

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace marquee::model {
namespace {

constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();

TEST(ParseUnsignedInt64, AcceptsPlainDigits) {
  EXPECT_EQ(parse_unsigned_int64("0"), 0);
  EXPECT_EQ(parse_unsigned_int64("862"), 862);
  EXPECT_EQ(parse_unsigned_int64("30000000"), 30000000);
  EXPECT_EQ(parse_unsigned_int64("007"), 7);
  EXPECT_EQ(parse_unsigned_int64("9223372036854775807"), kInt64Max);
}

TEST(ParseUnsignedInt64, RejectsAnythingElse) {
  for (const char* text : {"", "9223372036854775808", "99999999999999999999", "+1", "-1", "-0",
                           " 1", "1 ", "1.0", "1e3", "0x10", "12abc", "1,000", "nan", "inf",
                           "1997-08-20"}) {
    EXPECT_FALSE(parse_unsigned_int64(text)) << text;
  }
}

TEST(IsDecimalNumber, FollowsTheGrammar) {
  for (const char* text : {"0", "1", "373554033", "373554033.0", "21.946943", "8.2e-05", "1e6",
                           "1E+6", "1.5e3"}) {
    EXPECT_TRUE(is_decimal_number(text)) << text;
  }
  for (const char* text : {"", ".5", "1.", "1e", "1e+", "e5", "+1", "-1", " 1", "1 ", "0x10",
                           "nan", "inf", "1.2.3", "1,5"}) {
    EXPECT_FALSE(is_decimal_number(text)) << text;
  }
}

TEST(ParseNonNegativeDouble, AcceptsDecimalsAndExponents) {
  EXPECT_EQ(parse_non_negative_double("0"), 0.0);
  EXPECT_EQ(parse_non_negative_double("21.946943"), 21.946943);
  EXPECT_EQ(parse_non_negative_double("8.2e-05"), 0.000082);
  EXPECT_EQ(parse_non_negative_double("1e6"), 1000000.0);
  EXPECT_EQ(parse_non_negative_double("1E+2"), 100.0);
  EXPECT_EQ(parse_non_negative_double("1e-400"), 0.0);  // underflow is a tiny finite value
}

TEST(ParseNonNegativeDouble, RejectsSignsSpacesHexAndNonFinite) {
  for (const char* text : {"", "-0", "-1.5", "+1", " 1", "1 ", "0x10", "1e400", "nan", "NaN",
                           "inf", "infinity", "1.5abc"}) {
    EXPECT_FALSE(parse_non_negative_double(text)) << text;
  }
}

TEST(ParseNonNegativeRounded, IntegersAreExact) {
  const auto plain = parse_non_negative_rounded("373554033");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->value, 373554033);
  EXPECT_TRUE(plain->exact);
  const auto max = parse_non_negative_rounded("9223372036854775807");
  ASSERT_TRUE(max);
  EXPECT_EQ(max->value, kInt64Max);  // beyond double precision, kept exact
}

TEST(ParseNonNegativeRounded, WholeDecimalsAndExponentsAreExact) {
  const auto decimal = parse_non_negative_rounded("373554033.0");
  ASSERT_TRUE(decimal);
  EXPECT_EQ(decimal->value, 373554033);
  EXPECT_TRUE(decimal->exact);
  const auto exponent = parse_non_negative_rounded("1e6");
  ASSERT_TRUE(exponent);
  EXPECT_EQ(exponent->value, 1000000);
  EXPECT_TRUE(exponent->exact);
}

TEST(ParseNonNegativeRounded, FractionsRoundHalfAwayFromZero) {
  const struct {
    const char* text;
    std::int64_t rounded;
  } cases[] = {{"12.5", 13}, {"13.5", 14}, {"12.4", 12}, {"12.6", 13}, {"0.5", 1}, {"0.4", 0}};
  for (const auto& c : cases) {
    const auto result = parse_non_negative_rounded(c.text);
    ASSERT_TRUE(result) << c.text;
    EXPECT_EQ(result->value, c.rounded) << c.text;
    EXPECT_FALSE(result->exact) << c.text;
  }
}

TEST(ParseNonNegativeRounded, RejectsWhatDoesNotFitOrIsNotANumber) {
  for (const char* text : {"", "9223372036854775808", "9.3e18", "1e19", "1e400", "-0", "-1",
                           "+1", " 1", "1 ", "0x10", "nan", "inf"}) {
    EXPECT_FALSE(parse_non_negative_rounded(text)) << text;
  }
}

// Issue 10, defect 5: the decimal text is rounded exactly, never via a double.
TEST(ParseNonNegativeRounded, DecimalTextIsRoundedExactly) {
  const struct {
    const char* text;
    std::int64_t value;
    bool exact;
  } cases[] = {{"1.49999999999999999999", 1, false},
               {"1.50000000000000000000", 2, false},
               {"0.49999999999999999999", 0, false},
               {"9007199254740993.0", 9007199254740993, true},
               {"9007199254740993", 9007199254740993, true},
               {"9223372036854775807.0", kInt64Max, true},
               {"9223372036854775806.5", kInt64Max, false},
               {"922337203685477580.7e1", kInt64Max, true},
               {"92233720368547758070e-1", kInt64Max, true},
               {"0.0000000000000000000000000001e28", 1, true},
               {"5e-1", 1, false},
               {"4.9e-1", 0, false},
               {"0.00", 0, true},
               {"000000000000000000000000123.0", 123, true},
               {"1e-999999999999999999999", 0, false},
               {"0e999999999999999999999", 0, true}};
  for (const auto& c : cases) {
    const auto result = parse_non_negative_rounded(c.text);
    ASSERT_TRUE(result) << c.text;
    EXPECT_EQ(result->value, c.value) << c.text;
    EXPECT_EQ(result->exact, c.exact) << c.text;
  }
  for (const char* text : {"9223372036854775807.5", "9223372036854775808.0", "1e999999999999999999999"}) {
    EXPECT_FALSE(parse_non_negative_rounded(text)) << text;
  }
}

// An independent reference: move the decimal point in the text itself, then
// round by the first dropped digit.
std::optional<std::pair<std::int64_t, bool>> reference_round(const std::string& digits, int point) {
  std::string integer, fraction;
  for (int i = 0; i < static_cast<int>(digits.size()) || i < point; ++i) {
    const char d = i < static_cast<int>(digits.size()) ? digits[static_cast<std::size_t>(i)] : '0';
    (i < point ? integer : fraction) += d;
  }
  if (point < 0) fraction = std::string(static_cast<std::size_t>(-point), '0') + digits;
  integer.erase(0, std::min(integer.find_first_not_of('0'), integer.size()));
  if (integer.size() > 19) return std::nullopt;
  unsigned __int128 value = 0;
  for (const char d : integer) value = value * 10 + static_cast<unsigned>(d - '0');
  const bool exact = fraction.find_first_not_of('0') == std::string::npos;
  if (!fraction.empty() && fraction[0] >= '5') ++value;
  if (value > static_cast<unsigned __int128>(kInt64Max)) return std::nullopt;
  return std::pair{static_cast<std::int64_t>(value), exact};
}

TEST(ParseNonNegativeRounded, AgreesWithAReferenceOnRandomDecimals) {
  std::mt19937_64 rng(10);
  for (int n = 0; n < 20000; ++n) {
    std::string digits;
    const int length = 1 + static_cast<int>(rng() % 25);
    for (int i = 0; i < length; ++i) digits += static_cast<char>('0' + rng() % 10);
    const int dot = 1 + static_cast<int>(rng() % static_cast<std::uint64_t>(length));  // digits before '.'
    const int exponent = static_cast<int>(rng() % 41) - 20;
    std::string text = digits.substr(0, static_cast<std::size_t>(dot));
    if (dot < length) text += "." + digits.substr(static_cast<std::size_t>(dot));
    if (exponent != 0 || rng() % 2) text += "e" + std::to_string(exponent);
    const auto expected = reference_round(digits, dot + exponent);
    const auto got = parse_non_negative_rounded(text);
    ASSERT_EQ(got.has_value(), expected.has_value()) << text;
    if (got) {
      EXPECT_EQ(got->value, expected->first) << text;
      EXPECT_EQ(got->exact, expected->second) << text;
    }
  }
}

TEST(ParseNonNegativeIntegral, AcceptsWholeValues) {
  EXPECT_EQ(parse_non_negative_integral("5415"), 5415);
  EXPECT_EQ(parse_non_negative_integral("5415.0"), 5415);
  EXPECT_EQ(parse_non_negative_integral("5.415e3"), 5415);
  EXPECT_EQ(parse_non_negative_integral("0"), 0);
  EXPECT_EQ(parse_non_negative_integral("9223372036854775807"), kInt64Max);
}

TEST(ParseNonNegativeIntegral, RejectsFractionsAndOthers) {
  for (const char* text : {"5415.5", "0.1", "", "-1", "+1", " 1", "1 ", "0x10", "1e400", "1e19",
                           "nan", "inf", "9223372036854775808"}) {
    EXPECT_FALSE(parse_non_negative_integral(text)) << text;
  }
}

TEST(Calendar, LeapYears) {
  EXPECT_TRUE(is_leap_year(2000));   // divisible by 400
  EXPECT_FALSE(is_leap_year(1900));  // divisible by 100 only
  EXPECT_TRUE(is_leap_year(2016));
  EXPECT_FALSE(is_leap_year(2019));
  EXPECT_EQ(days_in_month(2000, 2), 29u);
  EXPECT_EQ(days_in_month(1900, 2), 28u);
  EXPECT_EQ(days_in_month(2019, 4), 30u);
  EXPECT_EQ(days_in_month(2019, 12), 31u);
  EXPECT_EQ(days_in_month(2019, 13), 0u);
}

TEST(ParseIsoDate, AcceptsRealDates) {
  const auto toy_story = parse_iso_date("1995-10-30");
  ASSERT_TRUE(toy_story);
  EXPECT_EQ(toy_story->year, 1995);
  EXPECT_EQ(toy_story->month, 10u);
  EXPECT_EQ(toy_story->day, 30u);
  for (const char* text : {"2000-02-29", "2016-02-29", "0001-01-01", "9999-12-31", "1874-12-09"}) {
    EXPECT_TRUE(parse_iso_date(text)) << text;
  }
}

TEST(ParseIsoDate, RejectsImpossibleDates) {
  for (const char* text : {"1900-02-29", "2019-02-29", "2019-02-30", "2019-04-31", "2019-13-01",
                           "2019-00-10", "2019-01-00", "2019-01-32", "0000-01-01"}) {
    EXPECT_TRUE(parse_date_shape(text)) << text;
    EXPECT_FALSE(parse_iso_date(text)) << text;
  }
}

TEST(ParseIsoDate, RejectsOtherShapes) {
  for (const char* text : {"", "2019-2-3", "2019-02-3", "19-02-03", "2019/02/03", "20190203",
                           " 2019-02-03", "2019-02-03 ", "2019-02-03T00:00", "+019-02-03",
                           "2019-0a-03", "1", "12/15/1995"}) {
    EXPECT_FALSE(parse_date_shape(text)) << text;
    EXPECT_FALSE(parse_iso_date(text)) << text;
  }
}

}  // namespace
}  // namespace marquee::model

#include "model/numbers.hpp"

#include <fast_float/fast_float.h>

#include <charconv>
#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <system_error>

namespace marquee::model {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Advances `pos` past a run of digits; returns false when there was none.
bool skip_digits(std::string_view text, std::size_t& pos) {
  const std::size_t start = pos;
  while (pos < text.size() && is_digit(text[pos])) ++pos;
  return pos > start;
}

// Reads exactly `count` digits at `pos` as an unsigned number.
std::optional<unsigned> fixed_digits(std::string_view text, std::size_t pos, std::size_t count) {
  unsigned value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (!is_digit(text[i])) return std::nullopt;
    value = value * 10 + static_cast<unsigned>(text[i] - '0');
  }
  return value;
}

}  // namespace

bool is_ascii_digits(std::string_view text) {
  std::size_t pos = 0;
  return skip_digits(text, pos) && pos == text.size();
}

std::optional<std::int64_t> parse_unsigned_int64(std::string_view text) {
  // from_chars alone would accept a leading '-'.
  if (!is_ascii_digits(text)) return std::nullopt;
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

bool is_decimal_number(std::string_view text) {
  std::size_t pos = 0;
  if (!skip_digits(text, pos)) return false;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    if (!skip_digits(text, pos)) return false;
  }
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    ++pos;
    if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) ++pos;
    if (!skip_digits(text, pos)) return false;
  }
  return pos == text.size();
}

std::optional<double> parse_non_negative_double(std::string_view text) {
  // The shape check keeps out what fast_float would take (inf, nan, '-').
  if (!is_decimal_number(text)) return std::nullopt;
  double value = 0;
  const auto [end, ec] = fast_float::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  if (!std::isfinite(value)) return std::nullopt;  // "1e400" overflows to inf
  return value;
}

namespace {

// The parts of a decimal number that is_decimal_number() accepted.
struct DecimalParts {
  std::string_view integer, fraction;
  std::int64_t exponent = 0;  // saturated far beyond any int64 magnitude
};

DecimalParts split_decimal(std::string_view text) {
  DecimalParts parts;
  std::size_t pos = 0;
  skip_digits(text, pos);
  parts.integer = text.substr(0, pos);
  if (pos < text.size() && text[pos] == '.') {
    const std::size_t start = ++pos;
    skip_digits(text, pos);
    parts.fraction = text.substr(start, pos - start);
  }
  if (pos < text.size()) {  // 'e' or 'E'
    ++pos;
    const bool negative = text[pos] == '-';
    if (text[pos] == '+' || text[pos] == '-') ++pos;
    constexpr std::int64_t kSaturated = std::int64_t{1} << 40;
    for (; pos < text.size() && parts.exponent < kSaturated; ++pos) parts.exponent = parts.exponent * 10 + (text[pos] - '0');
    if (negative) parts.exponent = -parts.exponent;
  }
  return parts;
}

// The i-th significant digit of integer followed by fraction.
char digit_at(const DecimalParts& p, std::size_t i) {
  return i < p.integer.size() ? p.integer[i] : p.fraction[i - p.integer.size()];
}

}  // namespace

// Exact: the decimal digits are rounded as written, never through a double,
// so "9007199254740993.0" is 9007199254740993 like "9007199254740993", and
// "1.49999999999999999999" rounds to 1.
std::optional<RoundedInteger> parse_non_negative_rounded(std::string_view text) {
  // Plain integers: the common case, straight to from_chars.
  if (is_ascii_digits(text)) {
    const auto value = parse_unsigned_int64(text);
    if (!value) return std::nullopt;
    return RoundedInteger{*value, true};
  }
  if (!is_decimal_number(text)) return std::nullopt;
  const DecimalParts p = split_decimal(text);
  const std::size_t digits = p.integer.size() + p.fraction.size();
  std::size_t first = 0;  // skip leading zeros
  while (first < digits && digit_at(p, first) == '0') ++first;
  if (first == digits) return RoundedInteger{0, true};
  // Digits [first, point) are the integer part once the exponent moved the point.
  const std::int64_t point = static_cast<std::int64_t>(p.integer.size()) + p.exponent;
  const std::int64_t integer_digits = point - static_cast<std::int64_t>(first);
  if (integer_digits > 19) return std::nullopt;  // INT64_MAX has 19 digits
  unsigned __int128 value = 0;
  for (std::int64_t i = static_cast<std::int64_t>(first); i < point; ++i) {
    const auto index = static_cast<std::size_t>(i);
    value = value * 10 + (index < digits ? static_cast<unsigned>(digit_at(p, index) - '0') : 0u);
  }
  // The first digit after the point decides half away from zero (the value
  // is never negative); any nonzero dropped digit makes the rounding inexact.
  bool exact = true;
  bool round_up = false;
  for (std::size_t i = static_cast<std::size_t>(std::max<std::int64_t>(point, static_cast<std::int64_t>(first)));
       i < digits; ++i) {
    if (digit_at(p, i) == '0') continue;
    if (exact && static_cast<std::int64_t>(i) == point) round_up = digit_at(p, i) >= '5';
    exact = false;
  }
  value += round_up ? 1 : 0;
  if (value > static_cast<unsigned __int128>(INT64_MAX)) return std::nullopt;
  return RoundedInteger{static_cast<std::int64_t>(value), exact};
}

std::optional<std::int64_t> parse_non_negative_integral(std::string_view text) {
  const auto rounded = parse_non_negative_rounded(text);
  if (!rounded || !rounded->exact) return std::nullopt;
  return rounded->value;
}

bool is_leap_year(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

unsigned days_in_month(int year, unsigned month) {
  static constexpr unsigned kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  if (month == 2 && is_leap_year(year)) return 29;
  return kDays[month - 1];
}

std::optional<CivilDate> parse_date_shape(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const auto year = fixed_digits(text, 0, 4);
  const auto month = fixed_digits(text, 5, 2);
  const auto day = fixed_digits(text, 8, 2);
  if (!year || !month || !day) return std::nullopt;
  return CivilDate{static_cast<int>(*year), *month, *day};
}

bool is_calendar_date(const CivilDate& date) {
  if (date.year < 1 || date.year > 9999) return false;
  if (date.month < 1 || date.month > 12) return false;
  return date.day >= 1 && date.day <= days_in_month(date.year, date.month);
}

std::optional<CivilDate> parse_iso_date(std::string_view text) {
  const auto date = parse_date_shape(text);
  if (!date || !is_calendar_date(*date)) return std::nullopt;
  return date;
}

}  // namespace marquee::model

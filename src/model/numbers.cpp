#include "model/numbers.hpp"

#include <fast_float/fast_float.h>

#include <charconv>
#include <cmath>
#include <system_error>

namespace marquee::model {
namespace {

// 2^63: the first double that no longer fits int64 (INT64_MAX itself is not a
// double, so compare against the power of two).
constexpr double kTwoPow63 = 9223372036854775808.0;

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

std::optional<RoundedInteger> parse_non_negative_rounded(std::string_view text) {
  // Plain integers stay exact up to INT64_MAX, beyond double's 53 bits.
  if (is_ascii_digits(text)) {
    const auto value = parse_unsigned_int64(text);
    if (!value) return std::nullopt;
    return RoundedInteger{*value, true};
  }
  const auto value = parse_non_negative_double(text);
  if (!value) return std::nullopt;
  const double rounded = std::round(*value);  // half away from zero
  if (rounded >= kTwoPow63) return std::nullopt;
  return RoundedInteger{static_cast<std::int64_t>(rounded), rounded == *value};
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

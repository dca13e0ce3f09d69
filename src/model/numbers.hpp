#pragma once
// Strict parsers for the number and date fields of movies_metadata.csv. The
// whole text must match: no spaces, no sign, no hex, no inf/nan. A field that
// a lenient parser would half-accept ("12abc", " 7") is a data problem to
// report, not a value to guess.
#include <cstdint>
#include <optional>
#include <string_view>

namespace marquee::model {

// True when `text` is one or more ASCII digits and nothing else.
bool is_ascii_digits(std::string_view text);

// ASCII digits only, value <= INT64_MAX ("0" included).
std::optional<std::int64_t> parse_unsigned_int64(std::string_view text);

// True when `text` has the shape of a non-negative decimal number:
// digits ['.' digits] [('e' | 'E') ['+' | '-'] digits]. No sign, no spaces,
// at least one digit on each side of a '.', no inf/nan.
bool is_decimal_number(std::string_view text);

// A decimal number (see is_decimal_number) whose value is finite as a double.
std::optional<double> parse_non_negative_double(std::string_view text);

// A non-negative number rounded half away from zero to an integer that fits
// int64. `exact` tells whether the rounding changed the value.
struct RoundedInteger {
  std::int64_t value = 0;
  bool exact = true;
};
std::optional<RoundedInteger> parse_non_negative_rounded(std::string_view text);

// A non-negative number with an integral value that fits int64: "5415",
// "5415.0" and "5.415e3" are all 5415; "5415.5" is not integral.
std::optional<std::int64_t> parse_non_negative_integral(std::string_view text);

struct CivilDate {
  int year = 0;
  unsigned month = 0;
  unsigned day = 0;
};

bool is_leap_year(int year);
unsigned days_in_month(int year, unsigned month);  // month 1..12

// Exactly YYYY-MM-DD in ASCII digits; the fields are not checked for range.
std::optional<CivilDate> parse_date_shape(std::string_view text);

// True for a real calendar date of years 0001..9999.
bool is_calendar_date(const CivilDate& date);

// parse_date_shape and is_calendar_date together.
std::optional<CivilDate> parse_iso_date(std::string_view text);

}  // namespace marquee::model

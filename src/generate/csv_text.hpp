#pragma once
// How the generator writes values as the real file does: CSV quoting as
// Python's csv module, numbers, Python reprs (internal to src/generate).
#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace marquee::generate::detail {

// ---------------------------------------------------------------------------
// Output formatting (hand-written hot path).

constexpr std::array<bool, 256> kNeedsQuotes = [] {
  std::array<bool, 256> table{};
  for (unsigned char c : std::string_view(",\"\r\n")) table[c] = true;
  return table;
}();

// QUOTE_MINIMAL exactly as Python's csv writer: quote a field only when it
// holds a comma, quote, CR or LF; double the quotes inside.
inline void appendField(std::string& out, std::string_view field) {
  const bool needs_quotes = std::any_of(field.begin(), field.end(), [](char c) {
    return kNeedsQuotes[static_cast<unsigned char>(c)];
  });
  if (!needs_quotes) {
    out += field;
    return;
  }
  out += '"';
  for (std::size_t quote; (quote = field.find('"')) != std::string_view::npos;) {
    out.append(field.substr(0, quote + 1));
    out += '"';
    field.remove_prefix(quote + 1);
  }
  out += field;
  out += '"';
}

inline void appendUint(std::string& out, std::uint64_t value) {
  char digits[20];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(digits, end);
}

inline void appendPadded(std::string& out, std::uint64_t value, std::size_t width) {
  char digits[20];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  const auto length = static_cast<std::size_t>(end - digits);
  if (length < width) out.append(width - length, '0');
  out.append(digits, end);
}

// Python's repr() of a float rounded to 6 decimals, from integer millionths:
// 21.946943, 5.092, 0.0001, and below 1e-4 the exponent form 8.2e-05, 4e-06.
inline void appendPopularity(std::string& out, std::uint64_t micros) {
  if (micros == 0) {
    out += "0.0";
    return;
  }
  if (micros < 100) {
    const bool two_digits = micros >= 10;
    const std::uint64_t lead = two_digits ? micros / 10 : micros;
    const std::uint64_t rest = two_digits ? micros % 10 : 0;
    out += static_cast<char>('0' + lead);
    if (rest != 0) {
      out += '.';
      out += static_cast<char>('0' + rest);
    }
    out += two_digits ? "e-05" : "e-06";
    return;
  }
  appendUint(out, micros / 1'000'000);
  out += '.';
  std::uint64_t fraction = micros % 1'000'000;
  if (fraction == 0) {
    out += '0';
    return;
  }
  std::size_t width = 6;
  while (fraction % 10 == 0) {
    fraction /= 10;
    --width;
  }
  appendPadded(out, fraction, width);
}

// Python's repr() of a str as the real file shows it: single quotes unless
// the text holds an apostrophe and no double quote.
inline std::string pythonRepr(std::string_view text) {
  const bool has_single = text.find('\'') != std::string_view::npos;
  const bool has_double = text.find('"') != std::string_view::npos;
  const char quote = (has_single && !has_double) ? '"' : '\'';
  std::string repr(1, quote);
  for (const char c : text) {
    if (c == quote || c == '\\') repr += '\\';
    repr += c;
  }
  repr += quote;
  return repr;
}

}  // namespace marquee::generate::detail

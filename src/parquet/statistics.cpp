#include "parquet/statistics.hpp"

#include <cmath>
#include <vector>

#include "common/utf8.hpp"
#include "parquet/encoding.hpp"

namespace marquee::parquet {

void ColumnStatistics::add(std::string_view value) {
  // std::string_view compares bytes as unsigned char, the order Parquet wants.
  if (!has_value_) {
    string_min_.assign(value);
    string_max_.assign(value);
    has_value_ = true;
    return;
  }
  if (value < string_min_) string_min_.assign(value);
  if (value > string_max_) string_max_.assign(value);
}

namespace {

// Decodes valid UTF-8 into code points.
std::vector<char32_t> code_points(std::string_view s) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const int length = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    char32_t cp = length == 1 ? b : length == 2 ? (b & 0x1F) : length == 3 ? (b & 0x0F) : (b & 0x07);
    for (int k = 1; k < length && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += static_cast<std::size_t>(length);
  }
  return out;
}

}  // namespace

std::string utf8_upper_bound(std::string_view value, std::size_t max_bytes) {
  std::vector<char32_t> cps = code_points(utf8::truncate(value, max_bytes));
  // Bytewise order of UTF-8 is code point order, so raising the last code
  // point of a prefix gives a string above every string with that prefix.
  while (!cps.empty()) {
    char32_t next = cps.back() + 1;
    if (next == 0xD800) next = 0xE000;  // surrogates are not characters
    cps.pop_back();
    if (next > 0x10FFFF) continue;
    std::string out;
    for (char32_t cp : cps) utf8::append_code_point(out, cp);
    utf8::append_code_point(out, next);
    if (out.size() <= max_bytes) return out;
  }
  return {};
}

format::Statistics ColumnStatistics::to_thrift(std::size_t max_string_bytes) const {
  format::Statistics s;
  s.null_count = null_count_;
  if (type_ == table::Type::Double) s.nan_count = nan_count_;
  if (!has_value_) return s;
  std::string min, max;
  bool min_exact = true, max_exact = true;
  switch (type_) {
    case table::Type::Int32:
    case table::Type::Date:
      append_plain_i32(min, static_cast<std::int32_t>(int_min_));
      append_plain_i32(max, static_cast<std::int32_t>(int_max_));
      break;
    case table::Type::Int64:
      append_plain_i64(min, int_min_);
      append_plain_i64(max, int_max_);
      break;
    case table::Type::Double:
      // The spec asks for -0.0 as a zero minimum and +0.0 as a zero maximum,
      // so that both bound either zero.
      append_plain_double(min, double_min_ == 0.0 ? -0.0 : double_min_);
      append_plain_double(max, double_max_ == 0.0 ? 0.0 : double_max_);
      break;
    case table::Type::Bool:
      min.push_back(bool_min_ ? 1 : 0);
      max.push_back(bool_max_ ? 1 : 0);
      break;
    case table::Type::String:
      min_exact = string_min_.size() <= max_string_bytes;
      max_exact = string_max_.size() <= max_string_bytes;
      // A prefix of the minimum is still a lower bound.
      min = std::string(utf8::truncate(string_min_, max_string_bytes));
      max = max_exact ? string_max_ : utf8_upper_bound(string_max_, max_string_bytes);
      if (!max_exact && max.empty()) return s;  // no short upper bound exists
      break;
  }
  s.min_value = std::move(min);
  s.max_value = std::move(max);
  s.is_min_value_exact = min_exact;
  s.is_max_value_exact = max_exact;
  return s;
}

}  // namespace marquee::parquet

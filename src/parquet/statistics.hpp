#pragma once
// Column chunk statistics: null_count, and min_value/max_value in the
// column's sort order (parquet.thrift ColumnOrder TYPE_ORDER): signed for
// INT32/INT64/DATE, numeric for DOUBLE with NaN ignored (counted in
// nan_count), false < true for BOOLEAN, unsigned bytewise for strings.
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "parquet/metadata.hpp"
#include "table/schema.hpp"

namespace marquee::parquet {

class ColumnStatistics {
 public:
  explicit ColumnStatistics(table::Type type) : type_(type) {}

  // Inline: called for every value written.
  void add_null() { ++null_count_; }
  void add(std::int64_t value) { widen(value, int_min_, int_max_); }  // Int32, Int64, Date
  void add(double value) {
    if (std::isnan(value)) {  // counted, never a bound
      ++nan_count_;
      return;
    }
    widen(value, double_min_, double_max_);
  }
  void add(bool value) {
    if (!has_value_) {
      bool_min_ = bool_max_ = value;
      has_value_ = true;
      return;
    }
    bool_min_ = bool_min_ && value;
    bool_max_ = bool_max_ || value;
  }
  void add(std::string_view value);
  void reset() { *this = ColumnStatistics(type_); }

  std::int64_t null_count() const { return null_count_; }
  bool has_min_max() const { return has_value_; }

  // The Thrift form: min/max omitted when there is no non-null, non-NaN
  // value. Longer strings are cut to `max_string_bytes` at a character
  // boundary (max rounded up so it still bounds) and flagged inexact.
  format::Statistics to_thrift(std::size_t max_string_bytes) const;

 private:
  template <class T>
  void widen(T value, T& min, T& max) {
    if (!has_value_) {
      min = max = value;
      has_value_ = true;
      return;
    }
    if (value < min) min = value;
    if (value > max) max = value;
  }

  table::Type type_;
  std::int64_t null_count_ = 0;
  std::int64_t nan_count_ = 0;
  bool has_value_ = false;
  std::int64_t int_min_ = 0, int_max_ = 0;
  double double_min_ = 0, double_max_ = 0;
  bool bool_min_ = false, bool_max_ = false;
  std::string string_min_, string_max_;
};

// A valid UTF-8 string of at most `max_bytes` bytes that sorts (bytewise)
// above `value`: a prefix with its last character raised. Empty when none
// exists. `value` must be valid UTF-8 and longer than `max_bytes`.
std::string utf8_upper_bound(std::string_view value, std::size_t max_bytes);

}  // namespace marquee::parquet

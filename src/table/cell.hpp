#pragma once
#include <cstdint>
#include <string_view>
#include <variant>

#include "table/schema.hpp"

namespace marquee::table {

struct Null {
  bool operator==(const Null&) const = default;
};

// One value of a row. The alternative must match the column's Type (see
// schema.hpp); Null only in nullable columns. Strings are borrowed: they must
// stay valid until write_row() returns.
using Cell = std::variant<Null, std::int32_t, std::int64_t, double, bool, std::string_view>;

// True when `cell` may be stored in `column`.
bool cell_matches(const Cell& cell, const Column& column);

// Days since 1970-01-01 <-> civil date (Howard Hinnant's algorithm).
std::int32_t days_from_civil(int year, unsigned month, unsigned day);
void civil_from_days(std::int32_t days, int& year, unsigned& month, unsigned& day);

}  // namespace marquee::table

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

// The Cell alternative that holds values of `type`.
constexpr std::size_t cell_index_of(Type type) {
  switch (type) {
    case Type::Int32:
    case Type::Date: return 1;
    case Type::Int64: return 2;
    case Type::Double: return 3;
    case Type::Bool: return 4;
    case Type::String: return 5;
  }
  return std::variant_npos;
}

// True when `cell` may be stored in `column`. Inline: every cell written is
// checked.
inline bool cell_matches(const Cell& cell, const Column& column) {
  if (std::holds_alternative<Null>(cell)) return column.nullable;
  return cell.index() == cell_index_of(column.type);
}

// Days since 1970-01-01 <-> civil date (Howard Hinnant's algorithm).
std::int32_t days_from_civil(int year, unsigned month, unsigned day);
void civil_from_days(std::int32_t days, int& year, unsigned& month, unsigned& day);

}  // namespace marquee::table

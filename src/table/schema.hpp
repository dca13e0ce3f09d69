#pragma once
// Generic tables: what every writer (CSV, Parquet) and loader (SQLite,
// PostgreSQL) is written against. Knows nothing about movies.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace marquee::table {

enum class Type : std::uint8_t {
  Int32,   // cell holds int32_t
  Int64,   // cell holds int64_t
  Double,  // cell holds double
  Bool,    // cell holds bool
  String,  // cell holds std::string_view, valid UTF-8
  Date,    // cell holds int32_t: days since 1970-01-01 (proleptic Gregorian)
};

std::string_view type_name(Type type);

struct Column {
  std::string name;
  Type type;
  bool nullable = false;
};

struct Schema {
  std::string name;  // table name, also the artifact's file stem
  std::vector<Column> columns;

  // Index of the column called `column`; throws std::out_of_range if absent.
  std::size_t index_of(std::string_view column) const;
};

}  // namespace marquee::table

// Property test: random tables (random_tables.hpp) written by the writer
// read back exactly through the reader, and every chunk's statistics equal
// min/max/null counts computed here independently from the rows.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>

#include "parquet/random_tables.hpp"
#include "parquet/reader.hpp"
#include "parquet/test_util.hpp"
#include "parquet/writer.hpp"

namespace marquee::parquet {
namespace {

using table::OwnedCell;

// PLAIN encoding of a statistic, computed without the writer's code.
std::string plain(const OwnedCell& cell, table::Type type) {
  std::string out;
  auto le = [&](std::uint64_t v, int n) {
    for (int i = 0; i < n; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
  };
  switch (type) {
    case table::Type::Int32:
    case table::Type::Date: le(static_cast<std::uint32_t>(std::get<std::int32_t>(cell)), 4); break;
    case table::Type::Int64: le(static_cast<std::uint64_t>(std::get<std::int64_t>(cell)), 8); break;
    case table::Type::Double: le(std::bit_cast<std::uint64_t>(std::get<double>(cell)), 8); break;
    case table::Type::Bool: out.push_back(std::get<bool>(cell) ? 1 : 0); break;
    case table::Type::String: out = std::get<std::string>(cell); break;
  }
  return out;
}

bool less(const OwnedCell& a, const OwnedCell& b) {
  if (const auto* s = std::get_if<std::string>(&a)) {
    // Unsigned bytewise, spelled out rather than trusting operator<.
    const std::string& t = std::get<std::string>(b);
    for (std::size_t i = 0; i < std::min(s->size(), t.size()); ++i) {
      const auto x = static_cast<unsigned char>((*s)[i]), y = static_cast<unsigned char>(t[i]);
      if (x != y) return x < y;
    }
    return s->size() < t.size();
  }
  return std::visit(
      [&](const auto& x) -> bool {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, table::Null> || std::is_same_v<T, std::string>) {
          return false;
        } else {
          return x < std::get<T>(b);  // numeric; false < true
        }
      },
      a);
}

void check_statistics(const format::Statistics& stats, const std::vector<table::OwnedRow>& rows, std::size_t first,
                      std::size_t count, std::size_t column, table::Type type, std::size_t max_string_bytes) {
  std::int64_t nulls = 0;
  std::optional<OwnedCell> min, max;
  for (std::size_t r = first; r < first + count; ++r) {
    const OwnedCell& cell = rows[r][column];
    if (std::holds_alternative<table::Null>(cell)) {
      ++nulls;
      continue;
    }
    if (!min || less(cell, *min)) min = cell;
    if (!max || less(*max, cell)) max = cell;
  }
  EXPECT_EQ(stats.null_count, nulls);
  if (!min) {
    EXPECT_FALSE(stats.min_value);
    EXPECT_FALSE(stats.max_value);
    return;
  }
  ASSERT_TRUE(stats.min_value && stats.max_value);
  if (type == table::Type::Double) {
    // Zeros are widened: min -0.0, max +0.0.
    if (std::get<double>(*min) == 0.0) min = -0.0;
    if (std::get<double>(*max) == 0.0) max = 0.0;
  }
  if (type == table::Type::String && (std::get<std::string>(*min).size() > max_string_bytes ||
                                      std::get<std::string>(*max).size() > max_string_bytes)) {
    // Truncated bounds: must still bound, and be short.
    EXPECT_LE(stats.min_value->size(), max_string_bytes);
    EXPECT_LE(stats.max_value->size(), max_string_bytes);
    EXPECT_FALSE(less(*min, OwnedCell(*stats.min_value)));
    EXPECT_FALSE(less(OwnedCell(*stats.max_value), *max));
    return;
  }
  EXPECT_EQ(stats.min_value, plain(*min, type));
  EXPECT_EQ(stats.max_value, plain(*max, type));
}

TEST(ParquetProperty, RandomTablesRoundTripExactly) {
  testing::TempDir dir;
  const int iterations = 1000;
  for (int i = 0; i < iterations; ++i) {
    const std::uint64_t seed = 0x5EED0000 + static_cast<std::uint64_t>(i);
    SCOPED_TRACE("seed " + std::to_string(seed) + " (random_table(seed, ...) rebuilds the case)");
    const auto t = testing::random_table(seed, std::string("t") + std::to_string(i), 400);
    ParquetTableSink sink(dir.path(), t.options);
    testing::write_table(sink, t);

    ParquetReader reader(dir.path() / (t.schema.name + ".parquet"));
    ASSERT_EQ(reader.num_rows(), t.rows.size());
    ASSERT_EQ(reader.schema().columns.size(), t.schema.columns.size());
    for (std::size_t c = 0; c < t.schema.columns.size(); ++c) {
      EXPECT_EQ(reader.schema().columns[c].name, t.schema.columns[c].name);
      EXPECT_EQ(reader.schema().columns[c].type, t.schema.columns[c].type);
      EXPECT_EQ(reader.schema().columns[c].nullable, t.schema.columns[c].nullable);
    }
    const auto rows = testing::read_rows(reader);
    ASSERT_EQ(rows.size(), t.rows.size());
    for (std::size_t r = 0; r < rows.size(); ++r) {
      for (std::size_t c = 0; c < rows[r].size(); ++c) {
        ASSERT_TRUE(testing::same_cell(rows[r][c], t.rows[r][c])) << "row " << r << " column " << c;
      }
    }
    std::size_t first = 0;
    for (const auto& group : reader.metadata().row_groups) {
      EXPECT_LE(static_cast<std::uint64_t>(group.num_rows), t.options.row_group_max_rows);
      for (std::size_t c = 0; c < group.columns.size(); ++c) {
        ASSERT_TRUE(group.columns[c].meta_data->statistics);
        check_statistics(*group.columns[c].meta_data->statistics, t.rows, first,
                         static_cast<std::size_t>(group.num_rows), c, t.schema.columns[c].type,
                         t.options.statistics_max_bytes);
      }
      first += static_cast<std::size_t>(group.num_rows);
    }
    std::filesystem::remove(dir.path() / (t.schema.name + ".parquet"));
  }
}

}  // namespace
}  // namespace marquee::parquet

#include "table/cell.hpp"

#include <gtest/gtest.h>

#include "table/table_writer.hpp"

namespace marquee::table {

TEST(Dates, KnownDays) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(1995, 10, 30), 9433);  // 25 years of 365 + 6 leap days + 302
  EXPECT_EQ(days_from_civil(1969, 12, 31), -1);
  EXPECT_EQ(days_from_civil(2000, 3, 1), 11017);
}

TEST(Dates, RoundTripEveryDayOverFourCenturies) {
  for (std::int32_t z = days_from_civil(1800, 1, 1); z < days_from_civil(2200, 1, 1); ++z) {
    int y;
    unsigned m, d;
    civil_from_days(z, y, m, d);
    ASSERT_EQ(days_from_civil(y, m, d), z);
  }
}

TEST(CheckRow, RejectsWrongTypesWidthsAndNulls) {
  const Schema s{"t", {{"a", Type::Int64, false}, {"b", Type::String, true}}};
  const Cell good[] = {std::int64_t{1}, Null{}};
  EXPECT_NO_THROW(check_row(s, good));
  const Cell narrow[] = {std::int64_t{1}};
  EXPECT_THROW(check_row(s, narrow), std::invalid_argument);
  const Cell wrong_type[] = {std::int32_t{1}, Null{}};
  EXPECT_THROW(check_row(s, wrong_type), std::invalid_argument);
  const Cell null_required[] = {Null{}, Null{}};
  EXPECT_THROW(check_row(s, null_required), std::invalid_argument);
}

}  // namespace marquee::table

#include "common/chunked_vector.hpp"

#include <gtest/gtest.h>

#include <cstdint>

namespace marquee {
namespace {

TEST(ChunkedVectorTest, IndicesAndAddressesSurviveGrowth) {
  ChunkedVector<std::int64_t, 3> v;  // chunks of 8, so 100 elements cross 12 chunks
  EXPECT_TRUE(v.empty());
  const std::int64_t* first = &v.emplace_back(7);
  for (std::int64_t i = 1; i < 100; ++i) v.push_back(i * 3);
  ASSERT_EQ(v.size(), 100u);
  EXPECT_EQ(first, &v[0]);  // never moved
  EXPECT_EQ(v[0], 7);
  for (std::int64_t i = 1; i < 100; ++i) EXPECT_EQ(v[static_cast<std::size_t>(i)], i * 3);
  v[63] = -1;
  const auto& c = v;
  EXPECT_EQ(c[63], -1);
  EXPECT_EQ(c[64], 192);
}

TEST(ChunkedVectorTest, EmplacedElementsStartFromTheirConstructor) {
  struct Totals {
    std::int64_t count = 0;
    double sum = 0.5;
  };
  ChunkedVector<Totals, 1> v;
  v.emplace_back().count = 4;
  v.emplace_back();
  v.emplace_back(Totals{9, 1.5});
  EXPECT_EQ(v[0].count, 4);
  EXPECT_EQ(v[1].count, 0);
  EXPECT_EQ(v[1].sum, 0.5);
  EXPECT_EQ(v[2].count, 9);
}

TEST(ChunkedVectorTest, ResizeGrowsWithDefaultElementsAndKeepsTheOthers) {
  ChunkedVector<int, 2> v;  // chunks of 4
  v.push_back(5);
  v.resize(10);
  ASSERT_EQ(v.size(), 10u);
  EXPECT_EQ(v[0], 5);
  for (std::size_t i = 1; i < 10; ++i) EXPECT_EQ(v[i], 0);
  v[9] = 3;
  v.resize(4);  // never shrinks
  EXPECT_EQ(v.size(), 10u);
  EXPECT_EQ(v[9], 3);
  v.push_back(8);
  EXPECT_EQ(v[10], 8);
}

}  // namespace
}  // namespace marquee

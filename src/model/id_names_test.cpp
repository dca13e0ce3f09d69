#include "model/id_names.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace marquee::model {
namespace {

TEST(IdNamesTest, FirstNameWinsAndLookupsFindIt) {
  IdNames names;
  bool added = false;
  EXPECT_EQ(names.add(7, "Pixar", added), "Pixar");
  EXPECT_TRUE(added);
  EXPECT_EQ(names.add(7, "Pixar Animation", added), "Pixar");
  EXPECT_FALSE(added);
  EXPECT_EQ(names.add(3, "", added), "");
  EXPECT_TRUE(added);
  ASSERT_NE(names.find(7), nullptr);
  EXPECT_EQ(*names.find(7), "Pixar");
  EXPECT_EQ(*names.find(3), "");
  EXPECT_EQ(names.find(8), nullptr);
  EXPECT_EQ(names.size(), 2u);
}

TEST(IdNamesTest, OrderedByIdAndNamesSurviveManyBlocks) {
  IdNames names;
  bool added = false;
  const std::string huge(3u << 20, 'x');  // longer than a block
  std::vector<std::string_view> kept;
  for (std::int64_t i = 200000; i > 0; --i) kept.push_back(names.add(i, "company number " + std::to_string(i), added));
  const std::string_view big = names.add(-5, huge, added);
  EXPECT_EQ(big, huge);
  EXPECT_EQ(kept.front(), "company number 200000");  // still valid after later blocks
  std::vector<std::int64_t> ids;
  names.for_each_ordered([&](std::int64_t id, std::string_view name) {
    ids.push_back(id);
    if (id > 0) {
      EXPECT_EQ(name, "company number " + std::to_string(id));
    }
  });
  ASSERT_EQ(ids.size(), 200001u);
  EXPECT_EQ(ids.front(), -5);
  for (std::size_t i = 1; i < ids.size(); ++i) EXPECT_EQ(ids[i], static_cast<std::int64_t>(i));
}

}  // namespace
}  // namespace marquee::model

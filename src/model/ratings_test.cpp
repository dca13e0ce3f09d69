#include "model/ratings.hpp"

#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

namespace marquee::model {
namespace {

const RatingColumns kRatingColumns{0, 1, 2, 3};
const LinkColumns kLinkColumns{0, 1, 2};

std::optional<Rating> rating(std::string_view stars, RowError& error) {
  const std::vector<std::string_view> fields = {"7", "31", stars, "1260759144"};
  return parse_rating(fields, kRatingColumns, error);
}

TEST(ParseRating, HalfStarsFromHalfToFive) {
  RowError error;
  for (const auto& [text, halves] : std::vector<std::pair<std::string_view, int>>{
           {"0.5", 1}, {"1", 2}, {"2.5", 5}, {"4.0", 8}, {"4.50", 9}, {"5", 10}, {"5e0", 10}, {"0.05e1", 1}}) {
    const auto r = rating(text, error);
    ASSERT_TRUE(r) << text;
    EXPECT_EQ(r->half_stars, halves) << text;
    EXPECT_EQ(r->timestamp, 1260759144);
  }
}

TEST(ParseRating, RejectsOffStepOutOfRangeAndNonNumbers) {
  for (const char* text : {"0", "0.0", "0.25", "3.3", "5.5", "10", "-1", "", "abc", "nan", "inf", " 4", "4,5"}) {
    RowError error;
    EXPECT_FALSE(rating(text, error)) << text;
    EXPECT_EQ(error.reason, Reason::InvalidRating) << text;
    EXPECT_EQ(error.column, "rating");
  }
}

TEST(ParseRating, BadIdsAndTimestampsAreInvalidNumbers) {
  const std::vector<std::pair<std::vector<std::string_view>, std::string>> cases = {
      {{"0", "31", "4.0", "1"}, "userId"},   {{"x", "31", "4.0", "1"}, "userId"},
      {{"7", "", "4.0", "1"}, "movieId"},    {{"7", "-31", "4.0", "1"}, "movieId"},
      {{"7", "31", "4.0", "-1"}, "timestamp"}, {{"7", "31", "4.0", "1.5"}, "timestamp"},
  };
  for (const auto& [fields, column] : cases) {
    RowError error;
    EXPECT_FALSE(parse_rating(fields, kRatingColumns, error)) << column;
    EXPECT_EQ(error.reason, Reason::InvalidNumber);
    EXPECT_EQ(error.column, column);
  }
}

TEST(ParseLink, KeepsImdbDigitsAndAllowsEmptyTmdb) {
  RowError error;
  const std::vector<std::string_view> full = {"1", "0114709", "862"};
  const auto link = parse_link(full, kLinkColumns, error);
  ASSERT_TRUE(link);
  EXPECT_EQ(link->movielens_id, 1);
  EXPECT_EQ(link->imdb_id, "0114709");  // leading zero kept
  EXPECT_EQ(link->tmdb_id, 862);
  const std::vector<std::string_view> empty = {"2", "", ""};
  const auto bare = parse_link(empty, kLinkColumns, error);
  ASSERT_TRUE(bare);
  EXPECT_FALSE(bare->imdb_id);
  EXPECT_FALSE(bare->tmdb_id);
}

TEST(ParseLink, NamesTheFirstBadColumn) {
  const std::vector<std::pair<std::vector<std::string_view>, std::string>> cases = {
      {{"0", "1", "2"}, "movieId"}, {{"1", "tt01", "2"}, "imdbId"}, {{"1", "1234567890123", "2"}, "imdbId"},
      {{"1", "1", "0"}, "tmdbId"},  {{"1", "1", "2.0"}, "tmdbId"},  {{"x", "y", "z"}, "movieId"},
  };
  for (const auto& [fields, column] : cases) {
    RowError error;
    EXPECT_FALSE(parse_link(fields, kLinkColumns, error)) << column;
    EXPECT_EQ(error.reason, Reason::InvalidLink);
    EXPECT_EQ(error.column, column);
  }
}

TEST(RatingAggregate, ExactSumMeanAndTimeRange) {
  RatingAggregate a;
  for (const auto& [halves, time] : std::vector<std::pair<int, std::int64_t>>{{7, 300}, {10, 100}, {1, 200}}) {
    Rating r;
    r.half_stars = halves;
    r.timestamp = time;
    a.add(r);
  }
  EXPECT_EQ(a.count, 3u);
  EXPECT_EQ(a.sum(), 9.0);        // 3.5 + 5 + 0.5
  EXPECT_EQ(a.mean(), 3.0);
  EXPECT_EQ(a.first_rated, 100);
  EXPECT_EQ(a.last_rated, 300);
}

TEST(RatingColumnsTest, FoundByNameInAnyOrderAndMissingOneNamed) {
  std::string missing;
  const std::vector<std::string> header = {"timestamp", "extra", "rating", "movieId", "userId"};
  const auto at = rating_columns(header, missing);
  ASSERT_TRUE(at);
  EXPECT_EQ(at->user_id, 4u);
  EXPECT_EQ(at->rating, 2u);
  const std::vector<std::string> links = {"movieId", "tmdbId"};
  EXPECT_FALSE(link_columns(links, missing));
  EXPECT_EQ(missing, "imdbId");
}

}  // namespace
}  // namespace marquee::model

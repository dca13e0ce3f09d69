#include "api/publish_channel.hpp"

#include <gtest/gtest.h>

namespace marquee::api {
namespace {

TEST(PublishChannel, AnnouncementsRoundTrip) {
  const Announcement a{"20260101T000000Z-ab12", "16/B374D848"};
  EXPECT_EQ(format_announcement(a), "20260101T000000Z-ab12 16/B374D848");
  EXPECT_EQ(parse_announcement(format_announcement(a)), a);
  EXPECT_EQ(parse_announcement("r1 0/0"), (Announcement{"r1", "0/0"}));
}

TEST(PublishChannel, AnythingElseFromRedisIsIgnored) {
  for (const char* bad : {"", "r1", "r1 ", " 0/1", "r1 0/1 extra", "r1 01", "r1 /1", "r1 1/", "r1 G/1",
                          "r1 123456789/1", "bad'id 0/1", "r1 0/1;DROP", "r1  0/1"})
    EXPECT_FALSE(parse_announcement(bad).has_value()) << bad;
}

}  // namespace
}  // namespace marquee::api

#include "common/redis_url.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace marquee {
namespace {

TEST(RedisUrlTest, ReadsEveryPart) {
  const RedisEndpoint e = parse_redis_url("redis://:s3cret@cache.example:6380/2");
  EXPECT_EQ(e.host, "cache.example");
  EXPECT_EQ(e.port, 6380);
  EXPECT_EQ(e.database, 2);
  EXPECT_EQ(e.password, "s3cret");
}

TEST(RedisUrlTest, DefaultsPortAndDatabase) {
  const RedisEndpoint e = parse_redis_url("redis://localhost");
  EXPECT_EQ(e.host, "localhost");
  EXPECT_EQ(e.port, 6379);
  EXPECT_EQ(e.database, 0);
}

TEST(RedisUrlTest, RefusesPortsOutsideTcpRange) {
  EXPECT_THROW(parse_redis_url("redis://h:0"), std::invalid_argument);
  EXPECT_THROW(parse_redis_url("redis://h:65536"), std::invalid_argument);
  EXPECT_THROW(parse_redis_url("redis://h:70000"), std::invalid_argument);
  EXPECT_THROW(parse_redis_url("redis://h:-1"), std::invalid_argument);
  EXPECT_EQ(parse_redis_url("redis://h:65535").port, 65535);
  EXPECT_EQ(parse_redis_url("redis://h:1").port, 1);
}

TEST(RedisUrlTest, RefusesOtherSchemesAndMissingHost) {
  EXPECT_THROW(parse_redis_url("http://h:6379"), std::invalid_argument);
  EXPECT_THROW(parse_redis_url("redis://:6379"), std::invalid_argument);
  EXPECT_THROW(parse_redis_url("redis://h:63x9"), std::invalid_argument);
}

}  // namespace
}  // namespace marquee

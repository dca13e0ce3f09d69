#include "api/response_cache.hpp"

#include <gtest/gtest.h>

namespace marquee::api {
namespace {

std::shared_ptr<const CachedResponse> body_of(std::size_t size, char fill = 'x') {
  return std::make_shared<const CachedResponse>(CachedResponse{std::string(size, fill), "\"e\""});
}

TEST(ResponseCache, ReturnsWhatWasPut) {
  ResponseCache cache(1 << 20);
  EXPECT_EQ(cache.get("a"), nullptr);
  cache.put("a", body_of(10, 'a'));
  ASSERT_NE(cache.get("a"), nullptr);
  EXPECT_EQ(cache.get("a")->body, std::string(10, 'a'));
  EXPECT_EQ(cache.entries(), 1u);
}

// With a 1-byte key, a 100-byte body and a 3-byte ETag an entry costs
// 2*1 + 100 + 3 + 160 (overhead) = 265 bytes, so a 2120-byte cache holds 8.
constexpr std::size_t kEntry = 265;

TEST(ResponseCache, StaysWithinItsByteBound) {
  ResponseCache cache(8 * kEntry);
  for (char key = 'a'; key <= 'z'; ++key) cache.put(std::string(1, key), body_of(100));
  EXPECT_EQ(cache.entries(), 8u);
  EXPECT_LE(cache.bytes(), cache.capacity());
  for (char key = 's'; key <= 'z'; ++key) EXPECT_NE(cache.get(std::string(1, key)), nullptr) << key;
  EXPECT_EQ(cache.get("r"), nullptr);
}

TEST(ResponseCache, EvictsTheLeastRecentlyUsed) {
  ResponseCache cache(8 * kEntry);
  for (char key = 'a'; key <= 'h'; ++key) cache.put(std::string(1, key), body_of(100));
  ASSERT_NE(cache.get("a"), nullptr);  // a becomes the most recently used
  cache.put("i", body_of(100));        // so b, not a, makes room
  EXPECT_NE(cache.get("a"), nullptr);
  EXPECT_EQ(cache.get("b"), nullptr);
  EXPECT_NE(cache.get("i"), nullptr);
}

TEST(ResponseCache, SkipsEntriesLargerThanAnEighthOfTheBound) {
  ResponseCache cache(8000);
  cache.put("small", body_of(100));
  cache.put("huge", body_of(2000));
  EXPECT_EQ(cache.get("huge"), nullptr);
  EXPECT_NE(cache.get("small"), nullptr);
}

TEST(ResponseCache, ReplacingAKeyDoesNotLeakBytes) {
  ResponseCache cache(1 << 20);
  cache.put("a", body_of(100));
  const std::size_t once = cache.bytes();
  for (int i = 0; i < 10; ++i) cache.put("a", body_of(100));
  EXPECT_EQ(cache.bytes(), once);
  EXPECT_EQ(cache.entries(), 1u);
}

TEST(ResponseCache, HeldEntriesSurviveEviction) {
  ResponseCache cache(8 * kEntry);
  cache.put("a", body_of(100, 'a'));
  auto held = cache.get("a");
  for (char key = 'b'; key <= 'z'; ++key) cache.put(std::string(1, key), body_of(100));
  EXPECT_EQ(cache.get("a"), nullptr);
  EXPECT_EQ(held->body, std::string(100, 'a'));
}

}  // namespace
}  // namespace marquee::api

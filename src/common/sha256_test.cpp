#include "common/sha256.hpp"

#include <gtest/gtest.h>

namespace marquee {

// Digests from FIPS 180-2 appendix B.
TEST(Sha256, KnownVectors) {
  EXPECT_EQ(Sha256::of(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256::of("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, IncrementalEqualsOneShot) {
  Sha256 h;
  h.update("a");
  h.update("bc");
  EXPECT_EQ(h.hex_digest(), Sha256::of("abc"));
}

TEST(Sha256, MissingFileNamesPath) {
  try {
    Sha256::of_file("/nonexistent/marquee");
    FAIL();
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/marquee"), std::string::npos);
  }
}

}  // namespace marquee

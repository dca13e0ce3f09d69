#include "common/utf8.hpp"

#include <gtest/gtest.h>

namespace marquee::utf8 {

TEST(Utf8, AcceptsWellFormedText) {
  EXPECT_TRUE(is_valid(""));
  EXPECT_TRUE(is_valid("Toy Story"));
  EXPECT_TRUE(is_valid("Fran\xC3\xA7" "ais"));             // ç
  EXPECT_TRUE(is_valid("\xE6\x97\xA5\xE6\x9C\xAC"));        // 日本
  EXPECT_TRUE(is_valid("\xF0\x9F\x98\x80"));                // U+1F600
}

TEST(Utf8, RejectsIllFormedText) {
  EXPECT_FALSE(is_valid("\xC3"));              // truncated
  EXPECT_FALSE(is_valid("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(is_valid("\xED\xA0\x80"));      // surrogate U+D800
  EXPECT_FALSE(is_valid("\xF4\x90\x80\x80"));  // U+110000
  EXPECT_FALSE(is_valid("\xFF"));
  EXPECT_FALSE(is_valid("abc\x80"));
}

TEST(Utf8, SanitizeReplacesEachBadByte) {
  EXPECT_EQ(sanitize("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(sanitize("\xC3"), "\xEF\xBF\xBD");
  EXPECT_EQ(sanitize("ok \xC3\xA9"), "ok \xC3\xA9");
}

TEST(Utf8, TruncateNeverCutsACharacter) {
  EXPECT_EQ(truncate("abc", 10), "abc");
  EXPECT_EQ(truncate("ab\xC3\xA9", 3), "ab");
  EXPECT_EQ(truncate("ab\xC3\xA9", 4), "ab\xC3\xA9");
  EXPECT_EQ(truncate("\xF0\x9F\x98\x80x", 3), "");
}

TEST(Utf8, ExcerptIsShortAndValid) {
  const std::string raw = std::string(199, 'a') + "\xC3\xA9" + "tail";
  const std::string e = excerpt(raw, 200);
  EXPECT_EQ(e, std::string(199, 'a'));
  EXPECT_TRUE(is_valid(excerpt("\xFF\xFE", 200)));
  EXPECT_LE(excerpt(std::string(1000, '\xFF'), 200).size(), 200u);
}

TEST(Utf8, AppendCodePoint) {
  std::string s;
  EXPECT_TRUE(append_code_point(s, U'\u00E9'));
  EXPECT_TRUE(append_code_point(s, U'\U0001F600'));
  EXPECT_EQ(s, "\xC3\xA9\xF0\x9F\x98\x80");
  EXPECT_FALSE(append_code_point(s, 0xD800));
  EXPECT_FALSE(append_code_point(s, 0x110000));
}

}  // namespace marquee::utf8

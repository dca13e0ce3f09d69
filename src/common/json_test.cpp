#include "common/json.hpp"

#include <gtest/gtest.h>

namespace marquee::json {

TEST(Json, EscapesStrings) {
  std::string out;
  append_string(out, "a\"b\\c\nd\te\x01");
  EXPECT_EQ(out, R"("a\"b\\c\nd\te\u0001")");
}

TEST(Json, ReplacesIllFormedUtf8) {
  std::string out;
  append_string(out, "x\xFF");
  EXPECT_EQ(out, "\"x\xEF\xBF\xBD\"");
}

TEST(Json, WritesObjectsInCallOrder) {
  std::string out;
  ObjectWriter(out)
      .field("s", "v")
      .field("i", std::int64_t{-3})
      .field("u", std::uint64_t{7})
      .field("d", 0.5)
      .field("b", true)
      .null_field("n")
      .field("oi", std::optional<std::int64_t>{})
      .field("os", std::optional<std::string>{"x"})
      .raw_field("r", "[1]")
      .close();
  EXPECT_EQ(out, R"({"s":"v","i":-3,"u":7,"d":0.5,"b":true,"n":null,"oi":null,"os":"x","r":[1]})");
}

}  // namespace marquee::json

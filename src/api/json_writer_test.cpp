#include "api/json_writer.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace marquee::api {
namespace {

TEST(JsonWriter, NestsObjectsAndArraysWithCommas) {
  JsonWriter w;
  w.begin_object().field("a", std::int64_t{1}).key("b").begin_array();
  w.value(std::int64_t{2}).begin_object().field("c", "x").end_object().value(true).null();
  w.end_array().field("d", false).end_object();
  EXPECT_EQ(w.str(), R"({"a":1,"b":[2,{"c":"x"},true,null],"d":false})");
}

TEST(JsonWriter, EmptyContainers) {
  JsonWriter w;
  w.begin_object().key("a").begin_array().end_array().key("o").begin_object().end_object().end_object();
  EXPECT_EQ(w.str(), R"({"a":[],"o":{}})");
}

TEST(JsonWriter, EscapesStrings) {
  JsonWriter w;
  w.begin_array().value("quote \" backslash \\ newline \n tab \t bell \x07").value("Ça").end_array();
  EXPECT_EQ(w.str(), "[\"quote \\\" backslash \\\\ newline \\n tab \\t bell \\u0007\",\"Ça\"]");
}

TEST(JsonWriter, DoublesAreShortestRoundTripAndNonFiniteIsNull) {
  JsonWriter w;
  w.begin_array().value(0.1).value(7.25).value(1e20).value(100.0).value(std::nan(""));
  w.value(std::numeric_limits<double>::infinity()).end_array();
  EXPECT_EQ(w.str(), "[0.1,7.25,1e+20,100,null,null]");
}

TEST(JsonWriter, IntegersKeepAllDigits) {
  JsonWriter w;
  w.begin_array().value(std::numeric_limits<std::int64_t>::max()).value(std::int64_t{-5}).end_array();
  EXPECT_EQ(w.str(), "[9223372036854775807,-5]");
}

TEST(JsonWriter, OptionalValues) {
  JsonWriter w;
  w.begin_object().field("a", std::optional<double>{}).field("b", std::optional<std::int32_t>{3}).end_object();
  EXPECT_EQ(w.str(), R"({"a":null,"b":3})");
}

TEST(JsonWriter, RawValueIsInsertedVerbatim) {
  JsonWriter w;
  w.begin_object().key("m").raw(R"({"x":[1]})").field("n", std::int64_t{2}).end_object();
  EXPECT_EQ(w.str(), R"({"m":{"x":[1]},"n":2})");
}

}  // namespace
}  // namespace marquee::api

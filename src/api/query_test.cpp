#include "api/query.hpp"

#include <gtest/gtest.h>

namespace marquee::api {
namespace {

ApiError error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const ApiError& e) {
    return e;
  }
  ADD_FAILURE() << "no ApiError thrown";
  return {};
}

TEST(ParseTarget, SplitsPathAndDecodesQuery) {
  const Target t = parse_target("/v1/companies?q=Warner+Bros%2E&limit=10&&flag");
  EXPECT_EQ(t.path, "/v1/companies");
  ASSERT_EQ(t.query.size(), 3u);
  EXPECT_EQ(t.query[0], (std::pair<std::string, std::string>{"q", "Warner Bros."}));
  EXPECT_EQ(t.query[1], (std::pair<std::string, std::string>{"limit", "10"}));
  EXPECT_EQ(t.query[2], (std::pair<std::string, std::string>{"flag", ""}));
}

TEST(ParseTarget, DecodesPathButKeepsPlus) {
  EXPECT_EQ(parse_target("/v1/companies/%31%32").path, "/v1/companies/12");
  EXPECT_EQ(parse_target("/a+b").path, "/a+b");
  EXPECT_EQ(parse_target("/x?q=%C3%87a").query[0].second, "Ça");
}

TEST(ParseTarget, RejectsBadEscapesNonUtf8AndNonPaths) {
  for (const char* bad : {"/x?q=%", "/x?q=%4", "/x?q=%zz", "/x?q=%ff", "/x?q=%00", "x", "", "http://h/x", "/%c3"}) {
    const ApiError e = error_of([&] { parse_target(bad); });
    EXPECT_EQ(e.status, 400) << bad;
    EXPECT_EQ(e.code, "invalid_request") << bad;
  }
}

TEST(QueryParams, RejectsUnknownAndRepeatedParametersByName) {
  const std::vector<std::pair<std::string, std::string>> unknown{{"limit", "1"}, {"lmit", "2"}};
  ApiError e = error_of([&] { QueryParams(unknown, {"limit"}); });
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.parameter, "lmit");
  EXPECT_NE(e.message.find("unknown parameter"), std::string::npos);

  const std::vector<std::pair<std::string, std::string>> twice{{"limit", "1"}, {"limit", "2"}};
  e = error_of([&] { QueryParams(twice, {"limit"}); });
  EXPECT_EQ(e.parameter, "limit");
  EXPECT_NE(e.message.find("more than once"), std::string::npos);
}

TEST(QueryParams, IntegersInRange) {
  const std::vector<std::pair<std::string, std::string>> q{{"a", "0"}, {"b", "1000"}, {"c", ""}, {"d", "-3"}};
  const QueryParams p(q, {"a", "b", "c", "d", "e"});
  EXPECT_EQ(p.integer("a", 0, 10, 5), 0);
  EXPECT_EQ(p.integer("b", 1, 1000, 5), 1000);
  // Issue 10, defect 10: an empty value is given, and is not an integer.
  EXPECT_EQ(error_of([&] { p.integer("c", 1, 1000, 5); }).parameter, "c");
  EXPECT_EQ(p.integer("e", 1, 1000, 7), 7);  // absent = default
  EXPECT_EQ(p.integer("d", -5, 5, 0), -3);
  EXPECT_EQ(error_of([&] { p.integer("b", 1, 999, 5); }).parameter, "b");
  EXPECT_EQ(error_of([&] { p.integer("a", 1, 10, 5); }).parameter, "a");
}

TEST(QueryParams, MalformedIntegers) {
  for (const char* bad : {"1.5", "+3", " 3", "3 ", "0x10", "1e3", "abc", "99999999999999999999999"}) {
    const std::vector<std::pair<std::string, std::string>> q{{"n", bad}};
    const QueryParams p(q, {"n"});
    const ApiError e = error_of([&] { p.integer("n", 0, 100, 1); });
    EXPECT_EQ(e.status, 400) << bad;
    EXPECT_EQ(e.parameter, "n") << bad;
  }
}

TEST(QueryParams, ChoicesAndText) {
  const std::vector<std::pair<std::string, std::string>> q{{"by", "revenue"}, {"bad", "Revenue"}, {"q", "abcd"}};
  const QueryParams p(q, {"by", "bad", "q", "none"});
  EXPECT_EQ(p.choice("by", {"movie_count", "revenue"}, "movie_count"), "revenue");
  EXPECT_EQ(p.choice("none", {"movie_count", "revenue"}, "movie_count"), "movie_count");
  const ApiError e = error_of([&] { p.choice("bad", {"movie_count", "revenue"}, "movie_count"); });
  EXPECT_EQ(e.parameter, "bad");
  EXPECT_NE(e.message.find("movie_count, revenue"), std::string::npos);
  const std::vector<std::pair<std::string, std::string>> empty{{"by", ""}};
  EXPECT_EQ(error_of([&] { QueryParams(empty, {"by"}).choice("by", {"movie_count"}, "movie_count"); }).parameter, "by");
  EXPECT_EQ(p.text("q", 4), "abcd");
  EXPECT_EQ(error_of([&] { p.text("q", 3); }).parameter, "q");
}

}  // namespace
}  // namespace marquee::api

#include "job/error_log.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace marquee::job {

TEST(ErrorLog, JsonLineHasEveryFieldInOrder) {
  std::string out;
  append_jsonl(out, model::Diagnostic{model::Severity::Error, model::Reason::InvalidReleaseDate, 17,
                                      42, std::string("release_date"), "bad \"date\"",
                                      "raw,\xFF text"});
  EXPECT_EQ(out.back(), '\n');
  const auto v = boost::json::parse(out).as_object();
  EXPECT_EQ(v.at("severity"), "error");
  EXPECT_EQ(v.at("reason"), "invalid_release_date");
  EXPECT_EQ(v.at("line").as_int64(), 17);
  EXPECT_EQ(v.at("movie_id").as_int64(), 42);
  EXPECT_EQ(v.at("column"), "release_date");
  EXPECT_EQ(v.at("message"), "bad \"date\"");
  EXPECT_EQ(v.at("excerpt"), "raw,\xEF\xBF\xBD text");
  EXPECT_EQ(out.find("\"severity\""), 1u);
}

TEST(ErrorLog, NullsForUnknownIdAndColumn) {
  std::string out;
  append_jsonl(out, model::Diagnostic{model::Severity::Error, model::Reason::FieldCount, 3,
                                      std::nullopt, std::nullopt, "m", std::string(500, 'x')});
  const auto v = boost::json::parse(out).as_object();
  EXPECT_TRUE(v.at("movie_id").is_null());
  EXPECT_TRUE(v.at("column").is_null());
  EXPECT_EQ(v.at("excerpt").as_string().size(), 200u);
}

}  // namespace marquee::job

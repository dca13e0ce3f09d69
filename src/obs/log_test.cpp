#include "obs/log.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace marquee::obs {
namespace {

TEST(Log, JsonLinesHoldTimeLevelMessageAndFields) {
  const auto line = boost::json::parse(json_log_line("info", "loaded run x", {{"run_id", "x"}})).as_object();
  EXPECT_EQ(line.at("level"), "info");
  EXPECT_EQ(line.at("message"), "loaded run x");
  EXPECT_EQ(line.at("run_id"), "x");
  const std::string time(line.at("time").as_string());
  EXPECT_EQ(time.size(), 24u);
  EXPECT_EQ(time.back(), 'Z');
}

TEST(Log, FormatIsParsedStrictly) {
  EXPECT_EQ(parse_log_format("json"), LogFormat::Json);
  EXPECT_EQ(parse_log_format("text"), LogFormat::Text);
  EXPECT_THROW(parse_log_format("JSON"), std::invalid_argument);
}

}  // namespace
}  // namespace marquee::obs

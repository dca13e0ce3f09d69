#include "obs/log.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <string>

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

// "YYYY-MM-DDTHH:MM" of now, computed with gmtime_r (independent of fmt).
std::string utc_minute() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M", &tm);
  return text;
}

// The 'Z' promises UTC whatever the process's time zone (fmt 9 formats a
// system_clock time_point in local time).
TEST(Log, TimesAreUtcWhateverTheTimeZone) {
  const char* old = std::getenv("TZ");
  const std::string saved = old ? old : "";
  ::setenv("TZ", "JST-9", 1);  // POSIX rule: UTC+9, no tzdata needed
  ::tzset();
  const std::string before = utc_minute();
  const std::string stamp = utc_now_ms();
  const std::string after = utc_minute();
  if (old) ::setenv("TZ", saved.c_str(), 1); else ::unsetenv("TZ");
  ::tzset();
  const std::string minute = stamp.substr(0, 16);
  EXPECT_TRUE(minute == before || minute == after) << stamp << " vs UTC " << before;
}

TEST(Log, FormatIsParsedStrictly) {
  EXPECT_EQ(parse_log_format("json"), LogFormat::Json);
  EXPECT_EQ(parse_log_format("text"), LogFormat::Text);
  EXPECT_THROW(parse_log_format("JSON"), std::invalid_argument);
}

}  // namespace
}  // namespace marquee::obs

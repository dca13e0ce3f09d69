#include "obs/log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <stdexcept>

#include <boost/json.hpp>
#include <fmt/chrono.h>
#include <fmt/format.h>

namespace marquee::obs {
namespace {

std::atomic<LogFormat>& format_slot() {
  static std::atomic<LogFormat> format{LogFormat::Text};
  return format;
}

}  // namespace

void set_log_format(LogFormat format) { format_slot().store(format); }
LogFormat log_format() { return format_slot().load(); }

LogFormat parse_log_format(std::string_view text) {
  if (text == "text") return LogFormat::Text;
  if (text == "json") return LogFormat::Json;
  throw std::invalid_argument(fmt::format("--log-format '{}': expected text or json", text));
}

std::string utc_now_ms() {
  const auto now = std::chrono::system_clock::now();
  const auto seconds = std::chrono::time_point_cast<std::chrono::seconds>(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - seconds).count();
  // fmt 9 formats a system_clock time_point in local time: go through gmtime.
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03d}Z", fmt::gmtime(std::chrono::system_clock::to_time_t(seconds)), ms);
}

std::string json_log_line(std::string_view level, std::string_view message, const LogFields& fields) {
  boost::json::object line;
  line["time"] = utc_now_ms();
  line["level"] = level;
  line["message"] = message;
  for (const auto& [key, value] : fields) {
    if (key != "time" && key != "level" && key != "message") line[key] = value;  // fixed keys stay
  }
  return boost::json::serialize(line);
}

void log(std::string_view level, std::string_view message, const LogFields& fields, std::string_view component) {
  std::string line;
  if (log_format() == LogFormat::Json) {
    LogFields all = fields;
    if (!component.empty()) all.emplace_back("component", std::string(component));
    line = json_log_line(level, message, all);
  } else {
    line = component.empty() ? fmt::format("marquee: {}", message) : fmt::format("marquee {}: {}", component, message);
  }
  line += '\n';
  // One write per line, so lines from threads never interleave.
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace marquee::obs

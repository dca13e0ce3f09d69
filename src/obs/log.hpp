#pragma once
// Log lines on stderr, as text ("marquee: message") or as one JSON object per
// line (time, level, message, then the fields), for log shippers. The format
// is process-wide: set once by the command line (--log-format).
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace marquee::obs {

enum class LogFormat { Text, Json };

void set_log_format(LogFormat format);
LogFormat log_format();
// "text" or "json"; throws std::invalid_argument otherwise.
LogFormat parse_log_format(std::string_view text);

using LogFields = std::vector<std::pair<std::string, std::string>>;

// level: "info", "warning", "error". Text: `marquee: <message>`; the fields
// are for JSON (a text line carries its facts in the message already).
// `component` ("serve"): text lines read "marquee serve: <message>".
void log(std::string_view level, std::string_view message, const LogFields& fields = {},
         std::string_view component = {});

// The same object as a JSON line, without writing it (tests, access log).
std::string json_log_line(std::string_view level, std::string_view message, const LogFields& fields);

// UTC now as 2024-05-01T12:00:00.123Z.
std::string utc_now_ms();

}  // namespace marquee::obs

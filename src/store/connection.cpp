#include "store/connection.hpp"

#include <charconv>
#include <regex>

#include <fmt/format.h>

#include "store/value_text.hpp"

namespace marquee::store {
namespace detail {

std::string double_text(double value) {
  char buffer[32];
  return std::string(buffer, std::to_chars(buffer, buffer + sizeof buffer, value).ptr);
}

std::string date_text(std::int32_t days) {
  int year;
  unsigned month, day;
  table::civil_from_days(days, year, month, day);
  return fmt::format("{:04d}-{:02d}-{:02d}", year, month, day);
}

std::string without_nul(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c == '\0') {
      out += "\xEF\xBF\xBD";
    } else {
      out += c;
    }
  }
  return out;
}

std::string redact_url(std::string_view url) {
  // scheme://user:password@host -> scheme://user:***@host; also password=... in the query.
  static const std::regex userinfo(R"(^([a-z]+://[^:/@]*):[^@/]*@)", std::regex::icase);
  static const std::regex param(R"(([?&]password=)[^&]*)", std::regex::icase);
  std::string out = std::regex_replace(std::string(url), userinfo, "$1:***@");
  return std::regex_replace(out, param, "$1***");
}

std::string quote_identifier(std::string_view name) {
  std::string out = "\"";
  for (const char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace detail

std::unique_ptr<Connection> connect(const std::string& url) {
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    return detail::connect_postgres(url);
  }
  if (url.starts_with("sqlite:")) return detail::connect_sqlite(url.substr(7));
  if (url.empty()) throw DatabaseError("no database given (empty --db)");
  return detail::connect_sqlite(url);
}

}  // namespace marquee::store

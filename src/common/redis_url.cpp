#include "common/redis_url.hpp"

#include <charconv>
#include <stdexcept>

#include <fmt/format.h>

namespace marquee {
namespace {

int parse_number(std::string_view text, std::string_view what) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0)
    throw std::invalid_argument(fmt::format("redis URL: invalid {} '{}'", what, text));
  return value;
}

}  // namespace

RedisEndpoint parse_redis_url(std::string_view url) {
  constexpr std::string_view kScheme = "redis://";
  if (url.substr(0, kScheme.size()) != kScheme)
    throw std::invalid_argument("redis URL must look like redis://host:port");
  std::string_view rest = url.substr(kScheme.size());
  RedisEndpoint endpoint;
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
    std::string_view credentials = rest.substr(0, at);
    if (const auto colon = credentials.find(':'); colon != std::string_view::npos)
      credentials = credentials.substr(colon + 1);
    endpoint.password = std::string(credentials);
    rest = rest.substr(at + 1);
  }
  if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
    if (slash + 1 < rest.size()) endpoint.database = parse_number(rest.substr(slash + 1), "database");
    rest = rest.substr(0, slash);
  }
  if (const auto colon = rest.rfind(':'); colon != std::string_view::npos) {
    endpoint.port = parse_number(rest.substr(colon + 1), "port");
    rest = rest.substr(0, colon);
  }
  if (rest.empty()) throw std::invalid_argument("redis URL has no host");
  endpoint.host = std::string(rest);
  return endpoint;
}

}  // namespace marquee

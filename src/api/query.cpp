#include "api/query.hpp"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "common/utf8.hpp"

namespace marquee::api {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

ApiError bad_target(std::string message) { return ApiError{400, "invalid_request", std::move(message), ""}; }

// `plus_is_space`: form encoding in the query, a literal '+' in the path.
std::string percent_decode(std::string_view text, bool plus_is_space, std::string_view what) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      const bool complete = i + 2 < text.size();
      const int hi = complete ? hex_value(text[i + 1]) : -1;
      const int lo = complete ? hex_value(text[i + 2]) : -1;
      if (hi < 0 || lo < 0) throw bad_target(fmt::format("{}: invalid percent escape", what));
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  if (!utf8::is_valid(out) || out.find('\0') != std::string::npos)
    throw bad_target(fmt::format("{}: not valid UTF-8 text", what));
  return out;
}

std::string describe_choices(std::initializer_list<std::string_view> choices) {
  std::string out;
  for (std::string_view c : choices) {
    if (!out.empty()) out += ", ";
    out += c;
  }
  return out;
}

}  // namespace

std::optional<std::int64_t> parse_integer(std::string_view text) {
  if (text.empty() || text.size() > 20) return std::nullopt;
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

Target parse_target(std::string_view target) {
  if (target.empty() || target.front() != '/') throw bad_target("the request target must be a path");
  const std::size_t question = target.find('?');
  Target out;
  out.path = percent_decode(target.substr(0, question), false, "path");
  if (question == std::string_view::npos) return out;
  std::string_view rest = target.substr(question + 1);
  // A fragment is never sent by conforming clients; drop it rather than fail.
  rest = rest.substr(0, rest.find('#'));
  while (!rest.empty()) {
    const std::size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    std::string name = percent_decode(pair.substr(0, eq), true, "query string");
    std::string value =
        eq == std::string_view::npos ? std::string() : percent_decode(pair.substr(eq + 1), true, "query string");
    out.query.emplace_back(std::move(name), std::move(value));
  }
  return out;
}

QueryParams::QueryParams(const std::vector<std::pair<std::string, std::string>>& query,
                         std::initializer_list<std::string_view> allowed)
    : query_(query) {
  for (std::size_t i = 0; i < query.size(); ++i) {
    const std::string& name = query[i].first;
    // Names are echoed in the message, so keep them short and printable.
    const std::string shown{utf8::truncate(name, 40)};
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end())
      throw bad_parameter(shown, allowed.size() == 0
                                     ? "unknown parameter (this route takes none)"
                                     : fmt::format("unknown parameter (allowed: {})", describe_choices(allowed)));
    for (std::size_t j = 0; j < i; ++j)
      if (query[j].first == name) throw bad_parameter(shown, "given more than once");
  }
}

std::optional<std::string_view> QueryParams::get(std::string_view name) const {
  for (const auto& [key, value] : query_)
    if (key == name) return std::string_view(value);
  return std::nullopt;
}

std::int64_t QueryParams::integer(std::string_view name, std::int64_t min, std::int64_t max,
                                  std::int64_t fallback) const {
  return optional_integer(name, min, max).value_or(fallback);
}

std::optional<std::int64_t> QueryParams::optional_integer(std::string_view name, std::int64_t min,
                                                          std::int64_t max) const {
  const auto raw = get(name);
  if (!raw) return std::nullopt;
  const auto value = parse_integer(*raw);  // an empty value ("?limit=", "?limit") is not an integer
  if (!value || *value < min || *value > max)
    throw bad_parameter(std::string(name), fmt::format("must be an integer from {} to {}", min, max));
  return value;
}

std::string_view QueryParams::choice(std::string_view name,
                                     std::initializer_list<std::string_view> choices,
                                     std::string_view fallback) const {
  const auto raw = get(name);
  if (!raw) return fallback;
  for (std::string_view c : choices)
    if (c == *raw) return c;
  throw bad_parameter(std::string(name), fmt::format("must be one of: {}", describe_choices(choices)));
}

std::string QueryParams::text(std::string_view name, std::size_t max_bytes) const {
  const auto raw = get(name);
  if (!raw) return {};
  if (raw->size() > max_bytes)
    throw bad_parameter(std::string(name), fmt::format("at most {} bytes", max_bytes));
  return std::string(*raw);
}

}  // namespace marquee::api

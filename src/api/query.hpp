#pragma once
// Request targets: the path and query string, percent-decoded, and strict
// validation of query parameters. Every failure is an ApiError (400) that
// names the offending parameter, so clients learn exactly what to fix.
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/http_types.hpp"

namespace marquee::api {

struct Target {
  std::string path;                                        // decoded
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
};

// Throws ApiError 400 for a target that is not origin-form ("/..."), a bad
// percent escape, or bytes that are not UTF-8 once decoded.
Target parse_target(std::string_view target);

class QueryParams {
 public:
  // Throws ApiError 400 for a parameter not in `allowed` or given twice.
  QueryParams(const std::vector<std::pair<std::string, std::string>>& query,
              std::initializer_list<std::string_view> allowed);

  std::optional<std::string_view> get(std::string_view name) const;
  // A decimal integer in [min, max]; absent or empty means `fallback`.
  std::int64_t integer(std::string_view name, std::int64_t min, std::int64_t max,
                       std::int64_t fallback) const;
  std::optional<std::int64_t> optional_integer(std::string_view name, std::int64_t min,
                                               std::int64_t max) const;
  // One of `choices`; absent or empty means `fallback`.
  std::string_view choice(std::string_view name, std::initializer_list<std::string_view> choices,
                          std::string_view fallback) const;
  // Free text of at most `max_bytes` bytes; absent means empty.
  std::string text(std::string_view name, std::size_t max_bytes) const;

 private:
  const std::vector<std::pair<std::string, std::string>>& query_;
};

// Parses a whole decimal integer (optional leading '-', no '+', no spaces).
std::optional<std::int64_t> parse_integer(std::string_view text);

}  // namespace marquee::api

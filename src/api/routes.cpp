#include "api/routes.hpp"

#include <array>

namespace marquee::api {
namespace {

constexpr std::array<RouteSpec, 13> kRoutes{{
    {RouteId::companies, "/v1/companies", true, true},
    {RouteId::company, "/v1/companies/{id}", true, true},
    {RouteId::company_years, "/v1/companies/{id}/years", true, true},
    {RouteId::company_genres, "/v1/companies/{id}/genres", true, true},
    {RouteId::genres, "/v1/genres", true, true},
    {RouteId::genre_years, "/v1/genres/years", true, true},
    {RouteId::most_popular, "/v1/genres/most-popular", true, true},
    {RouteId::runs, "/v1/runs", true, false},
    {RouteId::run_diff, "/v1/runs/{id}/diff", true, false},
    {RouteId::healthz, "/healthz", false, false},
    {RouteId::readyz, "/readyz", false, false},
    {RouteId::metrics, "/metrics", false, false},
    {RouteId::openapi, "/openapi.json", false, false},
}};

// Splits "/a/b" into {"a", "b"}; an empty segment (as in "/a//b" or a
// trailing slash) is kept, so such paths match nothing.
std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.empty() || path.front() != '/') return out;
  path.remove_prefix(1);
  for (;;) {
    const std::size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

bool is_capture(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

std::span<const RouteSpec> routes() { return kRoutes; }

std::optional<RouteMatch> match_route(std::string_view path) {
  const auto actual = segments(path);
  for (const RouteSpec& route : kRoutes) {
    const auto pattern = segments(route.pattern);
    if (pattern.size() != actual.size()) continue;
    RouteMatch match{&route, {}};
    bool ok = true;
    for (std::size_t i = 0; i < pattern.size() && ok; ++i) {
      if (is_capture(pattern[i])) {
        ok = !actual[i].empty();
        match.captures.emplace_back(actual[i]);
      } else {
        ok = pattern[i] == actual[i];
      }
    }
    if (ok) return match;
  }
  return std::nullopt;
}

}  // namespace marquee::api

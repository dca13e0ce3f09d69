#pragma once
// The route table: every path the API answers, in one place, so that the
// dispatcher, the metrics labels and the OpenAPI document (and its test)
// cannot drift apart.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace marquee::api {

enum class RouteId {
  companies,
  company,
  company_years,
  company_genres,
  genres,
  genre_years,
  most_popular,
  runs,
  run_diff,
  healthz,
  readyz,
  metrics,
  openapi,
};

struct RouteSpec {
  RouteId id;
  std::string_view pattern;  // "/v1/companies/{id}": {name} matches one path segment
  bool requires_auth;
  bool reads_a_run;  // data route: takes ?run= and is served from one run's snapshot
};

std::span<const RouteSpec> routes();

struct RouteMatch {
  const RouteSpec* route;
  std::vector<std::string> captures;  // the {name} segments, in order
};

// nullopt when no pattern matches the path.
std::optional<RouteMatch> match_route(std::string_view path);

}  // namespace marquee::api

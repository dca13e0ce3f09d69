#pragma once
// The API's view of one HTTP exchange, free of Beast types so that routing,
// auth, caching and handlers are testable without sockets.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace marquee::api {

struct Request {
  std::string method;         // "GET", "HEAD", ...
  std::string target;         // path and query, as received
  std::string authorization;  // the Authorization header, empty when absent
  std::string if_none_match;  // the If-None-Match header, empty when absent
  // Set by authentication (the token's `sub`), for the access log only.
  mutable std::string subject;
};

// One answered request, for the access log: never the token, never the query.
struct AccessRecord {
  std::string_view method;
  std::string_view route;  // the route's pattern, e.g. /v1/companies/{id}
  int status = 0;
  std::size_t bytes = 0;
  double seconds = 0;
  std::string_view run_id;  // the Marquee-Run answered, empty when none
  std::string_view subject;
};

struct Response {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;  // beyond Content-Type/Length

  void set_header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
};

// A client error or an unavailable dependency, rendered as
// {"error":{"code":..., "message":..., "parameter":...}} with `status`.
// Messages are written for clients: they never carry SQL, paths or secrets.
struct ApiError {
  int status;
  std::string code;
  std::string message;
  std::string parameter;  // set for 400s caused by one parameter
  std::vector<std::pair<std::string, std::string>> headers{};
};

inline ApiError bad_parameter(std::string parameter, std::string message) {
  return ApiError{400, "invalid_parameter", parameter + ": " + message, parameter};
}

// Renders an error as the JSON body every error response shares.
Response error_response(const ApiError& error);

}  // namespace marquee::api

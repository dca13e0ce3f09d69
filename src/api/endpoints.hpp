#pragma once
// The data endpoints: validation of each route's parameters and the JSON
// body built from the read model. A request becomes a DataPlan first (pure
// validation, no database), so bad requests fail fast and the plan's key
// names exactly what the response depends on besides the run.
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/json_writer.hpp"
#include "api/routes.hpp"
#include "store/read_model.hpp"

namespace marquee::api {

struct DataPlan {
  // Route and parameters in canonical form (defaults filled in, fixed order):
  // two requests with equal keys get equal bodies from the same run.
  std::string key;
  // Writes the body's fields after "run"; may throw ApiError (404).
  std::function<void(store::ReadModel&, std::string_view run_id, JsonWriter&)> write_body;
};

using QueryList = std::vector<std::pair<std::string, std::string>>;

// For a route with reads_a_run. Throws ApiError (400) naming a bad parameter;
// "run" is accepted here and left to the caller.
DataPlan plan_data_request(const RouteMatch& match, const QueryList& query);

// The body of /v1/runs.
std::string runs_body(store::ReadModel& model, const store::PublishedPointer* current);

// Limits shared with the OpenAPI document.
inline constexpr std::int64_t kMaxLimit = 1000;
inline constexpr std::int64_t kDefaultLimit = 50;
inline constexpr std::int64_t kMaxOffset = 1'000'000'000;
inline constexpr std::int64_t kMinYear = 0;
inline constexpr std::int64_t kMaxYear = 9999;
inline constexpr std::size_t kMaxSearchBytes = 200;

}  // namespace marquee::api

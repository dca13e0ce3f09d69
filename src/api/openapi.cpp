#include "api/openapi.hpp"

#include <boost/json.hpp>

#include "api/endpoints.hpp"
#include "api/routes.hpp"
#include "marquee/version.hpp"

namespace marquee::api {
namespace {

namespace bj = boost::json;

bj::value ref(std::string_view kind, std::string_view name) {
  return bj::object{{"$ref", std::string("#/components/") + std::string(kind) + "/" + std::string(name)}};
}

bj::value integer_schema() { return bj::object{{"type", "integer"}, {"format", "int64"}}; }
bj::value number_schema() { return bj::object{{"type", "number"}, {"format", "double"}}; }
bj::value string_schema() { return bj::object{{"type", "string"}}; }
bj::value nullable(bj::value schema) {
  schema.as_object()["nullable"] = true;
  return schema;
}

// An object schema whose listed properties are all required.
bj::value object_schema(std::initializer_list<std::pair<std::string_view, bj::value>> properties) {
  bj::object props;
  bj::array required;
  for (const auto& [name, schema] : properties) {
    props[name] = schema;
    required.emplace_back(name);
  }
  return bj::object{{"type", "object"}, {"properties", std::move(props)}, {"required", std::move(required)}};
}

bj::value array_of(bj::value items) { return bj::object{{"type", "array"}, {"items", std::move(items)}}; }

bj::value run_field() { return bj::object{{"type", "string"}, {"description", "The run the response was served from"}}; }

bj::value schemas() {
  bj::object s;
  s["Error"] = object_schema(
      {{"error", bj::object{{"type", "object"},
                            {"properties", bj::object{{"code", string_schema()},
                                                      {"message", string_schema()},
                                                      {"parameter", bj::object{{"type", "string"},
                                                                               {"description", "The bad parameter (400 only)"}}}}},
                            {"required", bj::array{"code", "message"}}}}});
  s["CompanySummary"] = object_schema({{"id", integer_schema()}, {"name", string_schema()}, {"movie_count", integer_schema()}});
  s["CompanyRef"] = object_schema({{"id", integer_schema()}, {"name", string_schema()}});
  s["CompanyPage"] = object_schema({{"run", run_field()},
                                    {"total", integer_schema()},
                                    {"limit", integer_schema()},
                                    {"offset", integer_schema()},
                                    {"q", nullable(string_schema())},
                                    {"companies", array_of(ref("schemas", "CompanySummary"))}});
  s["CompanyResponse"] = object_schema(
      {{"run", run_field()},
       {"company", object_schema({{"id", integer_schema()},
                                  {"name", string_schema()},
                                  {"movie_count", integer_schema()},
                                  {"first_year", nullable(integer_schema())},
                                  {"last_year", nullable(integer_schema())}})}});
  s["CompanyYear"] = object_schema({{"year", integer_schema()},
                                    {"movie_count", integer_schema()},
                                    {"movies_with_budget", integer_schema()},
                                    {"movies_with_revenue", integer_schema()},
                                    {"movies_with_both", integer_schema()},
                                    {"budget", integer_schema()},
                                    {"revenue", integer_schema()},
                                    {"profit", integer_schema()},
                                    {"average_popularity", nullable(number_schema())},
                                    {"rating_count", nullable(integer_schema())},
                                    {"rating_mean", nullable(number_schema())}});
  s["CompanyYears"] = object_schema({{"run", run_field()},
                                     {"company", ref("schemas", "CompanyRef")},
                                     {"attribution", bj::object{{"type", "string"}, {"enum", bj::array{"full", "split"}}}},
                                     {"years", array_of(ref("schemas", "CompanyYear"))}});
  s["CompanyGenres"] = object_schema(
      {{"run", run_field()},
       {"company", ref("schemas", "CompanyRef")},
       {"years", array_of(object_schema(
                     {{"year", integer_schema()},
                      {"genres", array_of(object_schema({{"genre_id", integer_schema()},
                                                         {"genre_name", string_schema()},
                                                         {"movie_count", integer_schema()}}))}}))}});
  s["Genres"] = object_schema(
      {{"run", run_field()},
       {"genres", array_of(object_schema({{"id", integer_schema()}, {"name", string_schema()}, {"movie_count", integer_schema()}}))}});
  s["GenreYear"] = object_schema({{"genre_id", integer_schema()},
                                  {"genre_name", string_schema()},
                                  {"year", integer_schema()},
                                  {"movie_count", integer_schema()},
                                  {"movies_with_budget", integer_schema()},
                                  {"movies_with_revenue", integer_schema()},
                                  {"movies_with_both", integer_schema()},
                                  {"budget", integer_schema()},
                                  {"revenue", integer_schema()},
                                  {"profit", integer_schema()},
                                  {"popularity_total", number_schema()},
                                  {"popularity_average", nullable(number_schema())},
                                  {"vote_count_total", integer_schema()},
                                  {"rank_by_popularity_total", integer_schema()},
                                  {"rating_count", nullable(integer_schema())},
                                  {"rating_mean", nullable(number_schema())}});
  s["GenreYears"] = object_schema({{"run", run_field()}, {"genre_years", array_of(ref("schemas", "GenreYear"))}});
  s["MostPopular"] = object_schema(
      {{"run", run_field()},
       {"by", bj::object{{"type", "string"},
                         {"enum", bj::array{"popularity_total", "popularity_average", "movie_count", "revenue",
                                            "rating_count", "rating_mean"}}}},
       {"min_ratings", bj::object{{"type", "integer"}, {"nullable", true},
                                  {"description", "The minimum of ratings applied with by=rating_count or rating_mean; null with the other measures"}}},
       {"years", array_of(object_schema({{"year", integer_schema()},
                                         {"genre_id", integer_schema()},
                                         {"genre_name", string_schema()},
                                         {"value", bj::object{{"type", "number"},
                                                              {"description", "The value the genre won by: an integer for movie_count, revenue and rating_count"}}}}))}});
  bj::value run_info = object_schema({{"run_id", string_schema()},
                                      {"status", string_schema()},
                                      {"published", bj::object{{"type", "boolean"}}},
                                      {"servable", bj::object{{"type", "boolean"}}},
                                      {"created_at", nullable(string_schema())},
                                      {"loaded_at", nullable(string_schema())},
                                      {"published_at", nullable(string_schema())},
                                      {"manifest", bj::object{{"type", "object"}, {"nullable", true}}}});
  s["Runs"] = object_schema({{"run", nullable(string_schema())}, {"runs", array_of(std::move(run_info))}});
  const bj::object any_object{{"type", "object"}};
  s["RunDiff"] = object_schema({{"run_a", string_schema()},
                                {"run_b", string_schema()},
                                {"empty", bj::object{{"type", "boolean"}}},
                                {"movies", any_object},
                                {"companies", any_object},
                                {"genres", any_object},
                                {"rollups", any_object},
                                {"schema", any_object}});
  s["Health"] = object_schema({{"status", bj::object{{"type", "string"}, {"enum", bj::array{"ok"}}}}});
  s["Ready"] = object_schema({{"status", bj::object{{"type", "string"}, {"enum", bj::array{"ready"}}}},
                              {"run", string_schema()},
                              {"generation", integer_schema()},
                              {"standby", bj::object{{"type", "boolean"}}}});
  return s;
}

bj::value query_parameter(std::string_view name, bj::value schema, std::string_view description) {
  return bj::object{{"name", name}, {"in", "query"}, {"required", false}, {"schema", std::move(schema)},
                    {"description", description}};
}

bj::value year_schema() {
  return bj::object{{"type", "integer"}, {"minimum", kMinYear}, {"maximum", kMaxYear}};
}

bj::value parameters() {
  bj::object p;
  p["run"] = query_parameter("run", bj::object{{"type", "string"}, {"maxLength", 40}, {"pattern", "^[A-Za-z0-9][A-Za-z0-9_.-]*$"}},
                             "Serve from this retained run instead of the published one");
  p["from"] = query_parameter("from", year_schema(), "First year (inclusive)");
  p["to"] = query_parameter("to", year_schema(), "Last year (inclusive); not before from");
  const bj::object run_id_schema{{"type", "string"}, {"maxLength", 40}, {"pattern", "^[A-Za-z0-9][A-Za-z0-9_.-]*$"}};
  p["run_id"] = bj::object{{"name", "id"}, {"in", "path"}, {"required", true}, {"schema", run_id_schema},
                           {"description", "The newer run"}};
  p["against"] = bj::object{{"name", "against"}, {"in", "query"}, {"required", true}, {"schema", run_id_schema},
                            {"description", "The older run to compare with"}};
  p["id"] = bj::object{{"name", "id"}, {"in", "path"}, {"required", true},
                       {"schema", bj::object{{"type", "integer"}, {"format", "int64"}, {"minimum", 1}}},
                       {"description", "Company id"}};
  p["limit"] = query_parameter("limit", bj::object{{"type", "integer"}, {"minimum", 1}, {"maximum", kMaxLimit}, {"default", kDefaultLimit}},
                               "Page size");
  p["offset"] = query_parameter("offset", bj::object{{"type", "integer"}, {"minimum", 0}, {"maximum", kMaxOffset}, {"default", 0}},
                                "Rows to skip");
  p["q"] = query_parameter("q", bj::object{{"type", "string"}, {"maxLength", kMaxSearchBytes}},
                           "Case-insensitive substring of the company name");
  p["attribution"] = query_parameter("attribution", bj::object{{"type", "string"}, {"enum", bj::array{"full", "split"}}, {"default", "full"}},
                                     "full: each company credited with the whole movie; split: money divided equally among the movie's companies (rounded to integers)");
  p["genre"] = query_parameter("genre", bj::object{{"type", "integer"}, {"format", "int64"}, {"minimum", 1}}, "Only this genre id");
  p["by"] = query_parameter("by", bj::object{{"type", "string"},
                                             {"enum", bj::array{"popularity_total", "popularity_average", "movie_count", "revenue",
                                                                "rating_count", "rating_mean"}},
                                             {"default", "popularity_total"}},
                            "The measure a genre wins a year by; ties go to the lower genre id. rating_count and "
                            "rating_mean: the audience ratings of the genre's movies that year (runs that read "
                            "ratings only; docs/DATA_MODEL.md)");
  p["min_ratings"] = query_parameter(
      "min_ratings", bj::object{{"type", "integer"}, {"format", "int64"}, {"minimum", 0}, {"default", 50}},
      "With by=rating_count or rating_mean: a genre-year competes only with at least this many ratings, so that "
      "one five-star rating does not win a year");
  return p;
}

bj::value error_response(std::string_view description) {
  return bj::object{{"description", description},
                    {"content", bj::object{{"application/json", bj::object{{"schema", ref("schemas", "Error")}}}}}};
}

bj::value responses() {
  bj::object r;
  r["BadRequest"] = error_response("A parameter is invalid; error.parameter names it");
  r["Unauthorized"] = error_response("No valid bearer token");
  r["Forbidden"] = error_response("The token lacks the marquee:read scope");
  r["NotFound"] = error_response("No such route, run or entity");
  r["MethodNotAllowed"] = error_response("Only GET and HEAD are allowed");
  r["PayloadTooLarge"] = error_response("The request body is too large");
  r["HeadersTooLarge"] = error_response("The request headers are too large");
  r["ServiceUnavailable"] = error_response("No run is published, or the database is unavailable");
  r["NotModified"] = bj::object{{"description", "The ETag in If-None-Match still matches"}};
  return r;
}

bj::value ok_json(std::string_view description, std::string_view schema, bool from_run) {
  bj::object response{{"description", description},
                      {"content", bj::object{{"application/json", bj::object{{"schema", ref("schemas", schema)}}}}}};
  bj::object headers{{"ETag", bj::object{{"schema", string_schema()}, {"description", "Strong validator of the body"}}}};
  if (from_run)
    headers["Marquee-Run"] = bj::object{{"schema", string_schema()}, {"description", "The run the response was served from"}};
  response["headers"] = std::move(headers);
  return response;
}

struct Operation {
  std::string_view summary;
  std::string_view schema;  // 200 body schema; empty = text
  std::vector<std::string_view> parameters;
  bool not_found = false;  // may answer 404 beyond unknown runs
};

Operation operation_of(RouteId id) {
  switch (id) {
    case RouteId::companies: return {"Companies by name, paged, with the total", "CompanyPage", {"q", "limit", "offset", "run"}};
    case RouteId::company: return {"One company", "CompanyResponse", {"id", "run"}, true};
    case RouteId::company_years: return {"A company's figures per year", "CompanyYears", {"id", "from", "to", "attribution", "run"}, true};
    case RouteId::company_genres: return {"A company's releases by genre per year", "CompanyGenres", {"id", "from", "to", "run"}, true};
    case RouteId::genres: return {"All genres", "Genres", {"run"}};
    case RouteId::genre_years: return {"Figures per genre and year", "GenreYears", {"from", "to", "genre", "run"}, true};
    case RouteId::most_popular: return {"The winning genre of each year", "MostPopular", {"from", "to", "by", "min_ratings", "run"}};
    case RouteId::runs: return {"Runs: status, counts, which one is published", "Runs", {}};
    case RouteId::run_diff: return {"What changed from run `against` to run {id} (docs/DIFF.md)", "RunDiff", {"run_id", "against"}, true};
    case RouteId::healthz: return {"The process is up", "Health", {}};
    case RouteId::readyz: return {"The database is reachable and a run is published", "Ready", {}};
    case RouteId::metrics: return {"Prometheus metrics (text exposition format)", "", {}};
    case RouteId::openapi: return {"This document", "", {}};
  }
  return {};
}

std::string operation_id(std::string_view pattern) {
  std::string id;
  bool upper = false;
  for (char c : pattern) {
    if (c == '/' || c == '-' || c == '.' || c == '{' || c == '}' || c == '_') {
      upper = !id.empty();
      continue;
    }
    id += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return "get" + (id.empty() ? id : std::string(1, static_cast<char>(std::toupper(static_cast<unsigned char>(id[0])))) + id.substr(1));
}

bj::value path_item(const RouteSpec& route) {
  const Operation op = operation_of(route.id);
  bj::object get{{"summary", op.summary}, {"operationId", operation_id(route.pattern)}};
  bj::array params;
  for (std::string_view p : op.parameters) params.push_back(ref("parameters", p));
  if (!params.empty()) get["parameters"] = std::move(params);
  bj::object responses;
  if (op.schema.empty()) {
    const bool text = route.id == RouteId::metrics;
    responses["200"] = bj::object{
        {"description", op.summary},
        {"content", bj::object{{text ? "text/plain" : "application/json",
                                bj::object{{"schema", text ? string_schema() : bj::object{{"type", "object"}}}}}}}};
  } else {
    responses["200"] = ok_json(op.summary, op.schema, route.reads_a_run);
  }
  if (route.reads_a_run || route.id == RouteId::runs || route.id == RouteId::run_diff || route.id == RouteId::openapi)
    responses["304"] = ref("responses", "NotModified");
  responses["400"] = ref("responses", "BadRequest");
  if (route.requires_auth) {
    responses["401"] = ref("responses", "Unauthorized");
    responses["403"] = ref("responses", "Forbidden");
    get["security"] = bj::array{bj::object{{"bearerAuth", bj::array{}}}};
  } else {
    get["security"] = bj::array{};
  }
  if (route.reads_a_run || route.id == RouteId::run_diff) responses["404"] = ref("responses", "NotFound");
  responses["405"] = ref("responses", "MethodNotAllowed");
  responses["413"] = ref("responses", "PayloadTooLarge");
  responses["431"] = ref("responses", "HeadersTooLarge");
  if (route.reads_a_run || route.id == RouteId::runs || route.id == RouteId::readyz)
    responses["503"] = ref("responses", "ServiceUnavailable");
  get["responses"] = std::move(responses);
  return bj::object{{"get", std::move(get)}};
}

}  // namespace

std::string openapi_document() {
  bj::object paths;
  for (const RouteSpec& route : routes()) paths[route.pattern] = path_item(route);
  bj::object doc{
      {"openapi", "3.0.3"},
      {"info", bj::object{{"title", "Marquee API"},
                          {"version", std::string(kVersion)},
                          {"description",
                           "Read-only JSON API over the published snapshot of The Movies Dataset's model and "
                           "yearly rollups. Every data response names the run it was served from (body field "
                           "`run`, header `Marquee-Run`) and carries an ETag. Money is in integers."}}},
      {"servers", bj::array{bj::object{{"url", "/"}}}},
      {"paths", std::move(paths)},
      {"components", bj::object{{"schemas", schemas()},
                                {"parameters", parameters()},
                                {"responses", responses()},
                                {"securitySchemes",
                                 bj::object{{"bearerAuth", bj::object{{"type", "http"}, {"scheme", "bearer"}, {"bearerFormat", "JWT"}}}}}}},
      {"security", bj::array{bj::object{{"bearerAuth", bj::array{}}}}},
  };
  return bj::serialize(doc);
}

}  // namespace marquee::api

#include "api/service.hpp"

#include "obs/log.hpp"

#include <chrono>
#include <cstdio>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "api/json_writer.hpp"
#include "api/openapi.hpp"
#include "diff/run_diff.hpp"
#include "api/query.hpp"
#include "common/sha256.hpp"
#include "common/utf8.hpp"
#include "store/store.hpp"

namespace marquee::api {
namespace {

constexpr std::string_view kRedisKeyPrefix = "marquee:v1:";

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Response json_response(int status, std::string body) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

ApiError service_unavailable(std::string code, std::string message) {
  return ApiError{503, std::move(code), std::move(message), "", {{"Retry-After", "1"}}};
}

// Logs at most once per interval: a failing database must not flood stderr.
void log_limited(std::string_view message) {
  static std::mutex mutex;
  static std::chrono::steady_clock::time_point last{};
  std::lock_guard lock(mutex);
  const auto now = std::chrono::steady_clock::now();
  if (now - last < std::chrono::seconds(5)) return;
  last = now;
  obs::log("error", message, {}, "serve");
}

Response data_response(const Request& request, const CachedResponse& entry, std::string_view run_id,
                       bool explicit_run) {
  Response response;
  response.set_header("ETag", entry.etag);
  response.set_header("Marquee-Run", std::string(run_id));
  // A named run never changes, so it may be reused for a while; the current
  // run can change at any publish, so clients revalidate (cheap: ETag/304).
  response.set_header("Cache-Control", explicit_run ? "private, max-age=3600" : "private, no-cache");
  if (etag_matches(request.if_none_match, entry.etag)) {
    response.status = 304;
    return response;
  }
  response.body = entry.body;
  return response;
}


}  // namespace

Response error_response(const ApiError& error) {
  JsonWriter w;
  w.begin_object().key("error").begin_object().field("code", error.code).field("message", error.message);
  if (!error.parameter.empty()) w.field("parameter", error.parameter);
  w.end_object().end_object();
  Response response = json_response(error.status, w.take());
  response.headers = error.headers;
  return response;
}

// fmt rather than "\"" + ... + "\"": GCC 12 at -O3 warns falsely (-Wrestrict,
// GCC bug 105651) on operator+(const char*, std::string&&).
std::string etag_of(std::string_view body) { return fmt::format("\"{}\"", Sha256::of(body).substr(0, 32)); }

bool etag_matches(std::string_view header, std::string_view etag) {
  while (!header.empty()) {
    const std::size_t comma = header.find(',');
    std::string_view candidate = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    while (!candidate.empty() && (candidate.front() == ' ' || candidate.front() == '\t')) candidate.remove_prefix(1);
    while (!candidate.empty() && (candidate.back() == ' ' || candidate.back() == '\t')) candidate.remove_suffix(1);
    if (candidate == "*") return true;
    if (candidate.starts_with("W/")) candidate.remove_prefix(2);  // If-None-Match compares weakly
    if (candidate == etag) return true;
  }
  return false;
}

std::vector<std::string> Service::route_labels() {
  std::vector<std::string> labels;
  for (const RouteSpec& route : routes()) labels.emplace_back(route.pattern);
  return labels;
}

Service::Service(ServiceOptions options, std::optional<JwtVerifier> verifier, ConnectionPool& pool,
                 RunTracker& tracker, Metrics& metrics, RedisCache* redis)
    : options_(options),
      verifier_(std::move(verifier)),
      pool_(pool),
      tracker_(tracker),
      metrics_(metrics),
      redis_(redis),
      cache_(options.cache_bytes),
      assets_(embedded_web_files()),
      openapi_json_(openapi_document()),
      openapi_etag_(etag_of(openapi_json_)) {}

MetricGauges Service::gauges() const {
  MetricGauges g;
  if (const auto current = tracker_.current()) {
    g.run_id = current->run_id;
    g.generation = current->generation;
  }
  g.database_ok = tracker_.database_ok();
  g.cache_bytes = cache_.bytes();
  g.cache_entries = cache_.entries();
  g.cache_capacity = cache_.capacity();
  g.open_connections = connection_counter_ ? connection_counter_() : 0;
  g.redis_configured = redis_ != nullptr;
  return g;
}

Outcome Service::handle(const Request& request) {
  const auto start = Clock::now();
  std::size_t route_index = metrics_.unmatched_route();
  Outcome outcome;
  try {
    outcome = dispatch(request, start, route_index);
  } catch (const ApiError& error) {
    outcome = Outcome{error_response(error), {}};
  } catch (const std::exception& e) {
    log_limited(fmt::format("internal error: {}", e.what()));
    outcome = Outcome{error_response(ApiError{500, "internal", "internal error", ""}), {}};
  }
  if (outcome.ready) outcome.ready = finish(request, route_index, start, std::move(*outcome.ready));
  return outcome;
}

Response Service::handle_now(const Request& request) {
  Outcome outcome = handle(request);
  return outcome.ready ? std::move(*outcome.ready) : outcome.blocking();
}

Response Service::finish(const Request& request, std::size_t route_index, Clock::time_point start,
                         Response response) {
  const std::chrono::duration<double> elapsed = Clock::now() - start;
  metrics_.observe_request(route_index, response.status, elapsed.count());
  if (access_log_) {
    std::string_view run_id;
    for (const auto& [name, value] : response.headers) {
      if (name == "Marquee-Run") run_id = value;
    }
    const auto& labels = metrics_.route_labels();
    access_log_(AccessRecord{request.method, labels[std::min(route_index, labels.size() - 1)], response.status,
                             response.body.size(), elapsed.count(), run_id, request.subject});
  }
  return response;
}

// Runs `work` with a pooled connection; a connection that raised a database
// error is discarded, not reused, and the database is reported down until
// the next success.
template <class Work>
auto Service::with_model(Work&& work) {
  ConnectionPool::Lease lease = pool_.acquire(options_.database_wait);
  try {
    store::ReadModel model(*lease);
    auto result = work(model);
    tracker_.mark_database_up();
    return result;
  } catch (const store::DatabaseError&) {
    lease.discard();
    tracker_.mark_database_down();
    throw;
  }
}

template <class Work>
Response Service::guarded(Work&& work) {
  try {
    return work();
  } catch (const ApiError& error) {
    return error_response(error);
  } catch (const store::DatabaseError& e) {
    metrics_.database_error();
    log_limited(fmt::format("database error: {}", e.what()));
    return error_response(service_unavailable("database_unavailable", "the database is unavailable; retry shortly"));
  } catch (const std::exception& e) {
    log_limited(fmt::format("internal error: {}", e.what()));
    return error_response(ApiError{500, "internal", "internal error", ""});
  }
}

Outcome Service::dispatch(const Request& request, Clock::time_point start, std::size_t& route_index) {
  const Target target = parse_target(request.target);
  if (StaticAssets::owns(target.path)) return {assets_.serve(request.method, target.path, request.if_none_match), {}};
  const auto match = match_route(target.path);
  if (!match)
    throw ApiError{404, "not_found", fmt::format("no such route: {}", utf8::truncate(target.path, 100)), ""};
  route_index = static_cast<std::size_t>(match->route - routes().data());
  if (request.method != "GET" && request.method != "HEAD")
    throw ApiError{405, "method_not_allowed",
                   fmt::format("{} is not allowed here; use GET", utf8::truncate(request.method, 20)),
                   "",
                   {{"Allow", "GET, HEAD"}}};
  if (match->route->requires_auth && options_.auth_required) {
    if (auto failure = authenticate(request)) throw std::move(*failure);
  }
  if (match->route->reads_a_run) return handle_data(request, *match, target.query, start, route_index);

  // The other routes take no parameters (the diff checks its own); a typo
  // should not pass silently.
  const std::size_t index = route_index;
  if (match->route->id != RouteId::run_diff) QueryParams(target.query, {});
  switch (match->route->id) {
    case RouteId::healthz:
      return {json_response(200, R"({"status":"ok"})"), {}};
    case RouteId::metrics: {
      Response response = json_response(200, metrics_.render(gauges()));
      response.content_type = "text/plain; version=0.0.4; charset=utf-8";
      return {std::move(response), {}};
    }
    case RouteId::openapi: {
      Response response;
      response.set_header("ETag", openapi_etag_);
      if (etag_matches(request.if_none_match, openapi_etag_)) response.status = 304;
      else response.body = openapi_json_;
      return {std::move(response), {}};
    }
    case RouteId::readyz: {
      return {std::nullopt, [this, request, start, index] { return finish(request, index, start, guarded([&] { return handle_readyz(); })); }};
    }
    case RouteId::run_diff: {
      const QueryParams diff_params(target.query, {"against"});
      const std::string run = match->captures.at(0), against = diff_params.text("against", 40);
      if (!store::valid_run_id(run)) throw bad_parameter("id", "is not a run id");
      if (!store::valid_run_id(against)) throw bad_parameter("against", "is required and must be a run id");
      return {std::nullopt, [this, request, start, index, run, against] {
                return finish(request, index, start, guarded([&] { return handle_run_diff(request, run, against); }));
              }};
    }
    case RouteId::runs: {
      return {std::nullopt,
              [this, request, start, index] { return finish(request, index, start, guarded([&] { return handle_runs(request); })); }};
    }
    default:
      break;
  }
  throw ApiError{500, "internal", "unhandled route", ""};
}

std::optional<ApiError> Service::authenticate(const Request& request) {
  if (!verifier_) return ApiError{401, "unauthorized", "no token verifier is configured", ""};
  const AuthResult result = verifier_->verify_header(request.authorization, unix_now());
  if (result.ok()) {
    request.subject = result.subject;
    return std::nullopt;
  }
  metrics_.auth_failure(result.failure);
  if (result.failure == AuthFailure::scope)
    return ApiError{403, "insufficient_scope", result.message, "",
                    {{"WWW-Authenticate", R"(Bearer realm="marquee", error="insufficient_scope", scope="marquee:read")"}}};
  if (result.failure == AuthFailure::missing)
    return ApiError{401, "unauthorized", result.message, "", {{"WWW-Authenticate", R"(Bearer realm="marquee")"}}};
  return ApiError{401, "invalid_token", result.message, "",
                  {{"WWW-Authenticate", R"(Bearer realm="marquee", error="invalid_token")"}}};
}

Service::RunChoice Service::choose_run(const QueryList& query) {
  for (const auto& [name, value] : query) {
    if (name != "run" || value.empty()) continue;
    if (!store::valid_run_id(value))
      throw bad_parameter("run", "not a run id (1 to 40 letters, digits, '_', '.', '-')");
    const auto current = tracker_.current();
    const bool verified = (current && current->run_id == value) || run_recently_verified(value);
    return {value, true, verified};
  }
  const auto current = tracker_.current();
  if (!current) {
    if (!tracker_.database_ok())
      throw service_unavailable("database_unavailable", "the database is unavailable; retry shortly");
    throw service_unavailable("no_run_published", "no run is published yet");
  }
  return {current->run_id, false, true};
}

bool Service::run_recently_verified(const std::string& run_id) {
  std::lock_guard lock(runs_mutex_);
  const auto it = verified_runs_.find(run_id);
  return it != verified_runs_.end() && Clock::now() - it->second < options_.run_check_ttl;
}

void Service::remember_run(const std::string& run_id) {
  std::lock_guard lock(runs_mutex_);
  verified_runs_[run_id] = Clock::now();
}

Outcome Service::handle_data(const Request& request, const RouteMatch& match, const QueryList& query,
                             Clock::time_point start, std::size_t route_index) {
  DataPlan plan = plan_data_request(match, query);
  RunChoice run = choose_run(query);
  std::string key = run.run_id + "\n" + plan.key;
  if (run.verified) {
    if (auto hit = cache_.get(key)) {
      metrics_.cache_hit(CacheLayer::memory);
      return {data_response(request, *hit, run.run_id, run.explicit_run), {}};
    }
  }
  return {std::nullopt, [this, request, start, route_index, plan = std::move(plan), run = std::move(run),
                         key = std::move(key)] {
            return finish(request, route_index, start, guarded([&] { return load_data(request, plan, run, key); }));
          }};
}

Response Service::load_data(const Request& request, const DataPlan& plan, const RunChoice& run,
                            const std::string& key) {
  if (!run.verified) {
    const bool servable = with_model([&](store::ReadModel& model) { return model.run_is_servable(run.run_id); });
    if (!servable) throw ApiError{404, "run_not_found", fmt::format("run {} is not available", run.run_id), "run"};
    remember_run(run.run_id);
    if (auto hit = cache_.get(key)) {
      metrics_.cache_hit(CacheLayer::memory);
      return data_response(request, *hit, run.run_id, run.explicit_run);
    }
  }
  metrics_.cache_miss(CacheLayer::memory);

  const std::string redis_key = redis_ ? std::string(kRedisKeyPrefix) + Sha256::of(key) : std::string();
  if (redis_) {
    if (auto stored = redis_->get(redis_key); stored && stored->find('\n') != std::string::npos) {
      const std::size_t newline = stored->find('\n');
      auto entry = std::make_shared<const CachedResponse>(
          CachedResponse{stored->substr(newline + 1), stored->substr(0, newline)});
      metrics_.cache_hit(CacheLayer::redis);
      cache_.put(key, entry);
      return data_response(request, *entry, run.run_id, run.explicit_run);
    }
    metrics_.cache_miss(CacheLayer::redis);
  }

  std::string body;
  try {
    body = with_model([&](store::ReadModel& model) {
      JsonWriter w;
      w.begin_object().field("run", run.run_id);
      plan.write_body(model, run.run_id, w);
      w.end_object();
      return w.take();
    });
  } catch (ApiError& error) {  // e.g. no such company: still an answer from this run
    error.headers.emplace_back("Marquee-Run", run.run_id);
    throw;
  }
  std::string etag = etag_of(body);
  auto entry = std::make_shared<const CachedResponse>(CachedResponse{std::move(body), std::move(etag)});
  cache_.put(key, entry);
  if (redis_) redis_->put(redis_key, entry->etag + "\n" + entry->body);
  return data_response(request, *entry, run.run_id, run.explicit_run);
}

Response Service::handle_runs(const Request& request) {
  const auto current = tracker_.current();
  std::string body = with_model([&](store::ReadModel& model) { return runs_body(model, current.get()); });
  CachedResponse entry{std::move(body), {}};
  entry.etag = etag_of(entry.body);
  Response response = data_response(request, entry, current ? current->run_id : "", false);
  if (!current) {
    std::erase_if(response.headers, [](const auto& h) { return h.first == "Marquee-Run"; });
  }
  return response;
}

// Two runs' Parquet never change, so a diff is computed once and cached.
Response Service::handle_run_diff(const Request& request, const std::string& run, const std::string& against) {
  const std::string key = "diff\n" + against + "\n" + run;
  std::shared_ptr<const CachedResponse> entry = cache_.get(key);
  if (!entry) {
    if (options_.runs_dir.empty()) {
      throw ApiError{404, "run_files_unavailable",
                     "this server has no run directories to compare (serve with --data-dir)", ""};
    }
    for (const std::string& id : {against, run}) {
      if (!std::filesystem::is_directory(options_.runs_dir / id / "tables")) {
        throw ApiError{404, "run_not_found",
                       fmt::format("run {} has no run directory here (unknown, or retired by --keep)", id),
                       id == run ? "id" : "against"};
      }
    }
    CachedResponse computed;
    computed.body = boost::json::serialize(
        diff::to_json(diff::diff_runs(options_.runs_dir / against, options_.runs_dir / run)));
    computed.etag = etag_of(computed.body);
    entry = std::make_shared<const CachedResponse>(std::move(computed));
    cache_.put(key, entry);
  }
  return data_response(request, *entry, run, true);
}

Response Service::handle_readyz() {
  return with_model([&](store::ReadModel& model) {
    const auto published = model.published();
    if (!published) throw service_unavailable("not_ready", "no run is published yet");
    if (const auto since = tracker_.waiting_since();
        since && std::chrono::steady_clock::now() - *since > options_.max_replica_lag)
      throw service_unavailable("replica_lagging",
                                "the standby has not replayed the latest announced publish within --max-replica-lag");
    JsonWriter w;
    w.begin_object().field("status", "ready").field("run", published->run_id);
    w.field("generation", published->generation).field("standby", tracker_.standby()).end_object();
    return json_response(200, w.take());
  });
}

}  // namespace marquee::api

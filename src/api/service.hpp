#pragma once
// The request pipeline, independent of the HTTP transport: target parsing,
// routing, method check, authentication, parameter validation, the run a
// request reads, the caches and the handlers. Work that may block (database,
// Redis) is returned as a closure for the transport to run on a worker
// thread, so the network threads only ever do fast work: a cached response
// is answered without leaving the thread that read the request.
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "api/connection_pool.hpp"
#include "api/endpoints.hpp"
#include "api/http_types.hpp"
#include "api/jwt.hpp"
#include "api/metrics.hpp"
#include "api/publish_watcher.hpp"
#include "api/redis_cache.hpp"
#include "api/response_cache.hpp"
#include "api/static_assets.hpp"

namespace marquee::api {

struct ServiceOptions {
  bool auth_required = true;
  std::size_t cache_bytes = std::size_t{64} << 20;
  std::chrono::milliseconds database_wait{5000};  // for a free pooled connection
  // How long a ?run= id checked against the runs table is trusted before it
  // is checked again (a retired run stops being served after this).
  std::chrono::milliseconds run_check_ttl{2000};
  // DATA_DIR/runs, where /v1/runs/{id}/diff reads the runs' Parquet; empty
  // when this server has no run directories (serving only --db).
  std::filesystem::path runs_dir;
  // On a standby: /readyz answers 503 (replica_lagging) once an announced
  // publish has waited longer than this for the standby to replay it.
  std::chrono::milliseconds max_replica_lag{5000};
};

struct Outcome {
  std::optional<Response> ready;     // answered without blocking
  std::function<Response()> blocking;  // set when `ready` is not
};

class Service {
 public:
  Service(ServiceOptions options, std::optional<JwtVerifier> verifier, ConnectionPool& pool,
          RunTracker& tracker, Metrics& metrics, RedisCache* redis);

  Outcome handle(const Request& request);
  // handle() with the blocking part run inline (tests, simple callers).
  Response handle_now(const Request& request);

  Metrics& metrics() { return metrics_; }
  // Called once per answered request when set (`serve --access-log`).
  void set_access_log(std::function<void(const AccessRecord&)> log) { access_log_ = std::move(log); }
  void set_connection_counter(std::function<std::size_t()> counter) { connection_counter_ = std::move(counter); }
  MetricGauges gauges() const;

  // Route labels in route-table order: what Metrics is constructed with.
  static std::vector<std::string> route_labels();

 private:
  using Clock = std::chrono::steady_clock;
  struct RunChoice {
    std::string run_id;
    bool explicit_run;
    bool verified;  // known to be servable without asking the database
  };

  Outcome dispatch(const Request& request, Clock::time_point start, std::size_t& route_index);
  Outcome handle_data(const Request& request, const RouteMatch& match, const QueryList& query,
                      Clock::time_point start, std::size_t route_index);
  Response load_data(const Request& request, const DataPlan& plan, const RunChoice& run,
                     const std::string& cache_key);
  Response handle_runs(const Request& request);
  Response handle_run_diff(const Request& request, const std::string& run, const std::string& against);
  Response handle_readyz();
  RunChoice choose_run(const QueryList& query);
  bool run_recently_verified(const std::string& run_id);
  void remember_run(const std::string& run_id);
  std::optional<ApiError> authenticate(const Request& request);

  Response finish(const Request& request, std::size_t route_index, Clock::time_point start, Response response);
  template <class Work>
  Response guarded(Work&& work);
  template <class Work>
  auto with_model(Work&& work);

  ServiceOptions options_;
  std::optional<JwtVerifier> verifier_;
  ConnectionPool& pool_;
  RunTracker& tracker_;
  Metrics& metrics_;
  RedisCache* redis_;
  ResponseCache cache_;
  StaticAssets assets_;  // the dashboard at / and /ui/
  std::string openapi_json_;
  std::string openapi_etag_;
  std::function<std::size_t()> connection_counter_;
  std::function<void(const AccessRecord&)> access_log_;
  std::mutex runs_mutex_;
  std::unordered_map<std::string, Clock::time_point> verified_runs_;
};

// A strong ETag for a body: a quoted prefix of its SHA-256.
std::string etag_of(std::string_view body);
// True when an If-None-Match header value matches `etag` (weak comparison, "*").
bool etag_matches(std::string_view if_none_match, std::string_view etag);

}  // namespace marquee::api

#include "api/metrics.hpp"

#include <fmt/format.h>

namespace marquee::api {
namespace {

constexpr std::array<int, 13> kStatuses{200, 304, 400, 401, 403, 404, 405, 408, 413, 431, 500, 503, 0};
constexpr std::array<double, 13> kBuckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                          0.1,    0.25,  0.5,    1.0,   2.5,   5.0};
constexpr std::array<std::string_view, 2> kLayers{"memory", "redis"};

std::size_t status_slot(int status) {
  for (std::size_t i = 0; i + 1 < kStatuses.size(); ++i)
    if (kStatuses[i] == status) return i;
  return kStatuses.size() - 1;  // "other"
}

std::string escape_label(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

void header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

}  // namespace

struct Metrics::RouteStats {
  std::array<std::atomic<std::uint64_t>, kStatuses.size()> by_status{};
  std::array<std::atomic<std::uint64_t>, kBuckets.size()> buckets{};  // not cumulative
  std::atomic<std::uint64_t> count{0};
  std::atomic<std::uint64_t> sum_nanos{0};
};

Metrics::Metrics(std::vector<std::string> route_labels) : labels_(std::move(route_labels)) {
  labels_.push_back("unmatched");
  routes_ = std::make_unique<RouteStats[]>(labels_.size());
}

Metrics::~Metrics() = default;

void Metrics::observe_request(std::size_t route, int status, double seconds) {
  const std::size_t slot = route < labels_.size() ? route : unmatched_route();
  if (statsd_) {
    const std::string name = obs::metric_segment(labels_[slot]);
    statsd_->count(fmt::format("http.requests.{}.{}", name, status));
    statsd_->timing("http.request_duration." + name, seconds * 1000.0);
  }
  RouteStats& stats = routes_[slot];
  stats.by_status[status_slot(status)].fetch_add(1, std::memory_order_relaxed);
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      stats.buckets[i].fetch_add(1, std::memory_order_relaxed);
      break;
    }
  }
  stats.count.fetch_add(1, std::memory_order_relaxed);
  stats.sum_nanos.fetch_add(static_cast<std::uint64_t>(seconds * 1e9), std::memory_order_relaxed);
}

// Each counter also goes to StatsD when configured, under the same facts.
void Metrics::bump(std::atomic<std::uint64_t>& counter, std::string_view statsd_name) {
  counter.fetch_add(1, std::memory_order_relaxed);
  if (statsd_) statsd_->count(statsd_name);
}

void Metrics::cache_hit(CacheLayer layer) {
  bump(cache_hits_[static_cast<int>(layer)], fmt::format("cache.hits.{}", kLayers[static_cast<int>(layer)]));
}
void Metrics::cache_miss(CacheLayer layer) {
  bump(cache_misses_[static_cast<int>(layer)], fmt::format("cache.misses.{}", kLayers[static_cast<int>(layer)]));
}
void Metrics::redis_error() { bump(redis_errors_, "redis.errors"); }
void Metrics::redis_skipped() { bump(redis_skipped_, "redis.skipped"); }
void Metrics::database_error() { bump(database_errors_, "database.errors"); }
void Metrics::publish_change() { bump(publish_changes_, "publish.changes"); }
void Metrics::accept_backoff() { bump(accept_backoffs_, "http.accept_backoffs"); }
void Metrics::auth_failure(AuthFailure reason) {
  bump(auth_failures_[static_cast<std::size_t>(reason) % auth_failures_.size()],
       fmt::format("auth.failures.{}", failure_name(reason)));
}

std::uint64_t Metrics::requests(std::size_t route, int status) const {
  return routes_[route].by_status[status_slot(status)].load();
}

std::string Metrics::render(const MetricGauges& g) const {
  std::string out;
  header(out, "marquee_http_requests_total", "counter", "HTTP requests by route pattern and status.");
  for (std::size_t r = 0; r < labels_.size(); ++r) {
    for (std::size_t s = 0; s < kStatuses.size(); ++s) {
      const std::uint64_t n = routes_[r].by_status[s].load(std::memory_order_relaxed);
      if (n == 0) continue;
      const std::string status = kStatuses[s] ? std::to_string(kStatuses[s]) : "other";
      out += fmt::format("marquee_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n",
                         escape_label(labels_[r]), status, n);
    }
  }
  header(out, "marquee_http_request_duration_seconds", "histogram",
         "Time from a parsed request to its response being ready.");
  for (std::size_t r = 0; r < labels_.size(); ++r) {
    const RouteStats& stats = routes_[r];
    const std::uint64_t count = stats.count.load(std::memory_order_relaxed);
    if (count == 0) continue;
    const std::string route = escape_label(labels_[r]);
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b < kBuckets.size(); ++b) {
      cumulative += stats.buckets[b].load(std::memory_order_relaxed);
      out += fmt::format("marquee_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n", route,
                         kBuckets[b], cumulative);
    }
    out += fmt::format("marquee_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n", route, count);
    out += fmt::format("marquee_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", route,
                       static_cast<double>(stats.sum_nanos.load(std::memory_order_relaxed)) / 1e9);
    out += fmt::format("marquee_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", route, count);
  }
  header(out, "marquee_cache_hits_total", "counter", "Responses served from a cache, by layer.");
  for (std::size_t l = 0; l < kLayers.size(); ++l)
    out += fmt::format("marquee_cache_hits_total{{layer=\"{}\"}} {}\n", kLayers[l], cache_hits_[l].load());
  header(out, "marquee_cache_misses_total", "counter", "Cache lookups that found nothing, by layer.");
  for (std::size_t l = 0; l < kLayers.size(); ++l)
    out += fmt::format("marquee_cache_misses_total{{layer=\"{}\"}} {}\n", kLayers[l], cache_misses_[l].load());
  header(out, "marquee_cache_bytes", "gauge", "Bytes held by the in-process response cache.");
  out += fmt::format("marquee_cache_bytes {}\n", g.cache_bytes);
  header(out, "marquee_cache_capacity_bytes", "gauge", "Bound of the in-process response cache.");
  out += fmt::format("marquee_cache_capacity_bytes {}\n", g.cache_capacity);
  header(out, "marquee_cache_entries", "gauge", "Responses held by the in-process cache.");
  out += fmt::format("marquee_cache_entries {}\n", g.cache_entries);
  header(out, "marquee_redis_configured", "gauge", "1 when a shared Redis cache is configured.");
  out += fmt::format("marquee_redis_configured {}\n", g.redis_configured ? 1 : 0);
  header(out, "marquee_redis_errors_total", "counter",
         "Redis operations that failed (connect, timeout, error reply); clients never see them.");
  out += fmt::format("marquee_redis_errors_total {}\n", redis_errors_.load());
  header(out, "marquee_redis_skipped_total", "counter",
         "Redis operations skipped while backing off after a failure.");
  out += fmt::format("marquee_redis_skipped_total {}\n", redis_skipped_.load());
  header(out, "marquee_database_errors_total", "counter", "Database operations that failed.");
  out += fmt::format("marquee_database_errors_total {}\n", database_errors_.load());
  header(out, "marquee_database_up", "gauge", "1 when the last check of the published run succeeded.");
  out += fmt::format("marquee_database_up {}\n", g.database_ok ? 1 : 0);
  header(out, "marquee_auth_failures_total", "counter", "Rejected bearer tokens, by reason.");
  for (std::size_t i = 1; i < auth_failures_.size(); ++i)
    out += fmt::format("marquee_auth_failures_total{{reason=\"{}\"}} {}\n",
                       failure_name(static_cast<AuthFailure>(i)), auth_failures_[i].load());
  header(out, "marquee_current_run_info", "gauge", "The published run being served (value 1).");
  if (!g.run_id.empty())
    out += fmt::format("marquee_current_run_info{{run_id=\"{}\"}} 1\n", escape_label(g.run_id));
  header(out, "marquee_current_run_generation", "gauge", "Generation counter of the published pointer.");
  out += fmt::format("marquee_current_run_generation {}\n", g.generation);
  header(out, "marquee_publish_changes_total", "counter", "Published-run changes picked up by this process.");
  out += fmt::format("marquee_publish_changes_total {}\n", publish_changes_.load());
  header(out, "marquee_http_accept_backoffs_total", "counter",
         "Times accepting paused because the process or system ran out of file descriptors or memory.");
  out += fmt::format("marquee_http_accept_backoffs_total {}\n", accept_backoffs_.load());
  header(out, "marquee_http_connections_open", "gauge", "Open client connections.");
  out += fmt::format("marquee_http_connections_open {}\n", g.open_connections);
  return out;
}

}  // namespace marquee::api

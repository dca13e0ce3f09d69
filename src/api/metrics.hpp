#pragma once
// Prometheus metrics for the API, rendered in the text exposition format.
// Counters are lock-free atomics indexed by route id and a fixed set of
// status codes, so recording a request costs a few relaxed increments.
#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "api/jwt.hpp"
#include "obs/statsd.hpp"

namespace marquee::api {

enum class CacheLayer { memory, redis };

struct MetricGauges {
  std::string run_id;  // empty when no run is published
  std::int64_t generation = 0;
  bool database_ok = false;
  std::size_t cache_bytes = 0;
  std::size_t cache_entries = 0;
  std::size_t cache_capacity = 0;
  std::size_t open_connections = 0;
  bool redis_configured = false;
};

class Metrics {
 public:
  // One label per route (the route's pattern); requests that match no route
  // are counted under "unmatched" so label cardinality stays bounded.
  explicit Metrics(std::vector<std::string> route_labels);
  ~Metrics();

  std::size_t unmatched_route() const { return labels_.size() - 1; }
  const std::vector<std::string>& route_labels() const { return labels_; }
  // Also sends every observation to StatsD (docs/OBSERVABILITY.md); may be null.
  void set_statsd(obs::Statsd* statsd) { statsd_ = statsd; }
  void observe_request(std::size_t route, int status, double seconds);
  void cache_hit(CacheLayer layer);
  void cache_miss(CacheLayer layer);
  void redis_error();
  void redis_skipped();
  void database_error();
  void auth_failure(AuthFailure reason);
  void publish_change();
  void accept_backoff();

  std::uint64_t requests(std::size_t route, int status) const;
  std::uint64_t redis_errors() const { return redis_errors_.load(); }

  std::string render(const MetricGauges& gauges) const;

 private:
  struct RouteStats;
  void bump(std::atomic<std::uint64_t>& counter, std::string_view statsd_name);

  std::vector<std::string> labels_;
  obs::Statsd* statsd_ = nullptr;
  std::unique_ptr<RouteStats[]> routes_;
  std::array<std::atomic<std::uint64_t>, 2> cache_hits_{};
  std::array<std::atomic<std::uint64_t>, 2> cache_misses_{};
  std::atomic<std::uint64_t> redis_errors_{0};
  std::atomic<std::uint64_t> redis_skipped_{0};
  std::atomic<std::uint64_t> database_errors_{0};
  std::atomic<std::uint64_t> publish_changes_{0};
  std::atomic<std::uint64_t> accept_backoffs_{0};
  std::array<std::atomic<std::uint64_t>, 10> auth_failures_{};
};

}  // namespace marquee::api

#pragma once
// The optional shared cache in Redis (hiredis). It is an accelerator only:
// every failure is counted in the metrics and reported as a miss, never
// surfaced to a client. After a failure the cache stays out of the way for a
// short back-off so that a dead Redis costs requests nothing, not a connect
// timeout each.
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/metrics.hpp"
#include "common/redis_url.hpp"

struct redisContext;

namespace marquee::api {

using marquee::RedisEndpoint;
using marquee::parse_redis_url;

struct RedisOptions {
  std::chrono::seconds ttl{600};
  std::chrono::milliseconds timeout{100};   // connect and each command
  std::chrono::milliseconds back_off{1000};  // after a failure
  std::size_t max_idle_connections = 8;
};

class RedisCache {
 public:
  RedisCache(RedisEndpoint endpoint, RedisOptions options, Metrics& metrics);
  ~RedisCache();

  std::optional<std::string> get(const std::string& key);
  void put(const std::string& key, std::string_view value);

 private:
  struct ContextDeleter {
    void operator()(redisContext* context) const;
  };
  using Context = std::unique_ptr<redisContext, ContextDeleter>;

  Context borrow();  // null when backing off or unreachable
  void give_back(Context context);
  void failed(Context context, std::string_view what);

  RedisEndpoint endpoint_;
  RedisOptions options_;
  Metrics& metrics_;
  std::mutex mutex_;
  std::vector<Context> idle_;
  std::chrono::steady_clock::time_point retry_at_{};
  std::chrono::steady_clock::time_point last_logged_{};
};

}  // namespace marquee::api

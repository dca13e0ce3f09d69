#pragma once
// A StatsD client: UDP, fire and forget. Lines are batched into datagrams of
// at most kMaxPacket bytes (under the usual 1500-byte MTU, so no datagram is
// fragmented), sent with MSG_DONTWAIT: a missing, dead or slow daemon costs a
// failed sendto at most, never a wait. A background thread flushes what is
// pending every flush_interval, so a quiet server's last lines still leave.
// Names are `prefix.name`; tags (DogStatsD `|#k:v,...`) only when configured.
// Thread-safe.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace marquee::obs {

struct StatsdOptions {
  std::string address;                // HOST:PORT; empty = disabled
  std::string prefix = "marquee";
  std::string tags;                   // "k:v,k2:v2" (DogStatsD), or empty
  std::chrono::milliseconds flush_interval{1000};
};

class Statsd {
 public:
  static constexpr std::size_t kMaxPacket = 1400;

  // Throws std::invalid_argument for an address that is not HOST:PORT or
  // does not resolve (resolved once, here).
  explicit Statsd(StatsdOptions options);
  ~Statsd();  // flushes
  Statsd(const Statsd&) = delete;
  Statsd& operator=(const Statsd&) = delete;

  void count(std::string_view name, std::int64_t value = 1);
  void timing(std::string_view name, double milliseconds);
  void gauge(std::string_view name, double value);
  void flush();

  std::uint64_t send_failures() const;

 private:
  void add(std::string_view name, std::string_view value, std::string_view type);
  void send_locked();
  void run_flusher();

  StatsdOptions options_;
  int socket_ = -1;
  mutable std::mutex mutex_;
  std::string pending_;
  std::uint64_t send_failures_ = 0;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread flusher_;
};

// "/v1/companies/{id}" -> "v1_companies_id": a StatsD-safe name segment.
std::string metric_segment(std::string_view text);

}  // namespace marquee::obs

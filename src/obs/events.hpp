#pragma once
// Job lifecycle events (docs/OBSERVABILITY.md): JSON objects appended to
// DATA_DIR/events.jsonl always, and, when configured, added to a Redis
// stream (XADD marquee:events MAXLEN ~ N) that consumers read with consumer
// groups. Redis is best effort: a failure never fails the job; the event stays
// in events.jsonl, the failure goes to stderr and redis_failures().
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include <boost/json/object.hpp>

namespace marquee::obs {

struct EventOptions {
  std::filesystem::path file;      // DATA_DIR/events.jsonl; empty: none
  std::string redis_url;           // redis://HOST:PORT[/DB]; empty: none
  std::uint64_t maxlen = 100000;   // the stream's approximate cap
  std::string stream = "marquee:events";
};

class Events {
 public:
  explicit Events(EventOptions options);  // throws std::invalid_argument for a bad URL
  ~Events();
  Events(const Events&) = delete;
  Events& operator=(const Events&) = delete;

  // type: job_started, transformed, loaded, published, failed, retired,
  // archived. `figures` become fields of the event.
  void emit(std::string_view type, std::string_view run_id, const boost::json::object& figures = {});

  std::uint64_t emitted() const { return emitted_; }
  std::uint64_t redis_failures() const { return redis_failures_; }

 private:
  void append_to_file(const std::string& line);
  void add_to_stream(std::string_view type, std::string_view run_id, const std::string& line);

  EventOptions options_;
  std::string host_;
  struct Redis;
  std::unique_ptr<Redis> redis_;
  std::uint64_t emitted_ = 0, redis_failures_ = 0;
};

}  // namespace marquee::obs

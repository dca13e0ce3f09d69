#pragma once
// Publish announcements over Redis pub/sub, for replicas that read from a
// PostgreSQL hot standby (docs/SCALE.md, docs/DEPLOY.md). A standby cannot
// LISTEN, and a NOTIFY would reach a replica before its standby has the new
// run anyway; so the job, after its publish has committed on the primary,
// PUBLISHes "<run id> <primary WAL insert LSN>" on channel marquee:publish.
// A replica that hears it waits until its standby has replayed that LSN
// (pg_last_wal_replay_lsn()) and only then re-reads the published row. The
// message only wakes replicas early: the published row stays the truth, and
// polling it alone is always correct (a standby replays commits in order, so
// the row it shows names a run whose tables it already has).
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <atomic>

#include "api/redis_cache.hpp"

namespace marquee::api {

inline constexpr std::string_view kPublishChannel = "marquee:publish";

struct Announcement {
  std::string run_id;
  std::string lsn;  // PostgreSQL LSN text, "16/B374D848"
  bool operator==(const Announcement&) const = default;
};

std::string format_announcement(const Announcement& a);
// nullopt for anything that is not exactly "<run id> <lsn>" (untrusted input).
std::optional<Announcement> parse_announcement(std::string_view message);

// PUBLISHes once; returns the number of subscribers that received it, or
// throws std::runtime_error naming the Redis endpoint.
long long publish_announcement(const RedisEndpoint& endpoint, const Announcement& a,
                               std::chrono::milliseconds timeout = std::chrono::milliseconds(2000));

// A thread that stays SUBSCRIBEd, reconnecting every second while Redis is
// down, and hands each well-formed message to `on_message`.
class PublishSubscriber {
 public:
  PublishSubscriber(RedisEndpoint endpoint, std::function<void(const Announcement&)> on_message);
  ~PublishSubscriber();
  void start();
  void stop();

 private:
  void loop();
  bool listen_once();  // one connection's life; false when it could not connect

  const RedisEndpoint endpoint_;
  std::function<void(const Announcement&)> on_message_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace marquee::api

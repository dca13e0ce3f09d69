#pragma once
// Which run is published, as this process last saw it, and the thread that
// keeps it current. The watcher reads the `published` pointer every poll
// interval (cheap: one row) and, on PostgreSQL, also LISTENs on
// marquee_publish on a dedicated connection, so a publish is picked up at
// once there and within the poll interval everywhere. When the database is
// unreachable the last known run stays current: the API keeps serving what it
// has (from cache) instead of failing.
//
// On a hot standby (pg_is_in_recovery(), checked on each new session) there
// is no LISTEN: PostgreSQL refuses it during recovery. The watcher polls, and
// an announcement heard on Redis (api/publish_channel.hpp) wakes it early: it
// waits until the standby has replayed the announced primary LSN and then
// re-reads the published row, so it never switches to a run its database
// does not have yet.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <optional>

#include "api/connection_pool.hpp"
#include "api/metrics.hpp"
#include "store/read_model.hpp"

namespace marquee::api {

class RunTracker {
 public:
  std::shared_ptr<const store::PublishedPointer> current() const;  // null: none published
  bool database_ok() const { return database_ok_.load(std::memory_order_relaxed); }
  bool has_checked() const { return checked_.load(std::memory_order_relaxed); }
  // Returns true when the published run changed.
  bool update(const std::optional<store::PublishedPointer>& published);
  void mark_database_down() { database_ok_.store(false, std::memory_order_relaxed); }
  void mark_database_up() { database_ok_.store(true, std::memory_order_relaxed); }
  // Replica state for /readyz: serving from a standby, and since when an
  // announced publish has been waiting for the standby to replay it.
  bool standby() const { return standby_.load(std::memory_order_relaxed); }
  void set_standby(bool on) { standby_.store(on, std::memory_order_relaxed); }
  std::optional<std::chrono::steady_clock::time_point> waiting_since() const;
  void set_waiting_since(std::optional<std::chrono::steady_clock::time_point> since);

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const store::PublishedPointer> current_;
  std::atomic<bool> database_ok_{false};
  std::atomic<bool> checked_{false};
  std::atomic<bool> standby_{false};
  std::optional<std::chrono::steady_clock::time_point> waiting_since_;  // under mutex_
};

struct WatchOptions {
  std::chrono::milliseconds poll_interval{250};
};

class PublishWatcher {
 public:
  PublishWatcher(std::string url, Connector connector, RunTracker& tracker, Metrics& metrics,
                 WatchOptions options);
  ~PublishWatcher();

  // Reads the pointer once, synchronously (used at start-up).
  void refresh();
  void start();
  void stop();
  // A publish heard on Redis: switch once the standby has replayed `lsn`.
  // Thread-safe; a newer announcement replaces a pending one. It stops
  // pending, too, once polling shows `run_id` published (so a bogus LSN on
  // Redis cannot hold /readyz at 503 beyond the next publish seen).
  void announce(const std::string& run_id, const std::string& lsn);

 private:
  class Listener;
  void loop();
  void wait_for_change();
  void check_role();
  bool replayed(const std::string& lsn);  // false when unknown (database down)

  const std::string url_;
  Connector connector_;
  RunTracker& tracker_;
  Metrics& metrics_;
  const WatchOptions options_;
  std::unique_ptr<store::Connection> connection_;
  std::unique_ptr<Listener> listener_;  // PostgreSQL only
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::optional<std::string> pending_lsn_;  // under mutex_
  std::string pending_run_;                 // under mutex_
  std::chrono::steady_clock::time_point last_logged_{};
};

bool is_postgres_url(std::string_view url);

}  // namespace marquee::api

#pragma once
// Which run is published, as this process last saw it, and the thread that
// keeps it current. The watcher reads the `published` pointer every poll
// interval (cheap: one row) and, on PostgreSQL, also LISTENs on
// marquee_publish on a dedicated connection, so a publish is picked up at
// once there and within the poll interval everywhere. When the database is
// unreachable the last known run stays current: the API keeps serving what it
// has (from cache) instead of failing.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

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

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const store::PublishedPointer> current_;
  std::atomic<bool> database_ok_{false};
  std::atomic<bool> checked_{false};
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

 private:
  class Listener;
  void loop();
  void wait_for_change();

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
  std::chrono::steady_clock::time_point last_logged_{};
};

bool is_postgres_url(std::string_view url);

}  // namespace marquee::api

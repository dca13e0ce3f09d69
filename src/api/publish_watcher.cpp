#include "api/publish_watcher.hpp"

#include "obs/log.hpp"
#include "store/libpq.hpp"
#include <poll.h>

#include <cstdio>

#include <fmt/format.h>

namespace marquee::api {

using store::pq;

bool is_postgres_url(std::string_view url) {
  return url.starts_with("postgresql://") || url.starts_with("postgres://");
}

std::shared_ptr<const store::PublishedPointer> RunTracker::current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

bool RunTracker::update(const std::optional<store::PublishedPointer>& published) {
  database_ok_.store(true, std::memory_order_relaxed);
  checked_.store(true, std::memory_order_relaxed);
  std::lock_guard lock(mutex_);
  const bool same = published ? (current_ && *current_ == *published) : !current_;
  if (same) return false;
  current_ = published ? std::make_shared<const store::PublishedPointer>(*published) : nullptr;
  return true;
}

// A dedicated libpq session that LISTENs on marquee_publish. It only wakes
// the watcher; the pointer itself is always re-read from the table, so a
// lost or coalesced notification can never leave us on the wrong run.
class PublishWatcher::Listener {
 public:
  explicit Listener(std::string url) : url_(std::move(url)) {}
  ~Listener() { close(); }

  // Waits up to `timeout`; true when a notification arrived.
  bool wait(std::chrono::milliseconds timeout) {
    if (!connection_ && !connect()) {
      std::this_thread::sleep_for(timeout);  // polling alone keeps us current meanwhile
      return false;
    }
    pollfd fd{pq().PQsocket(connection_), POLLIN, 0};
    if (::poll(&fd, 1, static_cast<int>(timeout.count())) <= 0) return false;
    if (pq().PQconsumeInput(connection_) != 1) {
      close();
      return false;
    }
    bool notified = false;
    while (PGnotify* notify = pq().PQnotifies(connection_)) {
      notified = true;
      pq().PQfreemem(notify);
    }
    return notified;
  }

 private:
  bool connect() {
    const auto now = std::chrono::steady_clock::now();
    if (now < retry_at_) return false;
    retry_at_ = now + std::chrono::seconds(1);
    connection_ = pq().PQconnectdb(url_.c_str());
    if (pq().PQstatus(connection_) != CONNECTION_OK) {
      close();
      return false;
    }
    PGresult* result = pq().PQexec(connection_, "LISTEN marquee_publish");
    const bool ok = pq().PQresultStatus(result) == PGRES_COMMAND_OK;
    pq().PQclear(result);
    if (!ok) close();
    return ok;
  }

  void close() {
    if (connection_) pq().PQfinish(connection_);
    connection_ = nullptr;
  }

  std::string url_;
  PGconn* connection_ = nullptr;
  std::chrono::steady_clock::time_point retry_at_{};
};

PublishWatcher::PublishWatcher(std::string url, Connector connector, RunTracker& tracker,
                               Metrics& metrics, WatchOptions options)
    : url_(std::move(url)),
      connector_(std::move(connector)),
      tracker_(tracker),
      metrics_(metrics),
      options_(options) {
  if (is_postgres_url(url_)) listener_ = std::make_unique<Listener>(url_);
}

PublishWatcher::~PublishWatcher() { stop(); }

void PublishWatcher::refresh() {
  try {
    if (!connection_) connection_ = connector_(url_);
    store::ReadModel model(*connection_);
    const auto published = model.published();
    if (tracker_.update(published)) {
      metrics_.publish_change();
      if (published)
        obs::log("info", fmt::format("serving run {} (generation {})", published->run_id, published->generation),
                 {{"run_id", published->run_id}}, "serve");
      else
        obs::log("info", "no run is published", {}, "serve");
    }
  } catch (const std::exception& e) {
    connection_.reset();
    tracker_.mark_database_down();
    metrics_.database_error();
    const auto now = std::chrono::steady_clock::now();
    if (now - last_logged_ > std::chrono::seconds(10)) {
      last_logged_ = now;
      obs::log("error", fmt::format("cannot read the published run: {}", e.what()), {}, "serve");
    }
  }
}

void PublishWatcher::start() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { loop(); });
}

void PublishWatcher::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void PublishWatcher::wait_for_change() {
  if (listener_) {
    // In short slices, so that stop() is never kept waiting for long.
    const auto deadline = std::chrono::steady_clock::now() + options_.poll_interval;
    for (;;) {
      {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return;
      if (listener_->wait(std::min(left, std::chrono::milliseconds(200)))) return;
    }
  }
  std::unique_lock lock(mutex_);
  wake_.wait_for(lock, options_.poll_interval, [this] { return stopping_; });
}

void PublishWatcher::loop() {
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    wait_for_change();
    refresh();
  }
}

}  // namespace marquee::api

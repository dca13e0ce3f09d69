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

std::optional<std::chrono::steady_clock::time_point> RunTracker::waiting_since() const {
  std::lock_guard lock(mutex_);
  return waiting_since_;
}

void RunTracker::set_waiting_since(std::optional<std::chrono::steady_clock::time_point> since) {
  std::lock_guard lock(mutex_);
  waiting_since_ = since;
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
    if (!connection_) {
      connection_ = connector_(url_);
      check_role();
    }
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

// Called on each new session: a standby may have been promoted meanwhile.
void PublishWatcher::check_role() {
  if (!is_postgres_url(url_)) return;
  const store::Result r = connection_->query("SELECT pg_is_in_recovery()");
  const bool standby = !r.rows.empty() && r.rows[0][0] && *r.rows[0][0] == "true";
  if (standby != tracker_.standby())
    std::fprintf(stderr, "marquee serve: the database is %s\n",
                 standby ? "a hot standby: no LISTEN; following publishes by polling and Redis announcements"
                         : "a primary");
  tracker_.set_standby(standby);
  if (standby) listener_.reset();
  else if (!listener_) listener_ = std::make_unique<Listener>(url_);
}

bool PublishWatcher::replayed(const std::string& lsn) {
  try {
    if (!connection_) {
      connection_ = connector_(url_);
      check_role();
    }
    if (!is_postgres_url(url_)) return true;
    const store::Param p[] = {lsn};
    // NULL on a primary: nothing to wait for there.
    const store::Result r =
        connection_->query("SELECT COALESCE(pg_last_wal_replay_lsn() >= $1::pg_lsn, true)", p);
    return !r.rows.empty() && r.rows[0][0] && *r.rows[0][0] == "true";
  } catch (const std::exception&) {
    connection_.reset();
    tracker_.mark_database_down();
    return false;
  }
}

void PublishWatcher::announce(const std::string& run_id, const std::string& lsn) {
  {
    std::lock_guard lock(mutex_);
    pending_lsn_ = lsn;
    pending_run_ = run_id;
  }
  if (!tracker_.waiting_since()) tracker_.set_waiting_since(std::chrono::steady_clock::now());
  wake_.notify_all();
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
  wake_.wait_for(lock, options_.poll_interval, [this] { return stopping_ || pending_lsn_.has_value(); });
}

void PublishWatcher::loop() {
  using clock = std::chrono::steady_clock;
  auto next_poll = clock::now() + options_.poll_interval;
  for (;;) {
    std::optional<std::string> pending;
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      pending = pending_lsn_;
    }
    if (!pending) {
      wait_for_change();
      std::lock_guard lock(mutex_);
      if (pending_lsn_) continue;  // woken by an announcement: wait for its replay first
    } else if (replayed(*pending)) {
      {
        std::lock_guard lock(mutex_);
        if (pending_lsn_ == pending) pending_lsn_.reset();
        if (!pending_lsn_) tracker_.set_waiting_since(std::nullopt);
      }
    } else {
      // Not replayed yet: look again shortly (at the poll interval while the
      // database does not answer), and keep the regular poll going.
      const auto pause = tracker_.database_ok() ? std::chrono::milliseconds(5) : options_.poll_interval;
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, pause, [this] { return stopping_; });
      if (clock::now() < next_poll) continue;
    }
    refresh();
    next_poll = clock::now() + options_.poll_interval;
    if (const auto current = tracker_.current()) {
      std::lock_guard lock(mutex_);
      if (pending_lsn_ && current->run_id == pending_run_) {
        pending_lsn_.reset();
        tracker_.set_waiting_since(std::nullopt);
      }
    }
  }
}

}  // namespace marquee::api

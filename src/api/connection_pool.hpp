#pragma once
// A bounded pool of database sessions for the blocking request workers.
// A connection that failed is discarded rather than returned, so the next
// request reconnects: a restarted database heals without a restart of ours.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "store/connection.hpp"

namespace marquee::api {

using Connector = std::function<std::unique_ptr<store::Connection>(const std::string& url)>;

class ConnectionPool {
 public:
  class Lease {
   public:
    Lease(ConnectionPool& pool, std::unique_ptr<store::Connection> connection)
        : pool_(&pool), connection_(std::move(connection)) {}
    Lease(Lease&& other) noexcept
        : pool_(std::exchange(other.pool_, nullptr)), connection_(std::move(other.connection_)) {}
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    store::Connection& operator*() const { return *connection_; }
    store::Connection* operator->() const { return connection_.get(); }
    // The connection failed: close it instead of returning it.
    void discard() { connection_.reset(); }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<store::Connection> connection_;
  };

  ConnectionPool(std::string url, std::size_t size, Connector connector);

  // Waits up to `wait` for a free slot; throws store::DatabaseError when none
  // frees up or connecting fails.
  Lease acquire(std::chrono::milliseconds wait = std::chrono::milliseconds(5000));

 private:
  void release(std::unique_ptr<store::Connection> connection);

  const std::string url_;
  const std::size_t size_;
  Connector connector_;
  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<store::Connection>> idle_;
  std::size_t in_use_ = 0;
};

}  // namespace marquee::api

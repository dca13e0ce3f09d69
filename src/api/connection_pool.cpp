#include "api/connection_pool.hpp"

namespace marquee::api {

ConnectionPool::Lease::~Lease() {
  if (pool_) pool_->release(std::move(connection_));
}

ConnectionPool::ConnectionPool(std::string url, std::size_t size, Connector connector)
    : url_(std::move(url)), size_(size == 0 ? 1 : size), connector_(std::move(connector)) {}

ConnectionPool::Lease ConnectionPool::acquire(std::chrono::milliseconds wait) {
  std::unique_lock lock(mutex_);
  if (!freed_.wait_for(lock, wait, [&] { return in_use_ < size_; }))
    throw store::DatabaseError("no database connection became free in time");
  ++in_use_;
  if (!idle_.empty()) {
    auto connection = std::move(idle_.back());
    idle_.pop_back();
    return Lease(*this, std::move(connection));
  }
  lock.unlock();
  // Connect outside the lock: it may take a while and must not block others.
  try {
    return Lease(*this, connector_(url_));
  } catch (...) {
    release(nullptr);
    throw;
  }
}

void ConnectionPool::release(std::unique_ptr<store::Connection> connection) {
  {
    std::lock_guard lock(mutex_);
    --in_use_;
    if (connection) idle_.push_back(std::move(connection));
  }
  freed_.notify_one();
}

}  // namespace marquee::api

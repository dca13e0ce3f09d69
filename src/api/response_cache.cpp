#include "api/response_cache.hpp"

namespace marquee::api {

// Roughly what an entry really costs: list node, map node, two strings.
constexpr std::size_t kEntryOverhead = 160;

ResponseCache::ResponseCache(std::size_t capacity_bytes) : capacity_(capacity_bytes) {}

std::size_t ResponseCache::cost_of(const std::string& key, const CachedResponse& value) {
  return 2 * key.size() + value.body.size() + value.etag.size() + kEntryOverhead;
}

std::shared_ptr<const CachedResponse> ResponseCache::get(const std::string& key) {
  std::lock_guard lock(mutex_);
  const auto it = index_.find(key);
  if (it == index_.end()) return nullptr;
  order_.splice(order_.begin(), order_, it->second);
  return it->second->value;
}

void ResponseCache::put(const std::string& key, std::shared_ptr<const CachedResponse> value) {
  if (!value) return;
  const std::size_t cost = cost_of(key, *value);
  if (cost > capacity_ / 8) return;
  std::lock_guard lock(mutex_);
  if (const auto it = index_.find(key); it != index_.end()) {
    bytes_ -= it->second->cost;
    order_.erase(it->second);
    index_.erase(it);
  }
  evict_to(capacity_ - cost);
  order_.push_front(Entry{key, std::move(value), cost});
  index_.emplace(key, order_.begin());
  bytes_ += cost;
}

void ResponseCache::evict_to(std::size_t limit) {
  while (bytes_ > limit && !order_.empty()) {
    bytes_ -= order_.back().cost;
    index_.erase(order_.back().key);
    order_.pop_back();
  }
}

std::size_t ResponseCache::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

std::size_t ResponseCache::entries() const {
  std::lock_guard lock(mutex_);
  return index_.size();
}

}  // namespace marquee::api

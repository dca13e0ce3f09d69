#pragma once
// The in-process cache of serialized responses: least recently used first
// out, bounded by the bytes it holds (keys and bodies), safe to share between
// threads. Keys carry the run id, so a newly published run never sees an
// older run's entries; they simply age out.
#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace marquee::api {

struct CachedResponse {
  std::string body;
  std::string etag;  // quoted, as sent in the ETag header
};

class ResponseCache {
 public:
  explicit ResponseCache(std::size_t capacity_bytes);

  std::shared_ptr<const CachedResponse> get(const std::string& key);
  // An entry larger than an eighth of the capacity is not kept: one huge page
  // must not flush everything else.
  void put(const std::string& key, std::shared_ptr<const CachedResponse> value);

  std::size_t bytes() const;
  std::size_t entries() const;
  std::size_t capacity() const { return capacity_; }

 private:
  struct Entry {
    std::string key;
    std::shared_ptr<const CachedResponse> value;
    std::size_t cost;
  };
  static std::size_t cost_of(const std::string& key, const CachedResponse& value);
  void evict_to(std::size_t limit);

  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::list<Entry> order_;  // front = most recently used
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
  std::size_t bytes_ = 0;
};

}  // namespace marquee::api

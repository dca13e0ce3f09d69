#pragma once
// Names by integer id, compact: the company dimension holds millions of them
// at 1000x (1.7 million companies), where a std::map<int64, std::string>
// node, its heap string and a lookup slot cost over 100 bytes a name. Here a
// name costs its bytes in a block arena, an (id, name) entry in chunked
// storage and a hash slot. Append-only: the first name kept for an id never
// changes, and the string_views handed out live as long as the table.
#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>

#include "common/chunked_vector.hpp"

namespace marquee::model {

class IdNames {
 public:
  using Entry = std::pair<std::int64_t, std::string_view>;

  // The name kept for `id`: the one already there, or `name`, now added.
  // `added` tells which.
  std::string_view add(std::int64_t id, std::string_view name, bool& added);
  // Null when the id is unknown.
  const std::string_view* find(std::int64_t id) const;
  std::size_t size() const { return entries_.size(); }

  // Calls visit(id, name) in id order (sorts an index of the entries).
  template <class Visit>
  void for_each_ordered(const Visit& visit) const {
    for (const std::uint32_t i : order()) visit(entries_[i].first, entries_[i].second);
  }

 private:
  std::string_view store(std::string_view name);
  std::vector<std::uint32_t> order() const;

  static constexpr std::size_t kBlock = std::size_t{1} << 20;
  std::vector<std::unique_ptr<char[]>> blocks_;  // names never move
  std::size_t block_free_ = 0;                   // bytes left in the last block
  char* block_next_ = nullptr;
  ChunkedVector<Entry> entries_;
  boost::unordered_flat_map<std::int64_t, std::uint32_t> index_;  // id -> entry
};

}  // namespace marquee::model

#include "model/id_names.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace marquee::model {

std::string_view IdNames::store(std::string_view name) {
  if (name.size() > block_free_) {
    // A name longer than a block gets a block of its own size.
    const std::size_t size = std::max(kBlock, name.size());
    blocks_.push_back(std::make_unique<char[]>(size));
    block_next_ = blocks_.back().get();
    block_free_ = size;
  }
  if (!name.empty()) std::memcpy(block_next_, name.data(), name.size());
  const std::string_view kept(block_next_, name.size());
  block_next_ += name.size();
  block_free_ -= name.size();
  return kept;
}

std::string_view IdNames::add(std::int64_t id, std::string_view name, bool& added) {
  added = false;
  if (const auto found = index_.find(id); found != index_.end()) return entries_[found->second].second;
  if (entries_.size() >= std::numeric_limits<std::uint32_t>::max()) {
    throw std::length_error("dimensions: more than 4 billion names of one kind");
  }
  const std::string_view kept = store(name);
  index_.emplace(id, static_cast<std::uint32_t>(entries_.size()));
  entries_.emplace_back(id, kept);
  added = true;
  return kept;
}

const std::string_view* IdNames::find(std::int64_t id) const {
  const auto found = index_.find(id);
  return found == index_.end() ? nullptr : &entries_[found->second].second;
}

std::vector<std::uint32_t> IdNames::order() const {
  std::vector<std::uint32_t> order(entries_.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(),
            [this](std::uint32_t a, std::uint32_t b) { return entries_[a].first < entries_[b].first; });
  return order;
}

}  // namespace marquee::model

#pragma once
// company_year_genre's counting (internal to src/rollup).
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "common/chunked_vector.hpp"

namespace marquee::rollup::detail {

// Hand-written hot path (std::sort costs several times more here): a stable
// LSD radix sort of items by a 64-bit key, byte by byte, skipping the byte
// positions where every key agrees (most of them: the keys are packed small
// indices).
template <class T, class KeyOf>
void radix_sort(std::vector<T>& items, std::vector<T>& scratch, const KeyOf& key_of) {
  if (items.empty()) return;
  scratch.resize(items.size());
  for (int shift = 0; shift < 64; shift += 8) {
    std::size_t counts[256] = {};
    for (const T& item : items) ++counts[(key_of(item) >> shift) & 0xff];
    if (counts[(key_of(items[0]) >> shift) & 0xff] == items.size()) continue;
    std::size_t offsets[256];
    std::size_t total = 0;
    for (int digit = 0; digit < 256; ++digit) {
      offsets[digit] = total;
      total += counts[digit];
    }
    for (const T& item : items) scratch[offsets[(key_of(item) >> shift) & 0xff]++] = item;
    items.swap(scratch);
  }
}

// Hand-written hot path: company_year_genre's counts, the largest rollup
// (4.7 million keys at 100x). Counting them in a hash table cost a cache
// miss per (company, genre) of every movie. Instead the keys -- packed
// (company_year index, genre index) -- are appended to a buffer; a full
// buffer is radix-sorted and merged into a sorted array of (key, count).
// Every step is a sequential pass. The merge works in place, from the back,
// into chunked storage: memory is the distinct keys plus the fixed buffers,
// never a second copy of the counts (at 1000x that copy was 200 MB).
class PairCounter {
 public:
  using Entry = std::pair<std::uint64_t, std::int64_t>;
  using Entries = marquee::ChunkedVector<Entry, 16>;

  void add(std::uint64_t key) {
    pending_.push_back(key);
    if (pending_.size() == kPending) fold();
  }

  // Every (key, count), sorted by key, keys distinct. Counting is over: the
  // buffers are freed for the tables written next.
  const Entries& entries() {
    fold();
    std::vector<std::uint64_t>().swap(pending_);
    std::vector<std::uint64_t>().swap(scratch_);
    return counted_;
  }

  // Distinct keys counted so far (not those still in the buffer).
  std::size_t size() const { return counted_.size(); }
  // The memory held now: the counts and the two buffers.
  std::size_t bytes() const {
    return counted_.size() * sizeof(Entry) + (pending_.capacity() + scratch_.capacity()) * sizeof(std::uint64_t);
  }
  // Forgets every count and frees all memory.
  void clear() {
    std::vector<std::uint64_t>().swap(pending_);
    std::vector<std::uint64_t>().swap(scratch_);
    counted_.clear();
  }

 private:
  // 8 MiB of keys (and as much scratch): the buffers are alive at the job's
  // peak, and a smaller buffer only means more, cheaper merges.
  static constexpr std::size_t kPending = std::size_t{1} << 20;

  void fold() {
    if (pending_.empty()) return;
    if (pending_.capacity() < kPending) pending_.reserve(kPending);
    radix_sort(pending_, scratch_, [](std::uint64_t key) { return key; });
    // First pass: how many of the buffer's distinct keys are new.
    const std::size_t old_size = counted_.size();
    std::size_t fresh = 0;
    for (std::size_t i = 0, old = 0; i < pending_.size();) {
      const std::uint64_t key = pending_[i];
      while (i < pending_.size() && pending_[i] == key) ++i;
      while (old < old_size && counted_[old].first < key) ++old;
      if (old == old_size || counted_[old].first != key) ++fresh;
    }
    // Second pass, from the back: each entry lands at or after where it was
    // read, so nothing unread is overwritten.
    counted_.resize(old_size + fresh);
    std::size_t out = old_size + fresh, old = old_size, i = pending_.size();
    while (i > 0) {
      const std::uint64_t key = pending_[i - 1];
      std::int64_t count = 0;
      for (; i > 0 && pending_[i - 1] == key; --i) ++count;
      for (; old > 0 && counted_[old - 1].first > key; --old) counted_[--out] = counted_[old - 1];
      if (old > 0 && counted_[old - 1].first == key) count += counted_[--old].second;
      counted_[--out] = Entry{key, count};
    }
    pending_.clear();
  }

  std::vector<std::uint64_t> pending_, scratch_;
  Entries counted_;  // sorted by key, distinct
};

}  // namespace marquee::rollup::detail

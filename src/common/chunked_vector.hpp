#pragma once
// An append-only sequence in fixed chunks: indices stay valid, elements never
// move, and growing never holds the old and the new storage at once. A
// std::vector of the rollups' per-key totals (128 bytes each, millions of
// keys at 1000x) doubles by copying, so its peak is three times its size at
// the moment it grows; here the peak is the size plus one chunk.
#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

namespace marquee {

template <class T, std::size_t kChunkBits = 14>
class ChunkedVector {
 public:
  static constexpr std::size_t kChunk = std::size_t{1} << kChunkBits;

  template <class... Args>
  T& emplace_back(Args&&... args) {
    if (size_ == chunks_.size() * kChunk) chunks_.push_back(std::make_unique<T[]>(kChunk));
    T& slot = chunks_.back()[size_ & (kChunk - 1)];
    slot = T(std::forward<Args>(args)...);
    ++size_;
    return slot;
  }
  void push_back(const T& value) { emplace_back(value); }

  // Grows (never shrinks) to n elements; the new ones are default-constructed.
  void resize(std::size_t n) {
    while (chunks_.size() * kChunk < n) chunks_.push_back(std::make_unique<T[]>(kChunk));
    if (n > size_) size_ = n;
  }

  // Frees every chunk.
  void clear() {
    std::vector<std::unique_ptr<T[]>>().swap(chunks_);
    size_ = 0;
  }

  T& operator[](std::size_t i) { return chunks_[i >> kChunkBits][i & (kChunk - 1)]; }
  const T& operator[](std::size_t i) const { return chunks_[i >> kChunkBits][i & (kChunk - 1)]; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

 private:
  std::vector<std::unique_ptr<T[]>> chunks_;  // elements default-constructed, then assigned
  std::size_t size_ = 0;
};

}  // namespace marquee

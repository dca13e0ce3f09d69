#include "csv/byte_window.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace marquee::csv {

ByteWindow::ByteWindow(input::ByteSource& source, std::size_t block_size, std::size_t max_pending)
    : source_(source),
      block_size_(block_size),
      max_capacity_(max_pending > SIZE_MAX - block_size ? SIZE_MAX : max_pending + block_size) {}

void ByteWindow::fill() {
  if (at_end_) return;
  if (begin_ > 0) {
    std::memmove(buffer_.get(), buffer_.get() + begin_, end_ - begin_);
    offset_ += begin_;
    end_ -= begin_;
    begin_ = 0;
  }
  reserve(end_ + block_size_);
  const std::size_t got = source_.read(buffer_.get() + end_, block_size_);
  if (got == 0) at_end_ = true;
  end_ += got;
  bytes_read_ += got;
}

// Doubling keeps small block sizes from reallocating at every fill while one
// long record accumulates; the cap keeps doubling from overshooting the bound.
void ByteWindow::reserve(std::size_t capacity) {
  if (capacity <= capacity_) return;
  const std::size_t grown = std::max(capacity, std::min(capacity_ * 2, max_capacity_));
  auto buffer = std::make_unique_for_overwrite<char[]>(grown);
  if (end_ > 0) std::memcpy(buffer.get(), buffer_.get(), end_);
  buffer_ = std::move(buffer);
  capacity_ = grown;
}

}  // namespace marquee::csv

#pragma once
// The reader's sliding window over a ByteSource: the bytes not consumed yet,
// refilled a block at a time. Its buffer grows only as far as one record
// needs, so memory stays bounded whatever the input size.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "input/byte_source.hpp"

namespace marquee::csv {

class ByteWindow {
 public:
  // `max_pending`: the most unconsumed bytes the caller lets accumulate
  // before it consumes some; the buffer never grows past that plus a block.
  ByteWindow(input::ByteSource& source, std::size_t block_size, std::size_t max_pending);

  // Bytes read but not consumed yet. Valid until the next fill().
  std::string_view pending() const { return {buffer_.get() + begin_, end_ - begin_}; }
  // True once the source has reported its end: pending() is all that is left.
  bool at_end() const { return at_end_; }
  // Input offset of pending()'s first byte.
  std::uint64_t offset() const { return offset_ + begin_; }
  std::uint64_t bytes_read() const { return bytes_read_; }
  // Bytes allocated for the buffer (tests check the memory bound with it).
  std::size_t capacity() const { return capacity_; }

  void consume(std::size_t count) { begin_ += count; }
  // Reads one more block behind the pending bytes (moving them to the front
  // of the buffer first).
  void fill();

 private:
  void reserve(std::size_t capacity);

  input::ByteSource& source_;
  std::size_t block_size_;
  std::size_t max_capacity_;
  std::unique_ptr<char[]> buffer_;
  std::size_t capacity_ = 0;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  std::uint64_t offset_ = 0;  // input offset of buffer_[0]
  std::uint64_t bytes_read_ = 0;
  bool at_end_ = false;
};

}  // namespace marquee::csv

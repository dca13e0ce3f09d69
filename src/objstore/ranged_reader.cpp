#include "objstore/ranged_reader.hpp"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

namespace marquee::objstore {

RangedReader::RangedReader(std::shared_ptr<S3Client> client, S3Location location, std::size_t window)
    : client_(std::move(client)), location_(std::move(location)), window_(window) {
  // A small first window: opening an object only to check it (`marquee run`
  // does before it takes the lock), or to read a zip's signature, must not
  // cost a full window.
  fill(0, std::min<std::size_t>(window_, 64u << 10));
}

void RangedReader::fill(std::uint64_t offset, std::size_t window) {
  buffer_.clear();
  buffer_.reserve(window);
  start_ = offset;
  ++requests_;
  const ObjectRange got = client_->get(location_, offset, window, [this, window](const char* data, std::size_t n) {
    // A server that sends more than asked for must not grow memory.
    const std::size_t room = window - std::min(window, buffer_.size());
    buffer_.append(data, std::min(n, room));
  });
  if (got.total_size) {
    size_ = *got.total_size;
  } else if (offset == 0) {
    size_ = buffer_.size();
  }
  if (buffer_.size() > size_ - std::min(size_, offset)) buffer_.resize(size_ - std::min(size_, offset));
}

std::size_t RangedReader::read_at(std::uint64_t offset, char* out, std::size_t count) {
  if (offset >= size_ || count == 0) return 0;
  if (offset < start_ || offset >= start_ + buffer_.size()) {
    fill(offset, window_);
    if (buffer_.empty()) {
      throw S3Error(1, fmt::format("{}: the object ended at byte {} while {} bytes were expected (changed during the read?)",
                                   location_.url(), offset, size_),
                    0, "");
    }
  }
  const std::size_t at = static_cast<std::size_t>(offset - start_);
  const std::size_t n = std::min(count, buffer_.size() - at);
  std::memcpy(out, buffer_.data() + at, n);
  return n;
}

}  // namespace marquee::objstore

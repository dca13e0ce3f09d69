#pragma once
// Reads an S3 object at any offset through a window of bytes fetched with one
// ranged GET at a time: sequential reads cost one request per window, and
// memory stays at one window whatever the object's size. A dropped
// connection is resumed by S3Client::get from the byte reached.
#include <cstdint>
#include <memory>
#include <string>

#include "objstore/s3_client.hpp"

namespace marquee::objstore {

class RangedReader {
 public:
  // Fetches the first 64 KiB, which also tells the object's size. Throws
  // S3Error naming the URL (no such bucket or key, access denied, ...).
  RangedReader(std::shared_ptr<S3Client> client, S3Location location, std::size_t window = 8u << 20);

  std::uint64_t size() const { return size_; }
  const S3Location& location() const { return location_; }
  // Copies up to `count` bytes at `offset` into `out`; returns 0 only at the end.
  std::size_t read_at(std::uint64_t offset, char* out, std::size_t count);
  std::uint64_t requests() const { return requests_; }

 private:
  void fill(std::uint64_t offset, std::size_t window);

  std::shared_ptr<S3Client> client_;
  S3Location location_;
  std::size_t window_;
  std::uint64_t size_ = 0;
  std::uint64_t start_ = 0;  // offset of buffer_[0]
  std::string buffer_;
  std::uint64_t requests_ = 0;
};

}  // namespace marquee::objstore

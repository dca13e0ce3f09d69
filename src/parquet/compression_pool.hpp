#pragma once
// Compresses data pages on worker threads, so that the thread filling a
// table only encodes values while the pages it has finished are compressed
// beside it (zstd is most of the cost of writing a text-heavy table). Pages
// come back as futures and are assembled in order, so the file is the same
// byte for byte with or without a pool.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "parquet/compression.hpp"
#include "parquet/metadata.hpp"
#include "parquet/options.hpp"

namespace marquee::parquet {

// A page ready to be written: its header (sizes and CRC filled in) followed
// by its compressed body.
struct EncodedPage {
  std::string bytes;
  std::size_t uncompressed_size = 0;  // header + body before compression
};

// Compresses `body`, completes `header` (sizes, CRC) and serializes both.
EncodedPage encode_page(Compressor& compressor, format::PageHeader header, std::string_view body,
                        bool checksum);

class CompressionPool {
 public:
  // `threads` >= 1 workers, each with a compressor of its own. submit()
  // waits while more than `max_queued_bytes` of pages wait for a worker, so
  // memory stays bounded when pages come faster than they are compressed.
  CompressionPool(Compression compression, int zstd_level, bool checksums, std::size_t threads,
                  std::size_t max_queued_bytes = 64u << 20);
  ~CompressionPool();  // finishes the queued pages first
  CompressionPool(const CompressionPool&) = delete;
  CompressionPool& operator=(const CompressionPool&) = delete;

  std::future<EncodedPage> submit(format::PageHeader header, std::string body);

 private:
  void work(Compressor& compressor);

  const Compression compression_;
  const int zstd_level_;
  const bool checksums_;
  const std::size_t max_queued_bytes_;
  std::mutex mutex_;
  std::condition_variable ready_, space_;
  struct Queued {
    std::packaged_task<EncodedPage(Compressor&)> task;
    std::size_t bytes;
  };
  std::deque<Queued> queue_;
  std::size_t queued_bytes_ = 0;
  bool closing_ = false;
  std::vector<std::unique_ptr<Compressor>> compressors_;  // one per worker
  std::vector<std::thread> threads_;
};

}  // namespace marquee::parquet

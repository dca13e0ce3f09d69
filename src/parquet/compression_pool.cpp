#include "parquet/compression_pool.hpp"

#include <zlib.h>

#include <algorithm>

#include "common/thread_role.hpp"

namespace marquee::parquet {

EncodedPage encode_page(Compressor& compressor, format::PageHeader header, std::string_view body,
                        bool checksum) {
  std::string compressed;
  compressor.compress(body, compressed);
  header.uncompressed_page_size = static_cast<std::int32_t>(body.size());
  header.compressed_page_size = static_cast<std::int32_t>(compressed.size());
  if (checksum) {
    const uLong crc = crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(compressed.data()),
                            static_cast<uInt>(compressed.size()));
    header.crc = static_cast<std::int32_t>(static_cast<std::uint32_t>(crc));
  }
  EncodedPage page;
  format::append_page_header(page.bytes, header);
  page.uncompressed_size = page.bytes.size() + body.size();
  page.bytes.append(compressed);
  return page;
}

CompressionPool::CompressionPool(Compression compression, int zstd_level, bool checksums,
                                 std::size_t threads, std::size_t max_queued_bytes)
    : compression_(compression), zstd_level_(zstd_level), checksums_(checksums), max_queued_bytes_(max_queued_bytes) {
  // The compressors first: a worker that could not get one would leave its
  // pages unanswered.
  for (std::size_t i = 0; i < std::max<std::size_t>(threads, 1); ++i) {
    compressors_.push_back(std::make_unique<Compressor>(compression_, zstd_level_));
  }
  try {
    for (auto& compressor : compressors_) {
      threads_.emplace_back([this, c = compressor.get()] { work(*c); });
    }
  } catch (...) {
    if (threads_.empty()) throw;  // with one worker or more, the pool works, only slower
  }
}

CompressionPool::~CompressionPool() {
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
  }
  ready_.notify_all();
  for (std::thread& thread : threads_) thread.join();
}

std::future<EncodedPage> CompressionPool::submit(format::PageHeader header, std::string body) {
  const std::size_t bytes = body.size();
  std::packaged_task<EncodedPage(Compressor&)> task(
      [this, header = std::move(header), body = std::move(body)](Compressor& compressor) {
        return encode_page(compressor, header, body, checksums_);
      });
  std::future<EncodedPage> page = task.get_future();
  {
    std::unique_lock lock(mutex_);
    // An empty queue always takes the page, however large.
    space_.wait(lock, [&] { return queue_.empty() || queued_bytes_ + bytes <= max_queued_bytes_; });
    queue_.push_back({std::move(task), bytes});
    queued_bytes_ += bytes;
  }
  ready_.notify_one();
  return page;
}

void CompressionPool::work(Compressor& compressor) {
  // Compression is parallel work: it must not hold up the threads that
  // fill the tables (see thread_role.hpp).
  set_thread_role("marquee-compress", ThreadPriority::Background);
  for (;;) {
    std::packaged_task<EncodedPage(Compressor&)> task;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [&] { return closing_ || !queue_.empty(); });
      if (queue_.empty()) return;  // closing, and nothing left
      task = std::move(queue_.front().task);
      queued_bytes_ -= queue_.front().bytes;
      queue_.pop_front();
    }
    space_.notify_all();
    task(compressor);  // an exception lands in the page's future
  }
}

}  // namespace marquee::parquet

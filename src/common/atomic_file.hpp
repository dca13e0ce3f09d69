#pragma once
// Write-then-rename: a file appears under its final name only complete and
// fsynced. Until commit() it lives under a temporary name beside the target;
// destruction without commit() removes it, and a killed process leaves only a
// ".tmp-" file that nothing treats as an artifact.
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace marquee {

class AtomicFile {
 public:
  explicit AtomicFile(std::filesystem::path target);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(const void* data, std::size_t size);
  void write(std::string_view s) { write(s.data(), s.size()); }
  std::uint64_t bytes_written() const { return bytes_; }
  const std::filesystem::path& target() const { return target_; }
  const std::filesystem::path& temp_path() const { return temp_; }

  // Flushes, fsyncs, renames onto the target and fsyncs the directory.
  void commit();

 private:
  void flush_buffer();
  std::filesystem::path target_;
  std::filesystem::path temp_;
  int fd_ = -1;
  std::string buffer_;
  std::uint64_t bytes_ = 0;
  bool committed_ = false;
};

// fsyncs a directory so that renames inside it are durable.
void fsync_directory(const std::filesystem::path& dir);

}  // namespace marquee

#pragma once
// Write-then-rename: a file appears under its final name only complete and
// fsynced. Until commit() it lives under a temporary name beside the target;
// destruction without commit() removes it, and a killed process leaves only a
// ".tmp-" file that nothing treats as an artifact.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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
  // Under a DeferredSync (same thread), only flushes: see below.
  void commit();

 private:
  void flush_buffer();
  void write_out(const char* data, std::size_t size);
  std::filesystem::path target_;
  std::filesystem::path temp_;
  int fd_ = -1;
  std::string buffer_;
  std::uint64_t bytes_ = 0;
  std::uint64_t bytes_flushed_ = 0;
  bool committed_ = false;
};

// fsyncs a directory so that renames inside it are durable.
void fsync_directory(const std::filesystem::path& dir);
// fsyncs a file written by other means (e.g. by SQLite without syncs).
void fsync_file(const std::filesystem::path& path);

// Batches the durability work of many AtomicFiles. Each fsync costs a
// journal commit (a few ms on a virtual disk), and a job writes a dozen
// files: one at a time that was most of a small run's time. While a
// DeferredSync is alive, AtomicFile::commit() on the same thread only
// flushes and closes the temporary file; sync() then fsyncs all of them at
// once (in parallel, which the filesystem folds into few journal commits),
// renames each onto its target and fsyncs their directories. So a file still
// appears under its name only complete and fsynced. Files not synced when
// the DeferredSync ends are removed.
class DeferredSync {
 public:
  DeferredSync();
  ~DeferredSync();
  DeferredSync(const DeferredSync&) = delete;
  DeferredSync& operator=(const DeferredSync&) = delete;

  void sync();

  // Makes commits on another thread go to `sync` too, while it lives.
  class Join {
   public:
    explicit Join(DeferredSync& sync);
    ~Join();
    Join(const Join&) = delete;
    Join& operator=(const Join&) = delete;

   private:
    DeferredSync* outer_;
  };

 private:
  friend class AtomicFile;
  void add(std::filesystem::path temp, std::filesystem::path target);
  DeferredSync* outer_;
  std::mutex mutex_;  // add() may come from threads that joined
  std::vector<std::pair<std::filesystem::path, std::filesystem::path>> pending_;  // temp, target
};

}  // namespace marquee

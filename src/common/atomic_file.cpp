#include "common/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <mutex>
#include <random>
#include <set>
#include <stdexcept>
#include <system_error>
#include <thread>

#include <fmt/format.h>

namespace marquee {
namespace {

constexpr std::size_t kBufferSize = 1 << 20;

[[noreturn]] void throw_errno(const std::string& what, const std::filesystem::path& path) {
  throw std::system_error(errno, std::generic_category(), fmt::format("{} {}", what, path.string()));
}

std::string random_suffix() {
  std::random_device device;
  return fmt::format("{:08x}", device());
}

// The DeferredSync in force on this thread, if any.
thread_local DeferredSync* active_deferred_sync = nullptr;

void fsync_path(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw_errno("cannot open", path);
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw_errno("cannot fsync", path);
}

// Runs fsync_path on every path at once; rethrows the first failure.
void fsync_all(const std::vector<std::filesystem::path>& paths) {
  std::mutex mutex;
  std::exception_ptr error;
  std::vector<std::thread> threads;
  threads.reserve(paths.size());
  for (const auto& path : paths) {
    threads.emplace_back([&, path] {
      try {
        fsync_path(path);
      } catch (...) {
        std::lock_guard lock(mutex);
        if (!error) error = std::current_exception();
      }
    });
  }
  for (auto& t : threads) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace

void fsync_file(const std::filesystem::path& path) { fsync_path(path); }

void fsync_directory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw_errno("cannot open directory", dir);
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw_errno("cannot fsync directory", dir);
}

AtomicFile::AtomicFile(std::filesystem::path target) : target_(std::move(target)) {
  temp_ = target_;
  temp_ += ".tmp-" + random_suffix();
  fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd_ < 0) throw_errno("cannot create", temp_);
  buffer_.reserve(kBufferSize);
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) {
    std::error_code ignored;
    std::filesystem::remove(temp_, ignored);
  }
}

void AtomicFile::write(const void* data, std::size_t size) {
  if (committed_) throw std::logic_error("write after commit: " + target_.string());
  bytes_ += size;
  if (buffer_.size() + size > kBufferSize) flush_buffer();
  if (size >= kBufferSize) {  // large enough to go out as it is, without a copy
    write_out(static_cast<const char*>(data), size);
    return;
  }
  buffer_.append(static_cast<const char*>(data), size);
}

void AtomicFile::flush_buffer() {
  write_out(buffer_.data(), buffer_.size());
  buffer_.clear();
}

void AtomicFile::write_out(const char* p, std::size_t size) {
  if (size == 0) return;
  for (std::size_t left = size; left > 0;) {
    const ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno("cannot write", temp_);
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  // Start writing these bytes back now, without waiting: the fsync at
  // commit() then finds little left to do, instead of a whole large file.
  ::sync_file_range(fd_, static_cast<off_t>(bytes_flushed_), static_cast<off_t>(size), SYNC_FILE_RANGE_WRITE);
  bytes_flushed_ += size;
}

void AtomicFile::commit() {
  if (committed_) return;
  flush_buffer();
  if (active_deferred_sync != nullptr) {
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) throw_errno("cannot close", temp_);
    committed_ = true;  // from now on the DeferredSync owns the temporary file
    active_deferred_sync->add(temp_, target_);
    return;
  }
  if (::fsync(fd_) != 0) throw_errno("cannot fsync", temp_);
  if (::close(fd_) != 0) {
    fd_ = -1;
    throw_errno("cannot close", temp_);
  }
  fd_ = -1;
  if (::rename(temp_.c_str(), target_.c_str()) != 0) throw_errno("cannot rename onto", target_);
  committed_ = true;
  fsync_directory(target_.parent_path());
}

DeferredSync::DeferredSync() : outer_(active_deferred_sync) { active_deferred_sync = this; }

DeferredSync::~DeferredSync() {
  active_deferred_sync = outer_;
  for (const auto& [temp, target] : pending_) {
    std::error_code ignored;
    std::filesystem::remove(temp, ignored);
  }
}

DeferredSync::Join::Join(DeferredSync& sync) : outer_(active_deferred_sync) { active_deferred_sync = &sync; }

DeferredSync::Join::~Join() { active_deferred_sync = outer_; }

void DeferredSync::add(std::filesystem::path temp, std::filesystem::path target) {
  std::lock_guard lock(mutex_);
  pending_.emplace_back(std::move(temp), std::move(target));
}

void DeferredSync::sync() {
  std::lock_guard lock(mutex_);
  std::vector<std::filesystem::path> temps;
  for (const auto& [temp, target] : pending_) temps.push_back(temp);
  fsync_all(temps);
  std::set<std::filesystem::path> directories;
  while (!pending_.empty()) {
    const auto& [temp, target] = pending_.back();
    if (::rename(temp.c_str(), target.c_str()) != 0) throw_errno("cannot rename onto", target);
    directories.insert(target.parent_path().empty() ? "." : target.parent_path());
    pending_.pop_back();
  }
  fsync_all({directories.begin(), directories.end()});
}

}  // namespace marquee

#include "common/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <stdexcept>
#include <system_error>

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

}  // namespace

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
  if (size >= kBufferSize) {
    buffer_.assign(static_cast<const char*>(data), size);
    flush_buffer();
    return;
  }
  buffer_.append(static_cast<const char*>(data), size);
}

void AtomicFile::flush_buffer() {
  const char* p = buffer_.data();
  std::size_t left = buffer_.size();
  while (left > 0) {
    const ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno("cannot write", temp_);
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  buffer_.clear();
}

void AtomicFile::commit() {
  if (committed_) return;
  flush_buffer();
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

}  // namespace marquee

#include "common/spill_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

namespace marquee {
namespace {

[[noreturn]] void fail(const std::filesystem::path& dir, std::string_view what, int error) {
  throw std::runtime_error(
      fmt::format("scratch file in {}: {}: {}", dir.string(), what, std::strerror(error)));
}

// O_TMPFILE where the file system has it; otherwise a named file, unlinked
// before anything is written to it.
int open_anonymous(const std::filesystem::path& dir) {
  int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
  if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL) fail(dir, "cannot create", errno);
  std::string name = (dir / ".marquee-spill-XXXXXX").string();
  fd = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0) fail(dir, "cannot create", errno);
  if (::unlink(name.c_str()) != 0) {
    const int error = errno;
    ::close(fd);
    fail(dir, "cannot unlink " + name, error);
  }
  return fd;
}

}  // namespace

SpillFile::SpillFile(const std::filesystem::path& dir) : dir_(dir), fd_(open_anonymous(dir)) {}

SpillFile::~SpillFile() {
  if (fd_ >= 0) ::close(fd_);
}

std::uint64_t SpillFile::append(std::span<const std::byte> bytes) {
  const std::uint64_t start = size_;
  while (!bytes.empty()) {
    const ssize_t n = ::pwrite(fd_, bytes.data(), bytes.size(), static_cast<off_t>(size_));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail(dir_, "cannot write", n < 0 ? errno : EIO);
    size_ += static_cast<std::uint64_t>(n);
    bytes = bytes.subspan(static_cast<std::size_t>(n));
  }
  return start;
}

void SpillFile::read(std::uint64_t offset, std::span<std::byte> out) const {
  if (offset > size_ || out.size() > size_ - offset) {
    throw std::logic_error(fmt::format("scratch file in {}: read of {} bytes at {} past its end ({})",
                                       dir_.string(), out.size(), offset, size_));
  }
  while (!out.empty()) {
    const ssize_t n = ::pread(fd_, out.data(), out.size(), static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail(dir_, "cannot read", n < 0 ? errno : EIO);
    offset += static_cast<std::uint64_t>(n);
    out = out.subspan(static_cast<std::size_t>(n));
  }
}

}  // namespace marquee

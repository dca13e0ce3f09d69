#include "input/file_source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "common/error.hpp"

namespace marquee::input {
namespace {

std::string errno_text(int error) { return std::strerror(error); }

class FileSource final : public ByteSource {
 public:
  FileSource(int fd, std::string path, std::optional<std::uint64_t> size)
      : fd_(fd), path_(std::move(path)), size_(size) {}
  ~FileSource() override { ::close(fd_); }
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;

  // Fills the whole buffer when the file has the bytes: the CSV reader asks for
  // large blocks, and one call per block keeps system-call overhead negligible.
  std::size_t read(char* buffer, std::size_t size) override {
    std::size_t filled = 0;
    while (filled < size) {
      const ssize_t got = ::read(fd_, buffer + filled, size - filled);
      if (got == 0) break;
      if (got < 0) {
        if (errno == EINTR) continue;
        throw InputError(fmt::format("cannot read {}: {}", path_, errno_text(errno)));
      }
      filled += static_cast<std::size_t>(got);
    }
    return filled;
  }

  const std::string& name() const override { return path_; }
  std::optional<std::uint64_t> size() const override { return size_; }

 private:
  int fd_;
  std::string path_;
  std::optional<std::uint64_t> size_;
};

}  // namespace

std::unique_ptr<ByteSource> open_file_source(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError(fmt::format("cannot open {}: {}", path, errno_text(errno)));
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    const int error = errno;
    ::close(fd);
    throw InputError(fmt::format("cannot open {}: {}", path, errno_text(error)));
  }
  if (S_ISDIR(info.st_mode)) {
    ::close(fd);
    throw InputError(fmt::format("cannot read {}: is a directory", path));
  }
  std::optional<std::uint64_t> size;
  if (S_ISREG(info.st_mode)) {
    size = static_cast<std::uint64_t>(info.st_size);
    // The reader goes front to back once: let the kernel read ahead further.
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  }
  return std::make_unique<FileSource>(fd, path, size);
}

}  // namespace marquee::input

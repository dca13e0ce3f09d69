#include "input/byte_source.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>

#include "common/error.hpp"
#include "input/file_source.hpp"
#include "input/s3_source.hpp"
#include "input/zip_source.hpp"

namespace marquee::input {
namespace {

namespace fs = std::filesystem;

class MemorySource final : public ByteSource {
 public:
  MemorySource(std::string data, std::string name) : data_(std::move(data)), name_(std::move(name)) {}

  std::size_t read(char* buffer, std::size_t size) override {
    const std::size_t count = std::min(size, data_.size() - position_);
    std::memcpy(buffer, data_.data() + position_, count);
    position_ += count;
    return count;
  }
  const std::string& name() const override { return name_; }
  std::optional<std::uint64_t> size() const override { return data_.size(); }

 private:
  std::string data_;
  std::string name_;
  std::size_t position_ = 0;
};

bool has_zip_extension(const std::string& path) {
  std::string extension = fs::path(path).extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension == ".zip";
}

// A local file header opens every non-empty zip archive. Peeking with pread
// leaves nothing consumed; an unreadable file is reported by the open that
// follows, which names the cause.
bool starts_with_zip_signature(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char signature[4] = {};
  const ssize_t got = ::pread(fd, signature, sizeof signature, 0);
  ::close(fd);
  return got == 4 && std::memcmp(signature, "PK\x03\x04", 4) == 0;
}

std::unique_ptr<ByteSource> open_in_directory(const std::string& path, const std::string& member) {
  const fs::path candidate = fs::path(path) / member;
  std::error_code error;
  const auto status = fs::status(candidate, error);
  if (error || !fs::exists(status)) {
    throw InputError(fmt::format("directory {} has no {}", path, member));
  }
  if (fs::is_directory(status)) {
    throw InputError(fmt::format("{} is a directory, not a CSV file", candidate.string()));
  }
  return open_file_source(candidate.string());
}

}  // namespace

std::unique_ptr<ByteSource> open_input(const std::string& path, const std::string& member) {
  if (path.rfind("s3://", 0) == 0) return open_s3_source(path, member);
  std::error_code error;
  const auto status = fs::status(path, error);
  if (status.type() == fs::file_type::not_found) {
    throw InputError(fmt::format("input not found: {}", path));
  }
  if (error) throw InputError(fmt::format("cannot access {}: {}", path, error.message()));
  if (fs::is_directory(status)) return open_in_directory(path, member);
  const bool regular = fs::is_regular_file(status);
  if (has_zip_extension(path) || (regular && starts_with_zip_signature(path))) {
    // libzip's own open error ("No such file", "Read error") would hide a
    // permission problem behind an archive message: check readability first.
    if (::access(path.c_str(), R_OK) != 0) {
      throw InputError(fmt::format("cannot open {}: {}", path, std::strerror(errno)));
    }
    return open_zip_source(path, member);
  }
  return open_file_source(path);
}

std::unique_ptr<ByteSource> memory_source(std::string data, std::string name) {
  return std::make_unique<MemorySource>(std::move(data), std::move(name));
}

}  // namespace marquee::input

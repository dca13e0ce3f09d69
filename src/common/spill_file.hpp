#pragma once
// A scratch file for data that does not fit the memory a step may use: it
// has no name (O_TMPFILE, or a file unlinked as soon as it is made), so it
// never shows in the directory it lives in and disappears with the process,
// however that ends. Written once, front to back; read at any offset from
// any number of threads at once (pread, no shared position).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>

namespace marquee {

class SpillFile {
 public:
  // Throws std::runtime_error naming `dir` when no file can be made there.
  explicit SpillFile(const std::filesystem::path& dir);
  ~SpillFile();
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;

  // Appends `bytes` and returns the offset they start at. Throws
  // std::runtime_error naming the directory (a full disk, say).
  std::uint64_t append(std::span<const std::byte> bytes);
  // Reads exactly out.size() bytes at `offset`, all of them written before.
  void read(std::uint64_t offset, std::span<std::byte> out) const;
  std::uint64_t size() const { return size_; }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
};

}  // namespace marquee

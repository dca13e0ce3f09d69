#pragma once
// Removes a file or directory tree when it goes out of scope, unless
// released: what a step leaves behind only if it did not complete (a staging
// directory, a run file being built).
#include <filesystem>
#include <system_error>
#include <utility>

namespace marquee {

class PathGuard {
 public:
  explicit PathGuard(std::filesystem::path path) : path_(std::move(path)) {}
  ~PathGuard() {
    if (!path_.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(path_, ignored);
    }
  }
  PathGuard(const PathGuard&) = delete;
  PathGuard& operator=(const PathGuard&) = delete;
  void release() { path_.clear(); }

 private:
  std::filesystem::path path_;
};

}  // namespace marquee

#include "input/zip_source.hpp"

#include <zip.h>

#include <algorithm>
#include <limits>
#include <string_view>

#include <fmt/format.h>

#include "common/error.hpp"

namespace marquee::input {
namespace {

std::string zip_error_text(int code) {
  zip_error_t error;
  zip_error_init_with_code(&error, code);
  std::string text = zip_error_strerror(&error);
  zip_error_fini(&error);
  return text;
}

std::string_view base_name(std::string_view entry) {
  const auto slash = entry.find_last_of('/');
  return slash == std::string_view::npos ? entry : entry.substr(slash + 1);
}

std::size_t depth(std::string_view entry) {
  return static_cast<std::size_t>(std::count(entry.begin(), entry.end(), '/'));
}

// The shallowest entry named exactly `member`, so a stray copy deep inside
// (e.g. under a backup folder) never wins over the top-level one.
std::optional<zip_uint64_t> find_member(zip_t* archive, std::string_view member) {
  const zip_int64_t count = zip_get_num_entries(archive, 0);
  std::optional<zip_uint64_t> best;
  std::size_t best_depth = std::numeric_limits<std::size_t>::max();
  for (zip_int64_t index = 0; index < count; ++index) {
    const char* raw_name = zip_get_name(archive, static_cast<zip_uint64_t>(index), 0);
    if (raw_name == nullptr) continue;
    const std::string_view entry = raw_name;
    if (base_name(entry) != member || depth(entry) >= best_depth) continue;
    best = static_cast<zip_uint64_t>(index);
    best_depth = depth(entry);
  }
  return best;
}

class ZipSource final : public ByteSource {
 public:
  ZipSource(zip_t* archive, zip_file_t* file, std::string name, std::optional<std::uint64_t> size)
      : archive_(archive), file_(file), name_(std::move(name)), size_(size) {}
  ~ZipSource() override {
    zip_fclose(file_);
    zip_discard(archive_);  // opened read-only: nothing to write back
  }
  ZipSource(const ZipSource&) = delete;
  ZipSource& operator=(const ZipSource&) = delete;

  std::size_t read(char* buffer, std::size_t size) override {
    std::size_t filled = 0;
    while (filled < size) {
      const zip_int64_t got = zip_fread(file_, buffer + filled, size - filled);
      if (got < 0) {
        throw InputError(fmt::format("cannot read {}: {}", name_, zip_file_strerror(file_)));
      }
      if (got == 0) break;
      filled += static_cast<std::size_t>(got);
    }
    return filled;
  }

  const std::string& name() const override { return name_; }
  std::optional<std::uint64_t> size() const override { return size_; }

 private:
  zip_t* archive_;
  zip_file_t* file_;
  std::string name_;
  std::optional<std::uint64_t> size_;
};

}  // namespace

std::unique_ptr<ByteSource> open_zip_source(const std::string& path, const std::string& member) {
  int error_code = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_RDONLY, &error_code);
  if (archive == nullptr) {
    throw InputError(fmt::format("cannot open archive {}: {}", path, zip_error_text(error_code)));
  }
  return open_zip_archive(archive, path, member);
}

std::unique_ptr<ByteSource> open_zip_archive(zip_t* archive, const std::string& path, const std::string& member) {
  const auto index = find_member(archive, member);
  if (!index) {
    zip_discard(archive);
    throw InputError(fmt::format("archive {} has no member named {}", path, member));
  }
  const std::string name = fmt::format("{}:{}", path, zip_get_name(archive, *index, 0));
  std::optional<std::uint64_t> size;
  zip_stat_t stat;
  if (zip_stat_index(archive, *index, 0, &stat) == 0 && (stat.valid & ZIP_STAT_SIZE) != 0) {
    size = stat.size;
  }
  zip_file_t* file = zip_fopen_index(archive, *index, 0);
  if (file == nullptr) {
    const std::string reason = zip_strerror(archive);
    zip_discard(archive);
    throw InputError(fmt::format("cannot read {}: {}", name, reason));
  }
  return std::make_unique<ZipSource>(archive, file, name, size);
}

}  // namespace marquee::input

#include "input/s3_source.hpp"

#include <zip.h>

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "common/error.hpp"
#include "input/zip_source.hpp"
#include "objstore/ranged_reader.hpp"

namespace marquee::input {
namespace {

using objstore::RangedReader;

class S3ObjectSource final : public ByteSource {
 public:
  explicit S3ObjectSource(std::shared_ptr<RangedReader> reader)
      : reader_(std::move(reader)), name_(reader_->location().url()) {}

  std::size_t read(char* buffer, std::size_t size) override {
    std::size_t filled = 0;
    while (filled < size) {
      const std::size_t got = reader_->read_at(position_, buffer + filled, size - filled);
      if (got == 0) break;
      filled += got;
      position_ += got;
    }
    return filled;
  }
  const std::string& name() const override { return name_; }
  std::optional<std::uint64_t> size() const override { return reader_->size(); }

 private:
  std::shared_ptr<RangedReader> reader_;
  std::string name_;
  std::uint64_t position_ = 0;
};

// libzip's view of the object: a seekable, read-only source whose reads are
// ranged GETs (through the reader's window).
struct ZipCallbackState {
  std::shared_ptr<RangedReader> reader;
  std::uint64_t position = 0;
  zip_error_t error;
  std::string failure;  // the S3 error, kept for the message
};

zip_int64_t zip_callback(void* user, void* data, zip_uint64_t length, zip_source_cmd_t command) {
  auto* s = static_cast<ZipCallbackState*>(user);
  switch (command) {
    case ZIP_SOURCE_OPEN:
      s->position = 0;
      return 0;
    case ZIP_SOURCE_READ: {
      try {
        std::size_t done = 0;
        while (done < length) {
          const std::size_t got = s->reader->read_at(s->position, static_cast<char*>(data) + done, length - done);
          if (got == 0) break;
          done += got;
          s->position += got;
        }
        return static_cast<zip_int64_t>(done);
      } catch (const std::exception& e) {
        s->failure = e.what();
        zip_error_set(&s->error, ZIP_ER_READ, EIO);
        return -1;
      }
    }
    case ZIP_SOURCE_CLOSE:
      return 0;
    case ZIP_SOURCE_STAT: {
      auto* st = static_cast<zip_stat_t*>(data);
      zip_stat_init(st);
      st->size = s->reader->size();
      st->valid |= ZIP_STAT_SIZE;
      return sizeof(zip_stat_t);
    }
    case ZIP_SOURCE_ERROR:
      return zip_error_to_data(&s->error, data, length);
    case ZIP_SOURCE_FREE:
      zip_error_fini(&s->error);
      delete s;
      return 0;
    case ZIP_SOURCE_SEEK: {
      const zip_int64_t target = zip_source_seek_compute_offset(s->position, s->reader->size(), data, length, &s->error);
      if (target < 0) return -1;
      s->position = static_cast<std::uint64_t>(target);
      return 0;
    }
    case ZIP_SOURCE_TELL:
      return static_cast<zip_int64_t>(s->position);
    case ZIP_SOURCE_SUPPORTS:
      return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
                                            ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, ZIP_SOURCE_SEEK, ZIP_SOURCE_TELL,
                                            ZIP_SOURCE_SUPPORTS, -1);
    default:
      zip_error_set(&s->error, ZIP_ER_OPNOTSUPP, 0);
      return -1;
  }
}

bool looks_like_zip(const std::string& key, RangedReader& reader) {
  std::string ext = key.size() >= 4 ? key.substr(key.size() - 4) : "";
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  char signature[4] = {};
  return ext == ".zip" || (reader.read_at(0, signature, 4) == 4 && std::memcmp(signature, "PK\x03\x04", 4) == 0);
}

std::unique_ptr<ByteSource> open_zip_in_s3(std::shared_ptr<RangedReader> reader, const std::string& member) {
  const std::string url = reader->location().url();
  auto* state = new ZipCallbackState{reader, 0, {}, {}};
  zip_error_init(&state->error);
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_function_create(zip_callback, state, &error);
  if (source == nullptr) {
    zip_error_fini(&state->error);
    delete state;
    const std::string text = zip_error_strerror(&error);
    zip_error_fini(&error);
    throw InputError(fmt::format("cannot open archive {}: {}", url, text));
  }
  zip_t* archive = zip_open_from_source(source, ZIP_RDONLY, &error);
  if (archive == nullptr) {
    const std::string text = state->failure.empty() ? zip_error_strerror(&error) : state->failure;
    zip_source_free(source);  // frees the state
    zip_error_fini(&error);
    throw InputError(fmt::format("cannot open archive {}: {}", url, text));
  }
  zip_error_fini(&error);
  return open_zip_archive(archive, url, member);
}

}  // namespace

std::unique_ptr<ByteSource> open_s3_source(const std::string& url, const std::string& member) {
  objstore::S3Location location = objstore::parse_s3_url(url);
  if (location.key.empty() || location.key.back() == '/') location = location.child(member);
  auto client = std::make_shared<objstore::S3Client>(objstore::S3Config::from_env(url));
  auto reader = std::make_shared<RangedReader>(client, location);
  if (reader->size() > 0 && looks_like_zip(location.key, *reader)) return open_zip_in_s3(reader, member);
  return std::make_unique<S3ObjectSource>(std::move(reader));
}

}  // namespace marquee::input

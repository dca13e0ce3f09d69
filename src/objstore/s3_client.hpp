#pragma once
// A small S3 client: signed requests (sigv4.hpp) over libcurl (keep-alive,
// timeouts, TLS). Ranged GETs that resume after a dropped connection, PUTs
// whose payload the server checks (Content-MD5 and the signed
// x-amz-content-sha256), and multipart uploads for large files.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/error.hpp"
#include "objstore/s3_config.hpp"

namespace marquee::objstore {

// A request S3 refused, or a transport failure after every retry. The message
// names the s3:// URL, the HTTP status and S3's error code (never a secret).
// Exit code 2 for client errors (4xx: no such bucket or key, access denied,
// bad credentials, wrong region), 1 for the rest (unreachable, 5xx).
class S3Error : public Error {
 public:
  S3Error(int exit_code, const std::string& message, int http_status, std::string code)
      : Error(exit_code, message), http_status_(http_status), code_(std::move(code)) {}
  int http_status() const { return http_status_; }
  const std::string& code() const { return code_; }

 private:
  int http_status_;
  std::string code_;
};

struct ObjectRange {
  std::uint64_t bytes = 0;                 // delivered to the sink
  std::optional<std::uint64_t> total_size;  // from Content-Range / Content-Length
};

class S3Client {
 public:
  explicit S3Client(S3Config config);
  ~S3Client();
  S3Client(const S3Client&) = delete;
  S3Client& operator=(const S3Client&) = delete;

  // GETs bytes [offset, offset + length) (to the end when length is empty),
  // passing them to `sink` as they arrive. A dropped connection is resumed
  // from the byte reached with a ranged GET (up to `retries()` times, with
  // backoff). An offset at or past the end gives 0 bytes and the total size.
  ObjectRange get(const S3Location& location, std::uint64_t offset, std::optional<std::uint64_t> length,
                  const std::function<void(const char*, std::size_t)>& sink);

  // Uploads `body` (single PUT).
  void put(const S3Location& location, const std::string& body, const std::string& content_type = "");
  // Uploads a file: one PUT up to part_size(), a multipart upload above it.
  // Returns the number of parts (1 for a single PUT).
  std::size_t put_file(const S3Location& location, const std::filesystem::path& file);

  // Part size for multipart uploads: MARQUEE_S3_PART_SIZE (bytes, at least
  // 5 MiB, S3's minimum), default 16 MiB.
  std::uint64_t part_size() const { return part_size_; }
  int retries() const { return 4; }
  const S3Config& config() const { return config_; }

 public:
  struct Response;  // internal (s3_client.cpp)
  struct Request;

 private:
  Response perform(const Request& request);
  Response perform_with_retries(const Request& request);
  std::size_t put_multipart(const S3Location& location, const std::filesystem::path& file, std::uint64_t size);

  S3Config config_;
  std::uint64_t part_size_;
  void* curl_;  // CURL*
};

}  // namespace marquee::objstore

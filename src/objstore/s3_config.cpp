#include "objstore/s3_config.hpp"

#include <cctype>
#include <cstdlib>

#include <fmt/format.h>

#include "common/error.hpp"

namespace marquee::objstore {
namespace {

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

// S3's rules: 3-63 characters of lower-case letters, digits, '.', '-', starting
// and ending with a letter or digit. (Swift and others accept more, but a URL
// that AWS would refuse is refused here too, before any request.)
bool valid_bucket(const std::string& b) {
  if (b.size() < 3 || b.size() > 63) return false;
  for (const unsigned char c : b) {
    if (!(std::islower(c) || std::isdigit(c) || c == '.' || c == '-')) return false;
  }
  return std::isalnum(static_cast<unsigned char>(b.front())) && std::isalnum(static_cast<unsigned char>(b.back()));
}

}  // namespace

S3Location S3Location::child(const std::string& name) const {
  if (key.empty() || key.back() == '/') return {bucket, key + name};
  return {bucket, key + "/" + name};
}

bool is_s3_url(const std::string& text) { return text.rfind("s3://", 0) == 0; }

S3Location parse_s3_url(const std::string& text) {
  if (!is_s3_url(text)) throw InputError(fmt::format("not an s3:// URL: {}", text));
  const std::string rest = text.substr(5);
  const auto slash = rest.find('/');
  S3Location location{rest.substr(0, slash), slash == std::string::npos ? "" : rest.substr(slash + 1)};
  if (!valid_bucket(location.bucket)) {
    throw InputError(fmt::format("{}: invalid bucket name '{}' (3-63 characters: a-z 0-9 . -)", text, location.bucket));
  }
  for (const unsigned char c : location.key) {
    if (c < 0x20 || c == 0x7f) throw InputError(fmt::format("{}: control character in the key", text));
  }
  return location;
}

S3Config S3Config::from_env(const std::string& for_url) {
  S3Config config;
  config.credentials.access_key_id = env("AWS_ACCESS_KEY_ID");
  config.credentials.secret_access_key = env("AWS_SECRET_ACCESS_KEY");
  config.credentials.session_token = env("AWS_SESSION_TOKEN");
  if (config.credentials.access_key_id.empty() || config.credentials.secret_access_key.empty()) {
    throw InputError(fmt::format("{}: no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", for_url));
  }
  config.region = env("AWS_REGION");
  if (config.region.empty()) config.region = env("AWS_DEFAULT_REGION");
  if (config.region.empty()) config.region = "us-east-1";
  config.endpoint = env("AWS_ENDPOINT_URL");
  while (!config.endpoint.empty() && config.endpoint.back() == '/') config.endpoint.pop_back();
  if (!config.endpoint.empty() && config.endpoint.find("://") == std::string::npos) {
    throw InputError(fmt::format("AWS_ENDPOINT_URL must start with http:// or https:// (got {})", config.endpoint));
  }
  config.path_style = !config.endpoint.empty();
  return config;
}

Address address_of(const S3Config& config, const S3Location& location) {
  const std::string key_path = "/" + uri_encode(location.key, true);
  std::string base = config.endpoint;
  bool path_style = config.path_style || location.bucket.find('.') != std::string::npos;
  if (base.empty()) {
    // AWS itself: virtual-hosted style, except for dotted bucket names, whose
    // host would not match the TLS certificate.
    base = path_style ? fmt::format("https://s3.{}.amazonaws.com", config.region)
                      : fmt::format("https://{}.s3.{}.amazonaws.com", location.bucket, config.region);
  }
  Address a;
  a.encoded_path = path_style ? "/" + uri_encode(location.bucket, false) + key_path : key_path;
  const auto host_start = base.find("://") + 3;
  a.host = base.substr(host_start);
  a.url = base + a.encoded_path;
  return a;
}

}  // namespace marquee::objstore

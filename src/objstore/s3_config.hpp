#pragma once
// Where S3 objects are and how to reach them: s3:// URLs, and the endpoint,
// region and credentials taken from the environment the way AWS tools do.
#include <string>

#include "objstore/sigv4.hpp"

namespace marquee::objstore {

struct S3Location {
  std::string bucket;
  std::string key;  // may be empty (a bucket) or end in '/' (a prefix)
  std::string url() const { return "s3://" + bucket + "/" + key; }
  S3Location child(const std::string& name) const;  // key + '/' (if needed) + name
};

bool is_s3_url(const std::string& text);
// "s3://BUCKET/KEY". Throws marquee::InputError naming the URL when the bucket
// name is not a valid S3 bucket name.
S3Location parse_s3_url(const std::string& text);

struct S3Config {
  Credentials credentials;
  std::string region = "us-east-1";
  std::string endpoint;  // scheme://host[:port], no trailing slash
  bool path_style = true;

  // AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION
  // (else AWS_DEFAULT_REGION, else us-east-1), AWS_ENDPOINT_URL (path-style
  // addressing when set; otherwise AWS itself, virtual-hosted style).
  // Throws marquee::InputError (naming `for_url`) when keys are missing.
  static S3Config from_env(const std::string& for_url);
};

// The URL to send a request for `location` to, and its Host header value.
struct Address {
  std::string url;          // scheme://host[:port]/encoded-path
  std::string host;         // Host header value
  std::string encoded_path; // as signed
};
Address address_of(const S3Config& config, const S3Location& location);

}  // namespace marquee::objstore

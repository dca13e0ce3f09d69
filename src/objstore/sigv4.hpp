#pragma once
// AWS Signature Version 4, computed by Marquee with OpenSSL. libcurl is only
// the transport: Debian 12's libcurl 7.88 has CURLOPT_AWS_SIGV4, but it signs
// the query string as written (unsorted) and never adds x-amz-content-sha256,
// which S3 requires on every request; building the canonical request here
// makes both exact and lets the unit tests check it against AWS's own vectors.
#include <string>
#include <utility>
#include <vector>

namespace marquee::objstore {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty unless temporary credentials
};

// A request to sign: the path as sent (already URI-encoded once, as S3
// wants: each segment encoded, '/' kept), query parameters unencoded, and
// every header to sign (names in any case; Host included).
struct SignableRequest {
  std::string method;
  std::string encoded_path;
  std::vector<std::pair<std::string, std::string>> query;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string payload_sha256;  // hex
};

// RFC 3986 unreserved characters kept, everything else %XX (upper case);
// '/' kept only when `keep_slash`.
std::string uri_encode(const std::string& text, bool keep_slash);

// "Param1=value1&Param2=value2": each name and value encoded, sorted by name
// then value (byte order).
std::string canonical_query(const std::vector<std::pair<std::string, std::string>>& query);

std::string canonical_request(const SignableRequest& request);
std::string string_to_sign(const std::string& amz_date, const std::string& scope,
                           const std::string& canonical);

// The Authorization header value. `amz_date` is YYYYMMDD'T'HHMMSS'Z'.
std::string authorization(const SignableRequest& request, const Credentials& credentials,
                          const std::string& region, const std::string& service,
                          const std::string& amz_date);

// Lower-case hex SHA-256 of `data`, and HMAC-SHA256 (raw bytes).
std::string sha256_hex(const std::string& data);
std::string hmac_sha256(const std::string& key, const std::string& data);

}  // namespace marquee::objstore

#pragma once
// JSON Web Tokens (RFC 7519) for the API: verification of bearer tokens
// signed HS256 (shared secret), RS256 or ES256 (PEM public key), and minting
// HS256 tokens with the configured secret. The cryptography is OpenSSL's EVP
// interface; this file only frames it.
//
// The verifier is configured with exactly one algorithm and one key. A token
// whose header names any other algorithm is refused before its signature is
// looked at: that is what stops "alg": "none" and the classic confusion attack
// (an HS256 token whose HMAC key is the server's RSA public key).
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace marquee::api {

enum class JwtAlgorithm { HS256, RS256, ES256 };
std::string_view algorithm_name(JwtAlgorithm algorithm);

struct JwtPolicy {
  std::optional<std::string> issuer;    // when set, `iss` must equal it
  std::optional<std::string> audience;  // when set, `aud` (string or array) must contain it
  std::chrono::seconds leeway{30};      // clock skew allowed on exp and nbf
  std::string required_scope = "marquee:read";
};

enum class AuthFailure {
  none,
  missing,        // no bearer token at all
  malformed,      // not three base64url parts of JSON objects, or a bad claim type
  algorithm,      // alg none, or not the configured algorithm
  signature,
  expired,
  not_yet_valid,  // nbf in the future
  issuer,
  audience,
  scope,          // authenticated, but not allowed: 403
};
std::string_view failure_name(AuthFailure failure);  // stable label for metrics

struct AuthResult {
  AuthFailure failure = AuthFailure::none;
  std::string message;  // for the client: says what is wrong, never the key
  std::string subject;
  bool ok() const { return failure == AuthFailure::none; }
};

class JwtVerifier {
 public:
  // Secrets shorter than 32 bytes are refused (RFC 7518 3.2: at least the hash size).
  static JwtVerifier hs256(std::string secret, JwtPolicy policy);
  // RS256 for an RSA key (>= 2048 bits), ES256 for a P-256 key. Throws
  // std::invalid_argument for anything else or an unreadable PEM.
  static JwtVerifier from_public_key_pem(std::string_view pem, JwtPolicy policy);

  JwtVerifier(JwtVerifier&&) noexcept;
  JwtVerifier& operator=(JwtVerifier&&) noexcept;
  ~JwtVerifier();

  JwtAlgorithm algorithm() const;
  // `now` in seconds since the epoch.
  AuthResult verify(std::string_view token, std::int64_t now) const;
  // Takes the whole Authorization header value ("Bearer <token>").
  AuthResult verify_header(std::string_view authorization, std::int64_t now) const;

 private:
  struct Impl;
  explicit JwtVerifier(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

struct MintRequest {
  std::string subject;
  std::chrono::seconds ttl{3600};
  std::string scope = "marquee:read";
  std::optional<std::string> issuer;
  std::optional<std::string> audience;
  std::int64_t now = 0;  // seconds since the epoch
};

// An HS256 token with sub, iat, nbf, exp, scope and the optional iss/aud.
std::string mint_hs256(std::string_view secret, const MintRequest& request);

// base64url without padding (RFC 4648 section 5), as JWS uses it.
std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace marquee::api

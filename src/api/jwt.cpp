#include "api/jwt.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>

#include <boost/json.hpp>
#include <fmt/format.h>

namespace marquee::api {
namespace {

namespace bj = boost::json;

constexpr std::size_t kMaxTokenBytes = 8192;
constexpr std::size_t kMinSecretBytes = 32;

struct PkeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

AuthResult fail(AuthFailure failure, std::string message) { return {failure, std::move(message), {}}; }

bool is_base64url_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

std::optional<bj::object> decode_json_object(std::string_view part) {
  const auto bytes = base64url_decode(part);
  if (!bytes) return std::nullopt;
  boost::system::error_code ec;
  bj::value value = bj::parse(*bytes, ec);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.as_object());
}

// NumericDate (RFC 7519 2): seconds, possibly fractional.
std::optional<std::int64_t> numeric_date(const bj::value& value) {
  if (value.is_int64()) return value.as_int64();
  if (value.is_uint64()) {
    const auto v = value.as_uint64();
    return v > static_cast<std::uint64_t>(INT64_MAX) ? INT64_MAX : static_cast<std::int64_t>(v);
  }
  if (value.is_double() && std::isfinite(value.as_double()) && std::abs(value.as_double()) < 9e18)
    return static_cast<std::int64_t>(std::floor(value.as_double()));
  return std::nullopt;
}

const bj::value* find(const bj::object& object, std::string_view key) {
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &it->value();
}

// `scope` per RFC 8693 is a space-separated string; some issuers send an
// array (or the `scp` claim) instead, which is accepted too.
bool has_scope(const bj::object& claims, std::string_view wanted) {
  for (std::string_view claim : {"scope", "scp"}) {
    const bj::value* value = find(claims, claim);
    if (!value) continue;
    if (value->is_string()) {
      std::string_view text = value->as_string();
      while (!text.empty()) {
        const std::size_t space = text.find(' ');
        if (text.substr(0, space) == wanted) return true;
        if (space == std::string_view::npos) break;
        text.remove_prefix(space + 1);
      }
    } else if (value->is_array()) {
      for (const bj::value& item : value->as_array())
        if (item.is_string() && item.as_string() == wanted) return true;
    }
  }
  return false;
}

bool audience_matches(const bj::value& aud, std::string_view wanted) {
  if (aud.is_string()) return aud.as_string() == wanted;
  if (aud.is_array()) {
    for (const bj::value& item : aud.as_array())
      if (item.is_string() && item.as_string() == wanted) return true;
  }
  return false;
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
            reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &length))
    throw std::runtime_error("HMAC-SHA256 failed");
  return std::string(reinterpret_cast<char*>(out), length);
}

bool verify_digest(EVP_PKEY* key, std::string_view signature_der, std::string_view data) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1) return false;
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature_der.data()),
                          signature_der.size(), reinterpret_cast<const unsigned char*>(data.data()),
                          data.size()) == 1;
}

// JWS carries an ES256 signature as the raw 32-byte R and S (RFC 7518 3.4);
// OpenSSL verifies the DER form.
std::optional<std::string> ecdsa_raw_to_der(std::string_view raw) {
  if (raw.size() != 64) return std::nullopt;
  ECDSA_SIG* sig = ECDSA_SIG_new();
  if (!sig) return std::nullopt;
  BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), 32, nullptr);
  BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + 32, 32, nullptr);
  if (!r || !s || ECDSA_SIG_set0(sig, r, s) != 1) {
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(sig);
    return std::nullopt;
  }
  unsigned char* der = nullptr;
  const int length = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  if (length <= 0) return std::nullopt;
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(length));
  OPENSSL_free(der);
  return out;
}

std::string_view strip_bearer(std::string_view header) {
  constexpr std::string_view kScheme = "bearer ";
  if (header.size() < kScheme.size()) return {};
  for (std::size_t i = 0; i < kScheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(header[i])) != kScheme[i]) return {};
  header.remove_prefix(kScheme.size());
  while (!header.empty() && header.front() == ' ') header.remove_prefix(1);
  while (!header.empty() && header.back() == ' ') header.remove_suffix(1);
  return header;
}

}  // namespace

std::string_view algorithm_name(JwtAlgorithm algorithm) {
  switch (algorithm) {
    case JwtAlgorithm::HS256: return "HS256";
    case JwtAlgorithm::RS256: return "RS256";
    case JwtAlgorithm::ES256: return "ES256";
  }
  return "?";
}

std::string_view failure_name(AuthFailure failure) {
  switch (failure) {
    case AuthFailure::none: return "none";
    case AuthFailure::missing: return "missing";
    case AuthFailure::malformed: return "malformed";
    case AuthFailure::algorithm: return "algorithm";
    case AuthFailure::signature: return "signature";
    case AuthFailure::expired: return "expired";
    case AuthFailure::not_yet_valid: return "not_yet_valid";
    case AuthFailure::issuer: return "issuer";
    case AuthFailure::audience: return "audience";
    case AuthFailure::scope: return "scope";
  }
  return "?";
}

std::string base64url_encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                     reinterpret_cast<const unsigned char*>(bytes.data()),
                                     static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(length));
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  if (text.size() % 4 == 1 || !std::all_of(text.begin(), text.end(), is_base64url_char)) return std::nullopt;
  std::string standard(text);
  for (char& c : standard) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  const std::size_t padding = (4 - standard.size() % 4) % 4;
  standard.append(padding, '=');
  std::string out(standard.size() / 4 * 3, '\0');
  const int length = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                     reinterpret_cast<const unsigned char*>(standard.data()),
                                     static_cast<int>(standard.size()));
  if (length < 0) return std::nullopt;
  out.resize(static_cast<std::size_t>(length) - padding);
  return out;
}

struct JwtVerifier::Impl {
  JwtAlgorithm algorithm;
  std::string secret;  // HS256
  Pkey key;            // RS256 / ES256
  JwtPolicy policy;

  bool signature_valid(std::string_view signing_input, std::string_view signature) const {
    switch (algorithm) {
      case JwtAlgorithm::HS256: {
        const std::string expected = hmac_sha256(secret, signing_input);
        return signature.size() == expected.size() &&
               CRYPTO_memcmp(signature.data(), expected.data(), expected.size()) == 0;
      }
      case JwtAlgorithm::RS256:
        return verify_digest(key.get(), signature, signing_input);
      case JwtAlgorithm::ES256: {
        const auto der = ecdsa_raw_to_der(signature);
        return der && verify_digest(key.get(), *der, signing_input);
      }
    }
    return false;
  }

  AuthResult check_claims(const bj::object& claims, std::int64_t now) const {
    const std::int64_t leeway = policy.leeway.count();
    const bj::value* exp = find(claims, "exp");
    if (!exp) return fail(AuthFailure::malformed, "token has no exp claim");
    const auto expires = numeric_date(*exp);
    if (!expires) return fail(AuthFailure::malformed, "exp claim is not a number");
    if (now >= *expires + leeway) return fail(AuthFailure::expired, "token has expired");
    if (const bj::value* nbf = find(claims, "nbf")) {
      const auto not_before = numeric_date(*nbf);
      if (!not_before) return fail(AuthFailure::malformed, "nbf claim is not a number");
      if (now + leeway < *not_before) return fail(AuthFailure::not_yet_valid, "token is not valid yet (nbf)");
    }
    if (policy.issuer) {
      const bj::value* iss = find(claims, "iss");
      if (!iss || !iss->is_string() || iss->as_string() != *policy.issuer)
        return fail(AuthFailure::issuer, "token issuer is not accepted");
    }
    if (policy.audience) {
      const bj::value* aud = find(claims, "aud");
      if (!aud || !audience_matches(*aud, *policy.audience))
        return fail(AuthFailure::audience, "token audience is not accepted");
    }
    if (!has_scope(claims, policy.required_scope))
      return fail(AuthFailure::scope, fmt::format("token lacks the scope {}", policy.required_scope));
    AuthResult ok;
    if (const bj::value* sub = find(claims, "sub"); sub && sub->is_string()) ok.subject = sub->as_string();
    return ok;
  }
};

JwtVerifier::JwtVerifier(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
JwtVerifier::JwtVerifier(JwtVerifier&&) noexcept = default;
JwtVerifier& JwtVerifier::operator=(JwtVerifier&&) noexcept = default;
JwtVerifier::~JwtVerifier() = default;

JwtVerifier JwtVerifier::hs256(std::string secret, JwtPolicy policy) {
  if (secret.size() < kMinSecretBytes)
    throw std::invalid_argument(
        fmt::format("the HS256 secret must be at least {} bytes long", kMinSecretBytes));
  auto impl = std::make_unique<Impl>(Impl{JwtAlgorithm::HS256, std::move(secret), nullptr, std::move(policy)});
  return JwtVerifier(std::move(impl));
}

JwtVerifier JwtVerifier::from_public_key_pem(std::string_view pem, JwtPolicy policy) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())),
                                                BIO_free);
  Pkey key(bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!key) throw std::invalid_argument("not a PEM public key (expected -----BEGIN PUBLIC KEY-----)");
  JwtAlgorithm algorithm;
  switch (EVP_PKEY_get_base_id(key.get())) {
    case EVP_PKEY_RSA:
      if (EVP_PKEY_get_bits(key.get()) < 2048)
        throw std::invalid_argument("RSA public keys must have at least 2048 bits");
      algorithm = JwtAlgorithm::RS256;
      break;
    case EVP_PKEY_EC: {
      char group[64] = {};
      std::size_t length = 0;
      if (EVP_PKEY_get_group_name(key.get(), group, sizeof group, &length) != 1 ||
          std::string_view(group) != "prime256v1")
        throw std::invalid_argument("EC public keys must be on P-256 (ES256)");
      algorithm = JwtAlgorithm::ES256;
      break;
    }
    default:
      throw std::invalid_argument("unsupported public key type (RSA or EC P-256 expected)");
  }
  auto impl = std::make_unique<Impl>(Impl{algorithm, {}, std::move(key), std::move(policy)});
  return JwtVerifier(std::move(impl));
}

JwtAlgorithm JwtVerifier::algorithm() const { return impl_->algorithm; }

AuthResult JwtVerifier::verify(std::string_view token, std::int64_t now) const {
  if (token.empty()) return fail(AuthFailure::missing, "missing bearer token");
  if (token.size() > kMaxTokenBytes) return fail(AuthFailure::malformed, "token is too long");
  const std::size_t dot1 = token.find('.');
  const std::size_t dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos)
    return fail(AuthFailure::malformed, "token is not three dot-separated parts");

  const auto header = decode_json_object(token.substr(0, dot1));
  if (!header) return fail(AuthFailure::malformed, "token header is not base64url JSON");
  const bj::value* alg = find(*header, "alg");
  if (!alg || !alg->is_string()) return fail(AuthFailure::malformed, "token header has no alg");
  const std::string_view alg_name = alg->as_string();
  const std::string_view expected = algorithm_name(impl_->algorithm);
  if (alg_name != expected)
    return fail(AuthFailure::algorithm,
                fmt::format("algorithm {} is not accepted (expected {})",
                            alg_name.size() <= 16 ? alg_name : "?", expected));
  if (find(*header, "crit")) return fail(AuthFailure::malformed, "token header uses crit, which is not supported");

  const auto signature = base64url_decode(token.substr(dot2 + 1));
  if (!signature) return fail(AuthFailure::malformed, "token signature is not base64url");
  // The signature is checked before the claims are even parsed, so an
  // unsigned token cannot probe the claim checks.
  if (!impl_->signature_valid(token.substr(0, dot2), *signature))
    return fail(AuthFailure::signature, "token signature is invalid");

  const auto claims = decode_json_object(token.substr(dot1 + 1, dot2 - dot1 - 1));
  if (!claims) return fail(AuthFailure::malformed, "token payload is not base64url JSON");
  return impl_->check_claims(*claims, now);
}

AuthResult JwtVerifier::verify_header(std::string_view authorization, std::int64_t now) const {
  if (authorization.empty()) return fail(AuthFailure::missing, "missing Authorization: Bearer token");
  const std::string_view token = strip_bearer(authorization);
  if (token.empty()) return fail(AuthFailure::missing, "the Authorization header must be 'Bearer <token>'");
  return verify(token, now);
}

std::string mint_hs256(std::string_view secret, const MintRequest& request) {
  bj::object claims;
  claims["sub"] = request.subject;
  claims["iat"] = request.now;
  claims["nbf"] = request.now;
  claims["exp"] = request.now + request.ttl.count();
  claims["scope"] = request.scope;
  if (request.issuer) claims["iss"] = *request.issuer;
  if (request.audience) claims["aud"] = *request.audience;
  const std::string signing_input = base64url_encode(R"({"alg":"HS256","typ":"JWT"})") + "." +
                                    base64url_encode(bj::serialize(claims));
  return signing_input + "." + base64url_encode(hmac_sha256(secret, signing_input));
}

}  // namespace marquee::api

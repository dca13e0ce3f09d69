// Tokens here are built by the test itself (its own base64url, OpenSSL
// signing calls), and one is the published RFC 7515 example, so the verifier
// is checked against something it did not produce.
#include "api/jwt.hpp"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <fmt/format.h>

namespace marquee::api {
namespace {

constexpr std::int64_t kNow = 1'700'000'000;
const std::string kSecret = "0123456789abcdef0123456789abcdef-test-secret";

std::string b64url(std::string_view in) {
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += alphabet[(v >> s) & 63];
  }
  if (i + 1 == in.size()) {
    const unsigned v = static_cast<unsigned char>(in[i]) << 16;
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
  } else if (i + 2 == in.size()) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
  }
  return out;
}

std::string hmac(std::string_view key, std::string_view data) {
  unsigned char out[32];
  unsigned int n = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), out, &n);
  return std::string(reinterpret_cast<char*>(out), n);
}

std::string digest_sign(EVP_PKEY* key, std::string_view data) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key);
  std::size_t n = 0;
  EVP_DigestSign(ctx, nullptr, &n, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  std::string sig(n, '\0');
  EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &n,
                 reinterpret_cast<const unsigned char*>(data.data()), data.size());
  sig.resize(n);
  EVP_MD_CTX_free(ctx);
  return sig;
}

// JWS wants R || S, 32 bytes each, not OpenSSL's DER.
std::string es256_sign(EVP_PKEY* key, std::string_view data) {
  const std::string der = digest_sign(key, data);
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
  unsigned char raw[64];
  BN_bn2binpad(ECDSA_SIG_get0_r(sig), raw, 32);
  BN_bn2binpad(ECDSA_SIG_get0_s(sig), raw + 32, 32);
  ECDSA_SIG_free(sig);
  return std::string(reinterpret_cast<char*>(raw), 64);
}

std::string public_pem(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(bio, key);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<std::size_t>(n));
  BIO_free(bio);
  return pem;
}

EVP_PKEY* rsa_key() {
  static EVP_PKEY* key = EVP_RSA_gen(2048);
  return key;
}

EVP_PKEY* ec_key() {
  static EVP_PKEY* key = EVP_EC_gen("P-256");
  return key;
}

enum class Signer { hs256, rs256, es256 };

std::string token(const std::string& header, const std::string& payload, Signer signer = Signer::hs256,
                  const std::string& secret = kSecret) {
  const std::string input = b64url(header) + "." + b64url(payload);
  std::string sig;
  switch (signer) {
    case Signer::hs256: sig = hmac(secret, input); break;
    case Signer::rs256: sig = digest_sign(rsa_key(), input); break;
    case Signer::es256: sig = es256_sign(ec_key(), input); break;
  }
  return input + "." + b64url(sig);
}

std::string claims(const std::string& extra = "", std::int64_t exp = kNow + 600) {
  return fmt::format(R"({{"sub":"alice","exp":{},"scope":"marquee:read"{}}})", exp, extra);
}

const std::string kHs = R"({"alg":"HS256","typ":"JWT"})";
const std::string kRs = R"({"alg":"RS256","typ":"JWT"})";
const std::string kEs = R"({"alg":"ES256"})";

JwtVerifier hs(JwtPolicy policy = {}) { return JwtVerifier::hs256(kSecret, std::move(policy)); }

AuthFailure failure(const JwtVerifier& v, const std::string& t, std::int64_t now = kNow) {
  return v.verify(t, now).failure;
}

TEST(Jwt, Rfc7515AppendixA1Verifies) {
  const auto key = base64url_decode("AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow");
  ASSERT_TRUE(key);
  const std::string example =
      "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9."
      "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ."
      "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  const JwtVerifier v = JwtVerifier::hs256(*key, {});
  // Signature and exp pass; the example has no scope claim, so it is refused for that alone.
  EXPECT_EQ(failure(v, example, 1300819000), AuthFailure::scope);
  EXPECT_EQ(failure(v, example, 1300819380 + 30), AuthFailure::expired);
  std::string tampered = example;
  tampered.back() = tampered.back() == 'k' ? 'j' : 'k';
  EXPECT_EQ(failure(v, tampered, 1300819000), AuthFailure::signature);
}

TEST(Jwt, AcceptsValidTokensOfEachAlgorithm) {
  const AuthResult ok = hs().verify(token(kHs, claims()), kNow);
  EXPECT_TRUE(ok.ok()) << ok.message;
  EXPECT_EQ(ok.subject, "alice");
  const JwtVerifier rs = JwtVerifier::from_public_key_pem(public_pem(rsa_key()), {});
  EXPECT_EQ(rs.algorithm(), JwtAlgorithm::RS256);
  EXPECT_TRUE(rs.verify(token(kRs, claims(), Signer::rs256), kNow).ok());
  const JwtVerifier es = JwtVerifier::from_public_key_pem(public_pem(ec_key()), {});
  EXPECT_EQ(es.algorithm(), JwtAlgorithm::ES256);
  EXPECT_TRUE(es.verify(token(kEs, claims(), Signer::es256), kNow).ok());
}

TEST(Jwt, ExpiryWithLeeway) {
  const JwtVerifier v = hs();  // 30 s leeway
  EXPECT_EQ(failure(v, token(kHs, claims("", kNow - 100))), AuthFailure::expired);
  EXPECT_EQ(failure(v, token(kHs, claims("", kNow - 10))), AuthFailure::none);
  EXPECT_EQ(failure(v, token(kHs, R"({"scope":"marquee:read"})")), AuthFailure::malformed);  // no exp
  EXPECT_EQ(failure(v, token(kHs, R"({"exp":"soon","scope":"marquee:read"})")), AuthFailure::malformed);
}

TEST(Jwt, NotBeforeWithLeeway) {
  const JwtVerifier v = hs();
  EXPECT_EQ(failure(v, token(kHs, claims(fmt::format(R"(,"nbf":{})", kNow + 100)))), AuthFailure::not_yet_valid);
  EXPECT_EQ(failure(v, token(kHs, claims(fmt::format(R"(,"nbf":{})", kNow + 10)))), AuthFailure::none);
}

TEST(Jwt, WrongSignature) {
  EXPECT_EQ(failure(hs(), token(kHs, claims(), Signer::hs256, "another-secret-another-secret-another")),
            AuthFailure::signature);
  const JwtVerifier es = JwtVerifier::from_public_key_pem(public_pem(ec_key()), {});
  std::string t = token(kEs, claims(), Signer::es256);
  EXPECT_EQ(failure(es, t.substr(0, t.rfind('.') + 1) + b64url("short")), AuthFailure::signature);
}

TEST(Jwt, RejectsAlgNone) {
  for (const char* alg : {"none", "None", "NONE"}) {
    const std::string unsigned_token = b64url(fmt::format(R"({{"alg":"{}"}})", alg)) + "." + b64url(claims()) + ".";
    EXPECT_EQ(failure(hs(), unsigned_token), AuthFailure::algorithm) << alg;
  }
}

TEST(Jwt, RejectsHs256SignedWithTheRsaPublicKey) {
  const std::string pem = public_pem(rsa_key());
  const JwtVerifier rs = JwtVerifier::from_public_key_pem(pem, {});
  EXPECT_EQ(failure(rs, token(kHs, claims(), Signer::hs256, pem)), AuthFailure::algorithm);
  // And the other way round: an RS256 token for an HS256 server.
  EXPECT_EQ(failure(hs(), token(kRs, claims(), Signer::rs256)), AuthFailure::algorithm);
}

TEST(Jwt, ScopeMustIncludeMarqueeRead) {
  const JwtVerifier v = hs();
  const std::string exp = fmt::format(R"("exp":{})", kNow + 600);
  EXPECT_EQ(failure(v, token(kHs, "{" + exp + "}")), AuthFailure::scope);
  EXPECT_EQ(failure(v, token(kHs, "{" + exp + R"(,"scope":"marquee:write"})")), AuthFailure::scope);
  EXPECT_EQ(failure(v, token(kHs, "{" + exp + R"(,"scope":"marquee:readonly"})")), AuthFailure::scope);
  EXPECT_EQ(failure(v, token(kHs, "{" + exp + R"(,"scope":"openid marquee:read email"})")), AuthFailure::none);
  EXPECT_EQ(failure(v, token(kHs, "{" + exp + R"(,"scp":["a","marquee:read"]})")), AuthFailure::none);
}

TEST(Jwt, IssuerAndAudienceWhenConfigured) {
  JwtPolicy policy;
  policy.issuer = "https://issuer.example";
  policy.audience = "marquee-api";
  const JwtVerifier v = hs(policy);
  const std::string good_iss = R"(,"iss":"https://issuer.example")";
  EXPECT_EQ(failure(v, token(kHs, claims(good_iss + R"(,"aud":"marquee-api")"))), AuthFailure::none);
  EXPECT_EQ(failure(v, token(kHs, claims(good_iss + R"(,"aud":["x","marquee-api"])"))), AuthFailure::none);
  EXPECT_EQ(failure(v, token(kHs, claims(R"(,"iss":"https://evil.example","aud":"marquee-api")"))), AuthFailure::issuer);
  EXPECT_EQ(failure(v, token(kHs, claims(R"(,"aud":"marquee-api")"))), AuthFailure::issuer);
  EXPECT_EQ(failure(v, token(kHs, claims(good_iss + R"(,"aud":"other")"))), AuthFailure::audience);
  EXPECT_EQ(failure(v, token(kHs, claims(good_iss))), AuthFailure::audience);
  // Not configured: not checked.
  EXPECT_EQ(failure(hs(), token(kHs, claims(R"(,"iss":"anyone","aud":"anything")"))), AuthFailure::none);
}

TEST(Jwt, MalformedTokens) {
  const JwtVerifier v = hs();
  const std::string good = token(kHs, claims());
  for (const std::string& bad :
       {std::string("abc"), std::string("a.b"), good + ".x", std::string("!!!.e30.sig"), std::string(".."),
        b64url("not json") + "." + b64url(claims()) + ".x", std::string(9000, 'a')}) {
    EXPECT_EQ(failure(v, bad), AuthFailure::malformed) << bad.substr(0, 40);
  }
  // A correctly signed token whose payload is not JSON.
  EXPECT_EQ(failure(v, token(kHs, "[1,2]")), AuthFailure::malformed);
  EXPECT_EQ(failure(v, token(R"({"typ":"JWT"})", claims())), AuthFailure::malformed);  // no alg
  EXPECT_EQ(failure(v, token(R"({"alg":"HS256","crit":["exp"]})", claims())), AuthFailure::malformed);
}

TEST(Jwt, AuthorizationHeaderForms) {
  const JwtVerifier v = hs();
  const std::string t = token(kHs, claims());
  EXPECT_TRUE(v.verify_header("Bearer " + t, kNow).ok());
  EXPECT_TRUE(v.verify_header("bearer  " + t, kNow).ok());
  EXPECT_EQ(v.verify_header("", kNow).failure, AuthFailure::missing);
  EXPECT_EQ(v.verify_header("Basic dXNlcjpwYXNz", kNow).failure, AuthFailure::missing);
  EXPECT_EQ(v.verify_header("Bearer ", kNow).failure, AuthFailure::missing);
}

TEST(Jwt, MintedTokensVerifyAndExpire) {
  MintRequest request;
  request.subject = "bob";
  request.ttl = std::chrono::seconds(3600);
  request.now = kNow;
  request.issuer = "iss";
  request.audience = "aud";
  const std::string t = mint_hs256(kSecret, request);
  JwtPolicy policy;
  policy.issuer = "iss";
  policy.audience = "aud";
  const JwtVerifier v = hs(policy);
  const AuthResult ok = v.verify(t, kNow + 3599);
  EXPECT_TRUE(ok.ok()) << ok.message;
  EXPECT_EQ(ok.subject, "bob");
  EXPECT_EQ(failure(v, t, kNow + 3600 + 30), AuthFailure::expired);
  EXPECT_EQ(failure(v, t, kNow - 31), AuthFailure::not_yet_valid);
  // The header is exactly what RFC 7519's example uses for HS256.
  EXPECT_EQ(t.substr(0, t.find('.')), b64url(R"({"alg":"HS256","typ":"JWT"})"));
}

TEST(Jwt, RefusesWeakOrUnsupportedKeys) {
  EXPECT_THROW(JwtVerifier::hs256("short", {}), std::invalid_argument);
  EXPECT_THROW(JwtVerifier::from_public_key_pem("not a pem", {}), std::invalid_argument);
  EVP_PKEY* small = EVP_RSA_gen(1024);
  EXPECT_THROW(JwtVerifier::from_public_key_pem(public_pem(small), {}), std::invalid_argument);
  EVP_PKEY_free(small);
  EVP_PKEY* p384 = EVP_EC_gen("P-384");
  EXPECT_THROW(JwtVerifier::from_public_key_pem(public_pem(p384), {}), std::invalid_argument);
  EVP_PKEY_free(p384);
}

TEST(Jwt, Base64UrlRoundTrip) {
  for (const std::string& s : {std::string(""), std::string("f"), std::string("fo"), std::string("foo"),
                               std::string("foob"), std::string("fooba"), std::string("foobar"),
                               std::string("\xff\xfe\x00z", 4)}) {
    EXPECT_EQ(base64url_encode(s), b64url(s));
    EXPECT_EQ(base64url_decode(b64url(s)), s);
  }
  EXPECT_FALSE(base64url_decode("a"));
  EXPECT_FALSE(base64url_decode("ab=="));  // no padding in JWS
  EXPECT_FALSE(base64url_decode("a+b/"));
}

}  // namespace
}  // namespace marquee::api

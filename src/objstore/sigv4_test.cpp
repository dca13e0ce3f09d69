// The signer against AWS's published values: the Signature Version 4 test
// suite (aws-sig-v4-test-suite: credentials AKIDEXAMPLE, service "service",
// 2015-08-30T12:36:00Z) and the S3 examples of "Signature Calculations for the
// Authorization Header" (examplebucket, AKIAIOSFODNN7EXAMPLE, 2013-05-24).
// Every expected signature below is AWS's, not Marquee's output.
#include "objstore/sigv4.hpp"

#include <gtest/gtest.h>

namespace marquee::objstore {
namespace {

const Credentials kSuite{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};
const Credentials kS3{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""};
const std::string kEmptySha = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const std::string kSuiteScope = "Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ";
const std::string kS3Scope = "Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, ";

SignableRequest suite_request(std::string method, std::string path,
                              std::vector<std::pair<std::string, std::string>> query = {}) {
  SignableRequest r;
  r.method = std::move(method);
  r.encoded_path = std::move(path);
  r.query = std::move(query);
  r.headers = {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}};
  r.payload_sha256 = kEmptySha;
  return r;
}

std::string sign_suite(const SignableRequest& r) {
  return authorization(r, kSuite, "us-east-1", "service", "20150830T123600Z");
}

TEST(SigV4Suite, GetVanilla) {
  const auto r = suite_request("GET", "/");
  EXPECT_EQ(canonical_request(r),
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + kEmptySha);
  EXPECT_EQ(string_to_sign("20150830T123600Z", "20150830/us-east-1/service/aws4_request", canonical_request(r)),
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
            "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
  EXPECT_EQ(sign_suite(r), "AWS4-HMAC-SHA256 " + kSuiteScope +
                               "SignedHeaders=host;x-amz-date, "
                               "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

TEST(SigV4Suite, GetVanillaQueryOrderKeyCase) {
  const auto r = suite_request("GET", "/", {{"Param2", "value2"}, {"Param1", "value1"}});
  EXPECT_EQ(canonical_query(r.query), "Param1=value1&Param2=value2");
  EXPECT_EQ(sign_suite(r), "AWS4-HMAC-SHA256 " + kSuiteScope +
                               "SignedHeaders=host;x-amz-date, "
                               "Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
}

TEST(SigV4Suite, PostVanilla) {
  EXPECT_EQ(sign_suite(suite_request("POST", "/")),
            "AWS4-HMAC-SHA256 " + kSuiteScope +
                "SignedHeaders=host;x-amz-date, "
                "Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
}

TEST(SigV4Suite, PostXWwwFormUrlencoded) {
  auto r = suite_request("POST", "/");
  r.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  r.payload_sha256 = sha256_hex("Param1=value1");
  EXPECT_EQ(sign_suite(r), "AWS4-HMAC-SHA256 " + kSuiteScope +
                               "SignedHeaders=content-type;host;x-amz-date, "
                               "Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a");
}

TEST(SigV4Suite, GetHeaderValueTrim) {
  auto r = suite_request("GET", "/");
  r.headers.emplace_back("My-Header1", " value1");
  r.headers.emplace_back("My-Header2", "\"a   b   c\"");
  EXPECT_EQ(sign_suite(r), "AWS4-HMAC-SHA256 " + kSuiteScope +
                               "SignedHeaders=host;my-header1;my-header2;x-amz-date, "
                               "Signature=acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736");
}

TEST(SigV4Suite, GetUnreserved) {
  const std::string path = "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  EXPECT_EQ(uri_encode(path, true), path);
  EXPECT_EQ(sign_suite(suite_request("GET", path)),
            "AWS4-HMAC-SHA256 " + kSuiteScope +
                "SignedHeaders=host;x-amz-date, "
                "Signature=07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f");
}

SignableRequest s3_request(std::string method, std::string path,
                           std::vector<std::pair<std::string, std::string>> query, std::string payload_sha) {
  SignableRequest r;
  r.method = std::move(method);
  r.encoded_path = std::move(path);
  r.query = std::move(query);
  r.headers = {{"Host", "examplebucket.s3.amazonaws.com"},
               {"x-amz-date", "20130524T000000Z"},
               {"x-amz-content-sha256", payload_sha}};
  r.payload_sha256 = payload_sha;
  return r;
}

std::string sign_s3(const SignableRequest& r) { return authorization(r, kS3, "us-east-1", "s3", "20130524T000000Z"); }

TEST(SigV4S3Examples, GetObjectWithRange) {
  auto r = s3_request("GET", "/test.txt", {}, kEmptySha);
  r.headers.emplace_back("Range", "bytes=0-9");
  EXPECT_EQ(sign_s3(r), "AWS4-HMAC-SHA256 " + kS3Scope +
                            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(SigV4S3Examples, PutObject) {
  const std::string payload = sha256_hex("Welcome to Amazon S3.");
  EXPECT_EQ(payload, "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  auto r = s3_request("PUT", "/" + uri_encode("test$file.text", false), {}, payload);
  EXPECT_EQ(r.encoded_path, "/test%24file.text");
  r.headers.emplace_back("Date", "Fri, 24 May 2013 00:00:00 GMT");
  r.headers.emplace_back("x-amz-storage-class", "REDUCED_REDUNDANCY");
  EXPECT_EQ(sign_s3(r), "AWS4-HMAC-SHA256 " + kS3Scope +
                            "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, "
                            "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
}

TEST(SigV4S3Examples, GetBucketLifecycle) {
  const auto r = s3_request("GET", "/", {{"lifecycle", ""}}, kEmptySha);
  EXPECT_EQ(sign_s3(r), "AWS4-HMAC-SHA256 " + kS3Scope +
                            "SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
                            "Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
}

TEST(SigV4S3Examples, ListObjectsQuerySorted) {
  const auto r = s3_request("GET", "/", {{"prefix", "J"}, {"max-keys", "2"}}, kEmptySha);
  EXPECT_EQ(sign_s3(r), "AWS4-HMAC-SHA256 " + kS3Scope +
                            "SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
                            "Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
}

TEST(SigV4, UriEncode) {
  EXPECT_EQ(uri_encode("a b/c~d+e$\xc3\xa9", true), "a%20b/c~d%2Be%24%C3%A9");
  EXPECT_EQ(uri_encode("a/b", false), "a%2Fb");
}

}  // namespace
}  // namespace marquee::objstore

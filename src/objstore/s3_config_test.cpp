#include "objstore/s3_config.hpp"

#include <gtest/gtest.h>

#include "common/error.hpp"

namespace marquee::objstore {
namespace {

TEST(S3Url, ParsesBucketAndKey) {
  const S3Location l = parse_s3_url("s3://my-bucket/a/b c.csv");
  EXPECT_EQ(l.bucket, "my-bucket");
  EXPECT_EQ(l.key, "a/b c.csv");
  EXPECT_EQ(l.child("x").key, "a/b c.csv/x");
  EXPECT_EQ(parse_s3_url("s3://bkt/prefix/").child("m.csv").key, "prefix/m.csv");
  EXPECT_EQ(parse_s3_url("s3://bkt").key, "");
}

TEST(S3Url, RefusesBadBuckets) {
  EXPECT_THROW(parse_s3_url("s3://Upper/x"), InputError);
  EXPECT_THROW(parse_s3_url("s3://ab/x"), InputError);
  EXPECT_THROW(parse_s3_url("s3:///x"), InputError);
  EXPECT_THROW(parse_s3_url("http://bucket/x"), InputError);
}

TEST(S3Address, PathStyleWithEndpointVirtualHostedOnAws) {
  S3Config c;
  c.endpoint = "http://127.0.0.1:9000";
  c.path_style = true;
  Address a = address_of(c, {"bkt", "dir/a b.csv"});
  EXPECT_EQ(a.url, "http://127.0.0.1:9000/bkt/dir/a%20b.csv");
  EXPECT_EQ(a.host, "127.0.0.1:9000");
  EXPECT_EQ(a.encoded_path, "/bkt/dir/a%20b.csv");
  S3Config aws;
  aws.region = "eu-west-1";
  aws.path_style = false;
  a = address_of(aws, {"bkt", "k"});
  EXPECT_EQ(a.url, "https://bkt.s3.eu-west-1.amazonaws.com/k");
  EXPECT_EQ(a.host, "bkt.s3.eu-west-1.amazonaws.com");
  a = address_of(aws, {"my.bucket", "k"});
  EXPECT_EQ(a.url, "https://s3.eu-west-1.amazonaws.com/my.bucket/k");
}

}  // namespace
}  // namespace marquee::objstore

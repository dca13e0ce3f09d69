#include "parquet/options.hpp"

#include <gtest/gtest.h>

#include "common/error.hpp"
#include "marquee/version.hpp"

namespace marquee::parquet {
namespace {

TEST(Options, ParsesCodecNames) {
  EXPECT_EQ(parse_compression("zstd"), Compression::Zstd);
  EXPECT_EQ(parse_compression("ZSTD"), Compression::Zstd);
  EXPECT_EQ(parse_compression("snappy"), Compression::Snappy);
  EXPECT_EQ(parse_compression("none"), Compression::None);
}

TEST(Options, UnknownCodecNamesTheParameter) {
  try {
    parse_compression("gzip");
    FAIL() << "gzip accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(e.exit_code(), 2);
    EXPECT_NE(std::string(e.what()).find("--compression"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("gzip"), std::string::npos) << e.what();
  }
  EXPECT_THROW(parse_compression(""), InputError);
}

TEST(Options, DefaultsFollowTheIssue) {
  const WriterOptions o;
  EXPECT_EQ(o.compression, Compression::Zstd);
  EXPECT_EQ(o.row_group_max_rows, 1'000'000u);
  EXPECT_EQ(o.row_group_max_bytes, 64u << 20);
  EXPECT_EQ(o.page_max_bytes, 1u << 20);
}

TEST(Options, CreatedByHasTheSpecsForm) {
  // "<application> version <version> (build <hash>)", which parquet-mr and Arrow parse.
  EXPECT_EQ(default_created_by().rfind(std::string("marquee version ") + kVersion + " (build ", 0), 0u);
  EXPECT_EQ(default_created_by().back(), ')');
}

TEST(Options, MarqueeMetadataKeys) {
  const KeyValueList kv = marquee_metadata("run-1", "abc");
  ASSERT_EQ(kv.size(), 4u);
  EXPECT_EQ(kv[0], (std::pair<std::string, std::string>{"marquee.version", kVersion}));
  EXPECT_EQ(kv[1], (std::pair<std::string, std::string>{"marquee.schema_version", std::to_string(kSchemaVersion)}));
  EXPECT_EQ(kv[2], (std::pair<std::string, std::string>{"marquee.run_id", "run-1"}));
  EXPECT_EQ(kv[3], (std::pair<std::string, std::string>{"marquee.input_sha256", "abc"}));
}

}  // namespace
}  // namespace marquee::parquet

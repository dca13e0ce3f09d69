#include "csv/splitter.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "common/error.hpp"

namespace marquee::csv {
namespace {

namespace fs = std::filesystem;

class SplitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("marquee-split-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write(const std::string& text) {
    const fs::path p = dir_ / "in.csv";
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
  static std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  fs::path dir_;
};

const std::string kHeader = "id,title,overview\n";

TEST_F(SplitTest, PartsConcatenateBackToTheInputWithTheHeaderInEach) {
  std::string body;
  for (int i = 1; i <= 300; ++i) body += std::to_string(i) + ",T" + std::to_string(i) + ",plain\n";
  const auto parts = split_csv(write(kHeader + body), 3, dir_ / "out");
  ASSERT_EQ(parts.size(), 3u);
  std::string joined;
  std::uint64_t records = 0;
  for (const auto& p : parts) {
    const std::string text = read(p.path);
    ASSERT_EQ(text.substr(0, kHeader.size()), kHeader) << p.path;
    EXPECT_GT(p.records, 50u);
    joined += text.substr(kHeader.size());
    records += p.records;
    EXPECT_EQ(p.bytes, text.size());
  }
  EXPECT_EQ(joined, body);
  EXPECT_EQ(records, 300u);
  EXPECT_EQ(parts[0].first_line, 2u);
  EXPECT_EQ(parts[1].first_line, 2u + parts[0].records);
}

TEST_F(SplitTest, NeverCutsInsideAQuotedLineBreak) {
  // Every record holds a quoted line break: each cut must fall after a whole one.
  std::string body;
  for (int i = 1; i <= 200; ++i) body += std::to_string(i) + ",\"a\nb\",\"x\"\"\ny\"\n";
  const auto parts = split_csv(write(kHeader + body), 4, dir_ / "out");
  std::string joined;
  for (const auto& p : parts) {
    const std::string text = read(p.path).substr(kHeader.size());
    if (!text.empty()) {
      EXPECT_TRUE(std::isdigit(static_cast<unsigned char>(text[0]))) << p.path;
      EXPECT_EQ(text.back(), '\n');
    }
    joined += text;
  }
  EXPECT_EQ(joined, body);
  // Physical lines: three per record.
  EXPECT_EQ(parts[1].first_line, 2u + 3 * parts[0].records);
}

TEST_F(SplitTest, NeverCutsAfterARecordShortOfFields) {
  // Record 2 is broken by a stray line feed into "2,T2" + "more,x": the
  // reader joins the halves, so no cut may fall between them even when the
  // target lands there.
  // 18 header bytes + 55 in all: the target (27) falls after "2,T2".
  const std::string body = "1,a,b\n2,T2\nmore,x\n3,T3,abcdefghijklm\n";
  ASSERT_EQ(kHeader.size() + body.size(), 55u);
  const auto parts = split_csv(write(kHeader + body), 2, dir_ / "out");
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(read(parts[0].path), kHeader + body);  // the next whole record ends the input
  EXPECT_EQ(read(parts[1].path), kHeader);
}

TEST_F(SplitTest, MorePartsThanCutPointsLeavesHeaderOnlyParts) {
  const auto parts = split_csv(write(kHeader + "1,a,b\n"), 3, dir_ / "out");
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(read(parts[0].path), kHeader + "1,a,b\n");
  EXPECT_EQ(read(parts[2].path), kHeader);
  EXPECT_EQ(parts[2].records, 0u);
}

TEST_F(SplitTest, BadInputsAreInputErrors) {
  EXPECT_THROW(split_csv(dir_ / "missing.csv", 2, dir_ / "out"), InputError);
  EXPECT_THROW(split_csv(write(""), 2, dir_ / "out"), InputError);
  EXPECT_THROW(split_csv(write(kHeader), 0, dir_ / "out"), InputError);
}

}  // namespace
}  // namespace marquee::csv

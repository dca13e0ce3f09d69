#include "common/spill_file.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <thread>
#include <vector>

namespace marquee {
namespace {

namespace fs = std::filesystem;

class SpillFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("marquee-spill-test-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

std::span<const std::byte> bytes_of(const std::string& s) { return std::as_bytes(std::span(s.data(), s.size())); }

std::string read_back(const SpillFile& file, std::uint64_t offset, std::size_t n) {
  std::string out(n, '\0');
  file.read(offset, std::as_writable_bytes(std::span(out.data(), out.size())));
  return out;
}

TEST_F(SpillFileTest, ReadsBackWhatWasAppendedAtItsOffset) {
  SpillFile file(dir_);
  const std::string a(100000, 'a'), b = "second part";
  EXPECT_EQ(file.append(bytes_of(a)), 0u);
  EXPECT_EQ(file.append(bytes_of(b)), a.size());
  EXPECT_EQ(file.size(), a.size() + b.size());
  EXPECT_EQ(read_back(file, a.size(), b.size()), b);
  EXPECT_EQ(read_back(file, 99990, 15), std::string(10, 'a') + "secon");
}

TEST_F(SpillFileTest, LeavesNothingInItsDirectory) {
  {
    SpillFile file(dir_);
    file.append(bytes_of("x"));
    EXPECT_TRUE(fs::is_empty(dir_));
  }
  EXPECT_TRUE(fs::is_empty(dir_));
}

TEST_F(SpillFileTest, ConcurrentReadersSeeTheirOwnOffsets) {
  SpillFile file(dir_);
  std::string all;
  for (int i = 0; i < 1000; ++i) all += std::to_string(i % 10);
  file.append(bytes_of(all));
  std::vector<std::thread> threads;
  std::vector<int> ok(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      bool good = true;
      for (int i = 0; i < 200; ++i) good = good && read_back(file, (t * 97 + i) % 990, 10) == all.substr((t * 97 + i) % 990, 10);
      ok[t] = good;
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < 8; ++t) EXPECT_TRUE(ok[t]) << t;
}

TEST_F(SpillFileTest, AMissingDirectoryIsAnErrorNamingIt) {
  try {
    SpillFile file(dir_ / "missing");
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find((dir_ / "missing").string()), std::string::npos) << e.what();
  }
}

TEST_F(SpillFileTest, ReadingPastTheEndIsAnError) {
  SpillFile file(dir_);
  file.append(bytes_of("abc"));
  EXPECT_THROW(read_back(file, 2, 2), std::logic_error);
}

}  // namespace
}  // namespace marquee

#include "common/atomic_file.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace marquee {
namespace fs = std::filesystem;

class AtomicFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("marquee-atomic-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  static std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  std::size_t entries() const {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()));
  }
  fs::path dir_;
};

TEST_F(AtomicFileTest, AppearsOnlyOnCommit) {
  const fs::path target = dir_ / "t.txt";
  {
    AtomicFile file(target);
    file.write("hello ");
    file.write(std::string(3 << 20, 'x'));  // larger than the buffer
    EXPECT_FALSE(fs::exists(target));
    file.commit();
  }
  EXPECT_EQ(read(target).size(), 6u + (3u << 20));
  EXPECT_EQ(entries(), 1u);
}

TEST_F(AtomicFileTest, AbandonedFileLeavesNothing) {
  {
    AtomicFile file(dir_ / "t.txt");
    file.write("partial");
  }
  EXPECT_EQ(entries(), 0u);
}

TEST_F(AtomicFileTest, CommitReplacesExistingFile) {
  const fs::path target = dir_ / "t.txt";
  std::ofstream(target) << "old";
  AtomicFile file(target);
  file.write("new");
  EXPECT_EQ(read(target), "old");
  file.commit();
  EXPECT_EQ(read(target), "new");
}

}  // namespace marquee

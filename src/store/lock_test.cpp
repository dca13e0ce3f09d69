#include "store/lock.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "store/test_backends.hpp"

namespace marquee::store {
namespace {

using namespace std::chrono_literals;
using testing::BackendTest;

class LockTest : public BackendTest {
 protected:
  std::filesystem::path lock_path() {
    if (!dir().empty()) return dir() / "marquee.lock";
    // PostgreSQL runs have no temp dir of their own: make one.
    if (tmp_.empty()) {
      tmp_ = std::filesystem::temp_directory_path() / ("marquee-lock-test-" + testing::unique_suffix());
      std::filesystem::create_directories(tmp_);
    }
    return tmp_ / "marquee.lock";
  }
  void TearDown() override {
    if (!tmp_.empty()) std::filesystem::remove_all(tmp_);
    BackendTest::TearDown();
  }
  std::filesystem::path tmp_;
};

TEST_P(LockTest, ASecondJobTimesOutNamingTheHolder) {
  auto db1 = open();
  auto db2 = open();
  JobLock first(lock_path(), *db1, 1s, "marquee run first.csv");
  const auto started = std::chrono::steady_clock::now();
  try {
    JobLock second(lock_path(), *db2, 300ms, "marquee run second.csv");
    FAIL() << "the second lock was granted";
  } catch (const LockTimeout& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("marquee run first.csv"), std::string::npos) << message;
    EXPECT_NE(message.find("pid " + std::to_string(::getpid())), std::string::npos) << message;
    EXPECT_NE(message.find("--lock-timeout"), std::string::npos) << message;
    EXPECT_EQ(e.exit_code(), 1);
  }
  const auto waited = std::chrono::steady_clock::now() - started;
  EXPECT_GE(waited, 300ms);
  EXPECT_LT(waited, 3s);
}

TEST_P(LockTest, TheLockIsFreeAgainOnceReleased) {
  auto db1 = open();
  auto db2 = open();
  { JobLock first(lock_path(), *db1, 1s, "first"); }
  EXPECT_NO_THROW(JobLock(lock_path(), *db2, 100ms, "second"));
}

TEST_P(LockTest, PostgresAdvisoryLockAloneBlocksAnotherDataDirectory) {
  if (!postgres()) GTEST_SKIP() << "PostgreSQL only";
  auto db1 = open();
  auto db2 = open();
  JobLock first(lock_path(), *db1, 1s, "marquee run on host A");
  // Another host: another data directory, the same database.
  const auto other_dir = lock_path().parent_path() / "other";
  std::filesystem::create_directories(other_dir);
  try {
    JobLock second(other_dir / "marquee.lock", *db2, 200ms, "marquee run on host B");
    FAIL();
  } catch (const LockTimeout& e) {
    EXPECT_NE(std::string(e.what()).find("application 'marquee: pid"), std::string::npos) << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, LockTest, ::testing::ValuesIn(testing::backends()),
                         testing::backend_name);

TEST(ParseDuration, AcceptsUnitsAndRefusesGarbage) {
  EXPECT_EQ(parse_duration("30s", "--lock-timeout"), 30000ms);
  EXPECT_EQ(parse_duration("250ms", "--lock-timeout"), 250ms);
  EXPECT_EQ(parse_duration("2m", "--lock-timeout"), 120000ms);
  EXPECT_EQ(parse_duration("1.5", "--lock-timeout"), 1500ms);
  EXPECT_EQ(parse_duration("0", "--lock-timeout"), 0ms);
  EXPECT_THROW(parse_duration("soon", "--lock-timeout"), InputError);
  EXPECT_THROW(parse_duration("5h", "--lock-timeout"), InputError);
  EXPECT_THROW(parse_duration("-1s", "--lock-timeout"), InputError);
}

}  // namespace
}  // namespace marquee::store

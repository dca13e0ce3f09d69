#include "common/thread_role.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <thread>

namespace marquee {
namespace {

std::string own_thread_name() {
  std::ifstream comm("/proc/self/task/" + std::to_string(gettid()) + "/comm");
  std::string name;
  std::getline(comm, name);
  return name;
}

int own_nice() { return getpriority(PRIO_PROCESS, static_cast<id_t>(gettid())); }

TEST(ThreadRole, NamesTheThreadWithinLinuxsFifteenBytes) {
  std::string name;
  std::thread([&] {
    set_thread_role("marquee-a-very-long-name");
    name = own_thread_name();
  }).join();
  EXPECT_EQ(name, "marquee-a-very-");
}

TEST(ThreadRole, BackgroundLowersOnlyThatThreadsPriority) {
  const int before = own_nice();
  int background = 0, normal = 0;
  std::thread([&] {
    set_thread_role("bg", ThreadPriority::Background);
    background = own_nice();
  }).join();
  std::thread([&] {
    set_thread_role("fg");
    normal = own_nice();
  }).join();
  EXPECT_EQ(background, std::min(before + 10, 19));
  EXPECT_EQ(normal, before);
  EXPECT_EQ(own_nice(), before);  // the caller is untouched
}

}  // namespace
}  // namespace marquee

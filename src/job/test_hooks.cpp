#include "job/test_hooks.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

namespace marquee::job {

void pause_point(std::string_view point) {
  const char* wanted = std::getenv("MARQUEE_TEST_PAUSE_AT");
  if (wanted == nullptr || point != wanted) return;
  const char* seconds_text = std::getenv("MARQUEE_TEST_PAUSE_SECONDS");
  const int seconds = seconds_text ? std::atoi(seconds_text) : 60;
  std::fprintf(stderr, "marquee: test pause at %s (pid %d)\n", std::string(point).c_str(), ::getpid());
  std::fflush(stderr);
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
}

}  // namespace marquee::job

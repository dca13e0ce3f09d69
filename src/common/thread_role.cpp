#include "common/thread_role.hpp"

#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include <string>

namespace marquee {

void set_thread_role(std::string_view name, ThreadPriority priority) {
  const std::string short_name(name.substr(0, 15));
  pthread_setname_np(pthread_self(), short_name.c_str());
  if (priority == ThreadPriority::Background) {
    // On Linux, PRIO_PROCESS with a thread id sets that thread's nice value.
    setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 10);
  }
}

}  // namespace marquee

#include "obs/events.hpp"

#include <arpa/inet.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include <gtest/gtest.h>

extern char** environ;

namespace marquee::obs {
namespace {

int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// A real redis-server on a free loopback port (16 databases, the default),
// stopped at the end of the test.
class RedisServer {
 public:
  RedisServer() : port_(free_port()), dir_(std::filesystem::temp_directory_path() / ("events-test-" + std::to_string(port_))) {
    std::filesystem::create_directories(dir_);
    const std::string port = std::to_string(port_), dir = dir_.string();
    const char* argv[] = {"redis-server", "--port", port.c_str(), "--bind", "127.0.0.1", "--save", "",
                          "--appendonly", "no", "--dir", dir.c_str(), nullptr};
    if (::posix_spawnp(&pid_, "redis-server", nullptr, nullptr, const_cast<char**>(argv), environ) != 0) pid_ = -1;
    for (int i = 0; pid_ > 0 && i < 100 && !up(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ~RedisServer() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
    std::filesystem::remove_all(dir_);
  }
  bool up() const {
    redisContext* c = redisConnect("127.0.0.1", port_);
    const bool ok = c != nullptr && c->err == 0;
    if (c) redisFree(c);
    return ok;
  }
  int port() const { return port_; }
  // XLEN of the stream in database `db`.
  long long stream_length(int db, const std::string& stream) const {
    redisContext* c = redisConnect("127.0.0.1", port_);
    freeReplyObject(redisCommand(c, "SELECT %d", db));
    auto* reply = static_cast<redisReply*>(redisCommand(c, "XLEN %s", stream.c_str()));
    const long long n = reply && reply->type == REDIS_REPLY_INTEGER ? reply->integer : -1;
    freeReplyObject(reply);
    redisFree(c);
    return n;
  }

 private:
  int port_;
  std::filesystem::path dir_;
  pid_t pid_ = -1;
};

// A database the server refuses (SELECT fails): every event must fail to
// reach Redis, never land in database 0 on a connection left half set up.
TEST(Events, ARefusedDatabaseNeverSendsEventsToDatabaseZero) {
  RedisServer redis;
  if (!redis.up()) GTEST_SKIP() << "redis-server is not installed or did not start";
  Events events(EventOptions{.redis_url = "redis://127.0.0.1:" + std::to_string(redis.port()) + "/99"});
  events.emit("job_started", "r1");
  events.emit("transformed", "r1");
  events.emit("published", "r1");
  EXPECT_EQ(events.redis_failures(), 3u);
  EXPECT_EQ(redis.stream_length(0, "marquee:events"), 0);
}

}  // namespace
}  // namespace marquee::obs

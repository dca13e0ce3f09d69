#include "obs/statsd.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace marquee::obs {
namespace {

// A UDP socket on a free loopback port: what a daemon would receive.
class Receiver {
 public:
  Receiver() {
    fd_ = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~Receiver() { ::close(fd_); }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  std::vector<std::string> packets(int wait_ms = 300) {
    std::vector<std::string> out;
    pollfd p{fd_, POLLIN, 0};
    while (::poll(&p, 1, wait_ms) > 0) {
      char buffer[65536];
      const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      out.emplace_back(buffer, static_cast<std::size_t>(n));
      wait_ms = 50;
    }
    return out;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
};

TEST(Statsd, LinesCarryPrefixValueAndType) {
  Receiver daemon;
  {
    Statsd statsd({.address = daemon.address(), .prefix = "mq"});
    statsd.count("job.records_read", 42);
    statsd.timing("job.duration", 12.5);
    statsd.gauge("published.generation", 3);
  }  // the destructor flushes
  const auto packets = daemon.packets();
  ASSERT_EQ(packets.size(), 1u);
  EXPECT_EQ(packets[0], "mq.job.records_read:42|c\nmq.job.duration:12.500|ms\nmq.published.generation:3|g");
}

TEST(Statsd, PacketsStayUnderTheMtuAndLoseNoLine) {
  Receiver daemon;
  {
    Statsd statsd({.address = daemon.address()});
    for (int i = 0; i < 500; ++i) statsd.count("http.requests.v1_companies_id." + std::to_string(i));
  }
  std::size_t lines = 0;
  for (const std::string& packet : daemon.packets()) {
    EXPECT_LE(packet.size(), Statsd::kMaxPacket);
    lines += static_cast<std::size_t>(std::count(packet.begin(), packet.end(), '\n')) + 1;
  }
  EXPECT_EQ(lines, 500u);
}

TEST(Statsd, TagsAreDogStatsdSuffixes) {
  Receiver daemon;
  {
    Statsd statsd({.address = daemon.address(), .tags = "env:test,team:data"});
    statsd.count("x");
  }
  EXPECT_EQ(daemon.packets(), std::vector<std::string>{"marquee.x:1|c|#env:test,team:data"});
}

TEST(Statsd, TheFlusherSendsWithoutAnExplicitFlush) {
  Receiver daemon;
  Statsd statsd({.address = daemon.address(), .flush_interval = std::chrono::milliseconds(50)});
  statsd.count("quiet");
  EXPECT_EQ(daemon.packets(1000), std::vector<std::string>{"marquee.quiet:1|c"});
}

TEST(Statsd, NoDaemonIsNoError) {
  int port;
  {
    Receiver gone;  // bound, then closed: nothing listens there any more
    port = std::stoi(gone.address().substr(10));
  }
  Statsd statsd({.address = "127.0.0.1:" + std::to_string(port)});
  for (int i = 0; i < 100; ++i) statsd.count("lost");
  statsd.flush();
  statsd.flush();
  SUCCEED();
}

TEST(Statsd, BadAddressesAreRefusedAtStart) {
  EXPECT_THROW(Statsd({.address = "no-port"}), std::invalid_argument);
  EXPECT_THROW(Statsd({.address = "host.invalid.:8125"}), std::invalid_argument);
}

TEST(Statsd, DisabledWithoutAnAddress) {
  Statsd statsd({});
  statsd.count("nothing");
  statsd.flush();
  EXPECT_EQ(statsd.send_failures(), 0u);
}

TEST(MetricSegment, RoutePatternsBecomeNameSegments) {
  EXPECT_EQ(metric_segment("/v1/companies/{id}/years"), "v1_companies_id_years");
  EXPECT_EQ(metric_segment("/"), "root");
  EXPECT_EQ(metric_segment("unmatched"), "unmatched");
}

}  // namespace
}  // namespace marquee::obs

#include "obs/statsd.hpp"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace marquee::obs {
namespace {

// Connected UDP socket to HOST:PORT ("[v6]:port" too).
int open_socket(const std::string& address) {
  const std::size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon + 1 == address.size()) {
    throw std::invalid_argument(fmt::format("--statsd '{}': expected HOST:PORT", address));
  }
  std::string host = address.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const std::string port = address.substr(colon + 1);
  addrinfo hints{};
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* found = nullptr;
  if (const int rc = ::getaddrinfo(host.empty() ? "127.0.0.1" : host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    throw std::invalid_argument(fmt::format("--statsd '{}': {}", address, ::gai_strerror(rc)));
  }
  int fd = ::socket(found->ai_family, found->ai_socktype | SOCK_CLOEXEC, 0);
  // connect() on UDP only fixes the destination; nothing is sent.
  if (fd >= 0 && ::connect(fd, found->ai_addr, found->ai_addrlen) != 0) {
    ::close(fd);
    fd = -1;
  }
  ::freeaddrinfo(found);
  if (fd < 0) throw std::invalid_argument(fmt::format("--statsd '{}': cannot open a UDP socket", address));
  return fd;
}

}  // namespace

std::string metric_segment(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    if (keep) {
      out += c;
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out.empty() ? "root" : out;
}

Statsd::Statsd(StatsdOptions options) : options_(std::move(options)) {
  if (options_.address.empty()) return;
  // ':', '|', '@', '#' and line breaks are the protocol's own separators.
  const auto check = [](const std::string& text, std::string_view forbidden, std::string_view option) {
    if (text.find_first_of(forbidden) != std::string::npos || text.size() > 256) {
      throw std::invalid_argument(fmt::format("{} '{}': at most 256 bytes, none of {}", option, text, "':|@#' or line breaks"));
    }
  };
  check(options_.prefix, ":|@#\n\r", "--statsd-prefix");
  check(options_.tags, "|@#\n\r", "--statsd-tags");
  socket_ = open_socket(options_.address);
  flusher_ = std::thread([this] { run_flusher(); });
}

Statsd::~Statsd() {
  if (socket_ < 0) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  flusher_.join();
  flush();
  ::close(socket_);
}

void Statsd::run_flusher() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, options_.flush_interval);
    send_locked();
  }
}

void Statsd::count(std::string_view name, std::int64_t value) { add(name, std::to_string(value), "c"); }

void Statsd::timing(std::string_view name, double milliseconds) {
  add(name, fmt::format("{:.3f}", std::max(0.0, milliseconds)), "ms");
}

void Statsd::gauge(std::string_view name, double value) {
  // A negative gauge would read as a decrement ("-5" adjusts); none is sent.
  if (!std::isfinite(value) || value < 0) return;
  add(name, fmt::format("{}", value), "g");
}

void Statsd::add(std::string_view name, std::string_view value, std::string_view type) {
  if (socket_ < 0) return;
  std::string line = options_.prefix.empty() ? std::string(name) : options_.prefix + "." + std::string(name);
  line += ":";
  line += value;
  line += "|";
  line += type;
  if (!options_.tags.empty()) line += "|#" + options_.tags;
  std::lock_guard lock(mutex_);
  if (!pending_.empty() && pending_.size() + 1 + line.size() > kMaxPacket) send_locked();
  if (!pending_.empty()) pending_ += '\n';
  pending_ += line;
}

void Statsd::flush() {
  if (socket_ < 0) return;
  std::lock_guard lock(mutex_);
  send_locked();
}

void Statsd::send_locked() {
  if (pending_.empty()) return;
  if (::send(socket_, pending_.data(), pending_.size(), MSG_DONTWAIT | MSG_NOSIGNAL) < 0) ++send_failures_;
  pending_.clear();
}

std::uint64_t Statsd::send_failures() const {
  std::lock_guard lock(mutex_);
  return send_failures_;
}

}  // namespace marquee::obs

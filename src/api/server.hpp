#pragma once
// The HTTP/1.1 transport on Boost.Beast/Asio: a listener, one session per
// connection (keep-alive, pipelined requests answered in order), read, idle
// and write timeouts, header and body limits, and graceful shutdown on
// SIGTERM/SIGINT: stop accepting, let in-flight requests finish, close idle
// connections, return. Requests are handed to the Service; its blocking work
// runs on a separate worker pool so that network threads never wait on a
// database.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "api/service.hpp"

namespace marquee::api {

struct ServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;  // 0 = any free port (printed once listening)
  unsigned threads = 2;         // network threads
  unsigned workers = 4;         // blocking workers (database, Redis)
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 64 * 1024;
  std::size_t max_connections = 10'000;
  std::chrono::milliseconds read_timeout{10'000};  // one request, first byte to last
  std::chrono::milliseconds idle_timeout{60'000};  // keep-alive wait for the next request
  std::chrono::milliseconds write_timeout{10'000};
  std::chrono::milliseconds shutdown_grace{10'000};  // then remaining connections are cut
};

// "HOST:PORT", "[V6]:PORT" or ":PORT"; throws std::invalid_argument.
void parse_listen_address(const std::string& text, ServerOptions& options);

class Server {
 public:
  Server(ServerOptions options, Service& service);
  ~Server();

  // Binds and starts listening; throws std::runtime_error naming the address.
  void listen();
  std::uint16_t port() const;  // the bound port, after listen()
  // Serves until SIGTERM/SIGINT (or stop()), then drains; returns when done.
  void run();
  // Begins a graceful shutdown from any thread.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace marquee::api

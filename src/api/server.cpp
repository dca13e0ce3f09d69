#include "api/server.hpp"

#include "obs/log.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <ctime>
#include <cstdio>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <vector>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/http/rfc7230.hpp>
#include <fmt/format.h>

#include "api/query.hpp"

namespace marquee::api {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

class Session;

// What the sessions share: the service, the limits, the worker pool and the
// registry that shutdown walks.
struct Shared {
  Shared(const ServerOptions& o, Service& s, net::thread_pool& w) : options(o), service(s), workers(w) {}
  const ServerOptions& options;
  Service& service;
  net::thread_pool& workers;
  std::atomic<bool> draining{false};
  std::mutex mutex;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;

  std::size_t session_count() {
    std::lock_guard lock(mutex);
    return sessions.size();
  }
};

// The Date header (RFC 9110 6.6.1), formatted at most once a second per thread.
std::string_view http_date() {
  thread_local std::time_t last = 0;
  thread_local char text[40] = {};
  const std::time_t now = std::time(nullptr);
  if (now != last) {
    std::tm parts{};
    gmtime_r(&now, &parts);
    std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &parts);
    last = now;
  }
  return text;
}

Response transport_error(int status, std::string code, std::string message) {
  return error_response(ApiError{status, std::move(code), std::move(message), ""});
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, Shared& shared) : stream_(std::move(socket)), shared_(shared) {}

  ~Session() {
    std::lock_guard lock(shared_.mutex);
    shared_.sessions.erase(this);
  }

  void start() {
    {
      std::lock_guard lock(shared_.mutex);
      shared_.sessions.emplace(this, weak_from_this());
    }
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->wait_for_request(); });
  }

  // Posted by shutdown: a connection waiting for its next request is closed
  // now; one reading or answering a request finishes it first.
  void close_if_idle() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->state_ == State::idle) self->close();
    });
  }

 private:
  enum class State { idle, reading, handling, writing, lingering, closed };
  static constexpr std::size_t kScratchBytes = 4096;

  // Between requests the idle timeout applies; once the first byte of a
  // request is there, the (shorter) read timeout covers the whole request, so
  // a slow sender cannot hold a connection open byte by byte.
  void wait_for_request() {
    if (shared_.draining.load()) return close();
    if (buffer_.size() > 0) return read_request();  // a pipelined request is already here
    state_ = State::idle;
    stream_.expires_after(shared_.options.idle_timeout);
    stream_.async_read_some(buffer_.prepare(4096),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              if (ec) return self->close();
                              self->buffer_.commit(n);
                              self->read_request();
                            });
  }

  void read_request() {
    state_ = State::reading;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(shared_.options.max_header_bytes));
    parser_->body_limit(shared_.options.max_body_bytes);
    stream_.expires_after(shared_.options.read_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec == http::error::header_limit)
      return reply_and_close(transport_error(431, "headers_too_large", "request headers are too large"), 11);
    if (ec == http::error::body_limit)
      return reply_and_close(transport_error(413, "payload_too_large", "request body is too large"), 11);
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == net::error::operation_aborted ||
        ec == net::error::connection_reset || ec == net::error::eof)
      return close();
    if (ec) return reply_and_close(transport_error(400, "bad_request", "malformed HTTP request"), 11);
    if (auto refused = check_transfer_coding()) return reply_and_close(std::move(*refused), 11);
    handle(parser_->release());
  }

  // RFC 9112 6.3: a request whose final transfer coding is not chunked has
  // no knowable length: answer 400 and close, or the bytes after its headers
  // would be read as a second request (request smuggling behind a proxy).
  // Any other coding besides chunked is one this server does not implement.
  std::optional<Response> check_transfer_coding() const {
    const auto& header = parser_->get();
    auto [it, end] = header.equal_range(http::field::transfer_encoding);
    if (it == end) return std::nullopt;
    if (!parser_->chunked()) {
      return transport_error(400, "bad_request",
                             "Transfer-Encoding must end in chunked (RFC 9112 section 6.3); connection closed");
    }
    std::size_t codings = 0;
    for (; it != end; ++it) {
      for (const auto& coding : http::token_list(it->value())) {
        ++codings;
        if (!beast::iequals(coding, "chunked")) {
          return transport_error(501, "not_implemented",
                                 fmt::format("transfer coding '{}' is not implemented; connection closed",
                                             std::string(coding)));
        }
      }
    }
    if (codings != 1) return transport_error(400, "bad_request", "chunked applied more than once; connection closed");
    return std::nullopt;
  }

  void handle(http::request<http::string_body> message) {
    state_ = State::handling;
    Request request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    if (auto it = message.find(http::field::authorization); it != message.end())
      request.authorization = std::string(it->value());
    if (auto it = message.find(http::field::if_none_match); it != message.end())
      request.if_none_match = std::string(it->value());
    const bool keep_alive = message.keep_alive();
    const bool head = message.method() == http::verb::head;
    const unsigned version = message.version();

    Outcome outcome = shared_.service.handle(request);
    if (outcome.ready) return respond(std::move(*outcome.ready), version, keep_alive, head);

    // The blocking part runs on a worker; the work guard keeps the network
    // threads' io_context alive until the answer is posted back.
    auto guard = net::make_work_guard(stream_.get_executor());
    net::post(shared_.workers, [self = shared_from_this(), blocking = std::move(outcome.blocking),
                                guard = std::move(guard), version, keep_alive, head]() mutable {
      Response response = blocking();
      net::post(self->stream_.get_executor(),
                [self, response = std::move(response), version, keep_alive, head]() mutable {
                  self->respond(std::move(response), version, keep_alive, head);
                });
      guard.reset();
    });
  }

  void respond(Response response, unsigned version, bool keep_alive, bool head) {
    auto message = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(response.status), version);
    message->set(http::field::server, "marquee");
    message->set(http::field::date, http_date());
    for (auto& [name, value] : response.headers) message->set(name, value);
    const bool has_body = response.status != 304 && response.status != 204;
    if (has_body) {
      message->set(http::field::content_type, response.content_type);
      message->content_length(response.body.size());
      if (!head) message->body() = std::move(response.body);
    }
    message->keep_alive(keep_alive && !shared_.draining.load());
    write(std::move(message));
  }

  void reply_and_close(Response response, unsigned version) {
    state_ = State::handling;
    auto message = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(response.status), version);
    message->set(http::field::server, "marquee");
    message->set(http::field::date, http_date());
    message->set(http::field::content_type, response.content_type);
    message->body() = std::move(response.body);
    message->prepare_payload();
    message->keep_alive(false);
    write(std::move(message), true);
  }

  void write(std::shared_ptr<http::response<http::string_body>> message, bool linger = false) {
    state_ = State::writing;
    stream_.expires_after(shared_.options.write_timeout);
    const bool keep_alive = message->keep_alive();
    http::async_write(stream_, *message,
                      [self = shared_from_this(), message, keep_alive, linger](beast::error_code ec, std::size_t) {
                        if (ec) return self->close();
                        if (linger) return self->linger();
                        if (!keep_alive) return self->close();
                        self->wait_for_request();
                      });
  }

  // After an error answer to a request that was not read to its end (413,
  // 431, 400): closing at once would make the kernel reset the connection
  // over the unread bytes, and the client could lose the answer. So: stop
  // sending, read and discard for up to a second, then close.
  void linger() {
    state_ = State::lingering;
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(std::chrono::seconds(1));
    scratch_ = std::make_unique<char[]>(kScratchBytes);
    discard();
  }

  void discard() {
    stream_.async_read_some(net::buffer(scratch_.get(), kScratchBytes),
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec) return self->close();
                              self->discard();
                            });
  }

  void close() {
    if (state_ == State::closed) return;
    state_ = State::closed;
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  Shared& shared_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::unique_ptr<char[]> scratch_;
  State state_ = State::idle;
};

}  // namespace

void parse_listen_address(const std::string& text, ServerOptions& options) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string::npos) throw std::invalid_argument("--listen must be HOST:PORT, e.g. 127.0.0.1:8080");
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const auto port = parse_integer(std::string_view(text).substr(colon + 1));
  if (!port || *port < 0 || *port > 65535) throw std::invalid_argument("--listen: port must be 0 to 65535");
  beast::error_code ec;
  net::ip::make_address(host.empty() ? "0.0.0.0" : host, ec);
  if (ec) throw std::invalid_argument(fmt::format("--listen: '{}' is not an IP address", host));
  options.address = host.empty() ? "0.0.0.0" : host;
  options.port = static_cast<std::uint16_t>(*port);
}

struct Server::Impl {
  ServerOptions options;
  Service& service;
  net::io_context io;
  net::thread_pool workers;
  Shared shared;
  tcp::acceptor acceptor;
  net::signal_set signals;
  net::steady_timer drain_timer;
  net::steady_timer accept_timer;
  std::atomic<bool> warned_exhausted{false};
  std::chrono::steady_clock::time_point drain_deadline{};

  Impl(ServerOptions opts, Service& svc)
      : options(std::move(opts)),
        service(svc),
        io(static_cast<int>(options.threads)),
        workers(options.workers),
        shared(options, service, workers),
        acceptor(net::make_strand(io)),
        signals(io, SIGINT, SIGTERM),
        drain_timer(io),
        accept_timer(acceptor.get_executor()) {}

  // Each connection is a descriptor: raise the soft limit toward the hard one
  // so that --max-connections can take effect, and say so when it cannot.
  void raise_descriptor_limit() const {
    constexpr rlim_t kReserve = 64;  // database, Redis, files, the listener
    const rlim_t wanted = static_cast<rlim_t>(options.max_connections) + kReserve;
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= wanted) return;
    const rlim_t target = limit.rlim_max == RLIM_INFINITY ? wanted : std::min(wanted, limit.rlim_max);
    if (target > limit.rlim_cur) {
      limit.rlim_cur = target;
      if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) ::getrlimit(RLIMIT_NOFILE, &limit);
    }
    if (limit.rlim_cur < wanted) {
      obs::log("warning",
               fmt::format("the file descriptor limit is {} (hard limit {}), below --max-connections {} + {}: beyond "
                           "about {} connections, accepts pause until some close (raise the hard limit, e.g. "
                           "LimitNOFILE= or ulimit -Hn)",
                           limit.rlim_cur, limit.rlim_max, options.max_connections, kReserve,
                           limit.rlim_cur > kReserve ? limit.rlim_cur - kReserve : 0),
               {}, "serve");
    }
  }

  void listen() {
    raise_descriptor_limit();
    const tcp::endpoint endpoint(net::ip::make_address(options.address), options.port);
    beast::error_code ec;
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
    if (ec)
      throw std::runtime_error(fmt::format("cannot listen on {}:{}: {}", options.address, options.port, ec.message()));
  }

  // Out of descriptors (EMFILE, ENFILE) or memory, accept fails at once
  // and would fail again at once: pause instead of spinning, count it, and
  // retry; connections that close meanwhile free descriptors.
  static bool resource_exhausted(const beast::error_code& ec) {
    return ec == net::error::no_descriptors || ec == boost::system::errc::too_many_files_open_in_system ||
           ec == net::error::no_buffer_space || ec == net::error::no_memory;
  }

  void accept_later() {
    service.metrics().accept_backoff();
    if (!warned_exhausted.exchange(true)) {
      obs::log("warning",
               "out of file descriptors or memory while accepting; pausing accepts (counted in "
               "marquee_http_accept_backoffs_total)",
               {}, "serve");
    }
    accept_timer.expires_after(std::chrono::milliseconds(50));
    accept_timer.async_wait([this](beast::error_code ec) {
      if (!ec && acceptor.is_open()) accept();
    });
  }

  void accept() {
    acceptor.async_accept(net::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
      if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
      if (resource_exhausted(ec)) return accept_later();
      if (!ec) {
        if (shared.session_count() >= options.max_connections) {
          beast::error_code ignored;
          socket.close(ignored);
        } else {
          beast::error_code ignored;
          socket.set_option(tcp::no_delay(true), ignored);
          std::make_shared<Session>(std::move(socket), shared)->start();
        }
      }
      accept();
    });
  }

  void begin_shutdown() {
    if (shared.draining.exchange(true)) return;
    obs::log("info", "shutting down: no new connections; finishing requests in flight", {}, "serve");
    beast::error_code ignored;
    acceptor.close(ignored);
    accept_timer.cancel();
    signals.cancel(ignored);
    std::vector<std::shared_ptr<Session>> live;
    {
      std::lock_guard lock(shared.mutex);
      for (auto& [raw, weak] : shared.sessions)
        if (auto session = weak.lock()) live.push_back(std::move(session));
    }
    for (auto& session : live) session->close_if_idle();
    drain_deadline = std::chrono::steady_clock::now() + options.shutdown_grace;
    watch_drain();
  }

  // Re-checks every 20 ms until every connection is gone; past the grace
  // period the io_context is stopped and what is left is cut off.
  void watch_drain() {
    if (shared.session_count() == 0) return;
    if (std::chrono::steady_clock::now() >= drain_deadline) {
      obs::log("warning", fmt::format("grace period over; closing {} connection(s)", shared.session_count()), {}, "serve");
      io.stop();
      return;
    }
    drain_timer.expires_after(std::chrono::milliseconds(20));
    drain_timer.async_wait([this](beast::error_code ec) {
      if (!ec) watch_drain();
    });
  }
};

Server::Server(ServerOptions options, Service& service)
    : impl_(std::make_unique<Impl>(std::move(options), service)) {
  service.set_connection_counter([impl = impl_.get()] { return impl->shared.session_count(); });
}

Server::~Server() {
  impl_->service.set_connection_counter(nullptr);
  impl_->workers.join();
}

void Server::listen() { impl_->listen(); }

std::uint16_t Server::port() const { return impl_->acceptor.local_endpoint().port(); }

void Server::run() {
  Impl& impl = *impl_;
  impl.signals.async_wait([&impl](beast::error_code ec, int) {
    if (!ec) impl.begin_shutdown();
  });
  impl.accept();
  std::vector<std::thread> threads;
  const unsigned extra = impl.options.threads > 1 ? impl.options.threads - 1 : 0;
  for (unsigned i = 0; i < extra; ++i) threads.emplace_back([&impl] { impl.io.run(); });
  impl.io.run();
  for (auto& thread : threads) thread.join();
  // Workers may still hold answers for connections that were cut off.
  impl.workers.join();
}

void Server::stop() {
  net::post(impl_->io, [impl = impl_.get()] { impl->begin_shutdown(); });
}

}  // namespace marquee::api

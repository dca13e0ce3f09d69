#include "api/publish_channel.hpp"

#include <hiredis/hiredis.h>

#include <poll.h>

#include <cerrno>
#include <cstdio>
#include <memory>
#include <stdexcept>

#include <fmt/format.h>

#include "store/store.hpp"

namespace marquee::api {
namespace {

timeval to_timeval(std::chrono::milliseconds ms) {
  return timeval{static_cast<time_t>(ms.count() / 1000), static_cast<suseconds_t>((ms.count() % 1000) * 1000)};
}

struct ContextDeleter {
  void operator()(redisContext* c) const { redisFree(c); }
};
using Context = std::unique_ptr<redisContext, ContextDeleter>;
struct ReplyDeleter {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;

bool is_hex(std::string_view s) {
  if (s.empty() || s.size() > 8) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

Context connect(const RedisEndpoint& endpoint, std::chrono::milliseconds timeout) {
  Context context(redisConnectWithTimeout(endpoint.host.c_str(), endpoint.port, to_timeval(timeout)));
  if (!context || context->err)
    throw std::runtime_error(fmt::format("redis {}:{}: cannot connect ({})", endpoint.host, endpoint.port,
                                         context ? context->errstr : "out of memory"));
  redisSetTimeout(context.get(), to_timeval(timeout));
  if (!endpoint.password.empty()) {
    Reply reply(static_cast<redisReply*>(redisCommand(context.get(), "AUTH %s", endpoint.password.c_str())));
    if (!reply || reply->type == REDIS_REPLY_ERROR)
      throw std::runtime_error(fmt::format("redis {}:{}: AUTH failed", endpoint.host, endpoint.port));
  }
  return context;
}

}  // namespace

std::string format_announcement(const Announcement& a) { return a.run_id + " " + a.lsn; }

std::optional<Announcement> parse_announcement(std::string_view message) {
  const auto space = message.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  const std::string_view run = message.substr(0, space);
  const std::string_view lsn = message.substr(space + 1);
  const auto slash = lsn.find('/');
  if (!store::valid_run_id(run) || slash == std::string_view::npos || !is_hex(lsn.substr(0, slash)) ||
      !is_hex(lsn.substr(slash + 1)))
    return std::nullopt;
  return Announcement{std::string(run), std::string(lsn)};
}

long long publish_announcement(const RedisEndpoint& endpoint, const Announcement& a,
                               std::chrono::milliseconds timeout) {
  Context context = connect(endpoint, timeout);
  const std::string message = format_announcement(a);
  Reply reply(static_cast<redisReply*>(redisCommand(context.get(), "PUBLISH %b %b", kPublishChannel.data(),
                                                    kPublishChannel.size(), message.data(), message.size())));
  if (!reply || reply->type != REDIS_REPLY_INTEGER)
    throw std::runtime_error(fmt::format("redis {}:{}: PUBLISH failed ({})", endpoint.host, endpoint.port,
                                         reply && reply->type == REDIS_REPLY_ERROR ? reply->str : context->errstr));
  return reply->integer;
}

PublishSubscriber::PublishSubscriber(RedisEndpoint endpoint, std::function<void(const Announcement&)> on_message)
    : endpoint_(std::move(endpoint)), on_message_(std::move(on_message)) {}

PublishSubscriber::~PublishSubscriber() { stop(); }

void PublishSubscriber::start() {
  stopping_ = false;
  thread_ = std::thread([this] { loop(); });
}

void PublishSubscriber::stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

void PublishSubscriber::loop() {
  auto last_logged = std::chrono::steady_clock::time_point{};
  while (!stopping_) {
    if (!listen_once()) {
      const auto now = std::chrono::steady_clock::now();
      if (now - last_logged > std::chrono::seconds(30)) {
        last_logged = now;
        std::fprintf(stderr, "marquee serve: redis %s:%d: not subscribed to %s; polling the published run\n",
                     endpoint_.host.c_str(), endpoint_.port, kPublishChannel.data());
      }
    }
    // Reconnect after a second; checked in slices so that stop() is prompt.
    for (int i = 0; i < 10 && !stopping_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

bool PublishSubscriber::listen_once() {
  Context context;
  try {
    context = connect(endpoint_, std::chrono::milliseconds(500));
  } catch (const std::runtime_error&) {
    return false;
  }
  Reply subscribed(static_cast<redisReply*>(
      redisCommand(context.get(), "SUBSCRIBE %b", kPublishChannel.data(), kPublishChannel.size())));
  if (!subscribed || subscribed->type == REDIS_REPLY_ERROR) return false;
  // poll() in short slices so that stop() is noticed; hiredis's own read
  // timeout would leave the context unusable and lose messages meanwhile.
  redisSetTimeout(context.get(), timeval{0, 0});
  while (!stopping_) {
    void* raw = nullptr;
    if (redisGetReplyFromReader(context.get(), &raw) != REDIS_OK) return true;
    if (raw) {
      Reply reply(static_cast<redisReply*>(raw));
      if (reply->type == REDIS_REPLY_ARRAY && reply->elements == 3 &&
          reply->element[2]->type == REDIS_REPLY_STRING) {
        if (auto a = parse_announcement(std::string_view(reply->element[2]->str, reply->element[2]->len)))
          on_message_(*a);
      }
      continue;
    }
    pollfd fd{context->fd, POLLIN, 0};
    const int ready = ::poll(&fd, 1, 200);
    if (ready < 0 && errno != EINTR) return true;
    if (ready > 0 && redisBufferRead(context.get()) != REDIS_OK) return true;  // dropped: reconnect
  }
  return true;
}

}  // namespace marquee::api

#include "obs/events.hpp"

#include <fcntl.h>
#include <hiredis/hiredis.h>
#include <unistd.h>

#include <array>
#include <random>
#include <stdexcept>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "common/redis_url.hpp"
#include "marquee/version.hpp"
#include "obs/log.hpp"

namespace marquee::obs {
namespace bj = boost::json;
namespace {

std::string hostname() {
  std::array<char, 256> name{};
  if (::gethostname(name.data(), name.size() - 1) != 0) return "unknown";
  return name.data();
}

// 128 random bits as 32 hex digits: unique without coordination.
std::string new_event_id() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return fmt::format("{:016x}{:016x}", rng(), rng());
}

constexpr timeval kRedisTimeout{0, 500'000};

}  // namespace

// One connection for the job's few events; reconnected after a failure.
struct Events::Redis {
  RedisEndpoint endpoint;
  redisContext* context = nullptr;

  ~Redis() { drop(); }
  void drop() {
    if (context) redisFree(context);
    context = nullptr;
  }
  // Throws std::runtime_error with Redis's own message.
  redisReply* command(const std::vector<std::string>& args) {
    if (!context) connect();
    std::vector<const char*> argv;
    std::vector<std::size_t> lengths;
    for (const auto& a : args) {
      argv.push_back(a.data());
      lengths.push_back(a.size());
    }
    auto* reply = static_cast<redisReply*>(
        redisCommandArgv(context, static_cast<int>(argv.size()), argv.data(), lengths.data()));
    if (reply == nullptr) {
      const std::string why = context->errstr;
      drop();
      throw std::runtime_error(why);
    }
    if (reply->type == REDIS_REPLY_ERROR) {
      const std::string why(reply->str, reply->len);
      freeReplyObject(reply);
      throw std::runtime_error(why);
    }
    return reply;
  }
  void connect() {
    context = redisConnectWithTimeout(endpoint.host.c_str(), endpoint.port, kRedisTimeout);
    if (context == nullptr || context->err) {
      const std::string why = context ? context->errstr : "out of memory";
      drop();
      throw std::runtime_error(why);
    }
    redisSetTimeout(context, kRedisTimeout);
    // A refused AUTH or SELECT must not leave the connection behind: the next
    // event would go out unauthenticated, or into database 0.
    try {
      if (!endpoint.password.empty()) freeReplyObject(command({"AUTH", endpoint.password}));
      if (endpoint.database != 0) freeReplyObject(command({"SELECT", std::to_string(endpoint.database)}));
    } catch (...) {
      drop();
      throw;
    }
  }
};

Events::Events(EventOptions options) : options_(std::move(options)), host_(hostname()) {
  if (!options_.redis_url.empty()) {
    redis_ = std::make_unique<Redis>();
    try {
      redis_->endpoint = parse_redis_url(options_.redis_url);
    } catch (const std::invalid_argument& e) {
      // The URL may hold a password: never repeat it.
      throw std::invalid_argument(fmt::format("--events: {}", e.what()));
    }
  }
}

Events::~Events() = default;

void Events::emit(std::string_view type, std::string_view run_id, const bj::object& figures) {
  bj::object event;
  event["event_id"] = new_event_id();
  event["type"] = type;
  event["time"] = utc_now_ms();
  event["run_id"] = run_id;
  event["marquee_version"] = kVersion;
  event["host"] = host_;
  for (const auto& [key, value] : figures) event[key] = value;
  const std::string line = bj::serialize(event);
  append_to_file(line);
  add_to_stream(type, run_id, line);
  ++emitted_;
}

void Events::append_to_file(const std::string& line) {
  if (options_.file.empty()) return;
  // O_APPEND and one write: concurrent jobs' lines never interleave.
  const int fd = ::open(options_.file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  const std::string text = line + "\n";
  if (fd < 0 || ::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
    log("warning", fmt::format("could not append an event to {}", options_.file.string()));
  }
  if (fd >= 0) ::close(fd);
}

void Events::add_to_stream(std::string_view type, std::string_view run_id, const std::string& line) {
  if (!redis_) return;
  try {
    freeReplyObject(redis_->command({"XADD", options_.stream, "MAXLEN", "~", std::to_string(options_.maxlen), "*",
                                     "type", std::string(type), "run_id", std::string(run_id), "event", line}));
  } catch (const std::exception& e) {
    ++redis_failures_;
    log("warning", fmt::format("event {} not added to the Redis stream {} at {}:{} ({}); it is in events.jsonl",
                               type, options_.stream, redis_->endpoint.host, redis_->endpoint.port, e.what()),
        {{"event", std::string(type)}, {"redis_error", e.what()}});
  }
}

}  // namespace marquee::obs

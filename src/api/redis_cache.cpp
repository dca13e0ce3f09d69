#include "api/redis_cache.hpp"

#include <hiredis/hiredis.h>

#include <charconv>
#include <cstdio>
#include <stdexcept>

#include <fmt/format.h>

namespace marquee::api {
namespace {

timeval to_timeval(std::chrono::milliseconds ms) {
  return timeval{static_cast<time_t>(ms.count() / 1000), static_cast<suseconds_t>((ms.count() % 1000) * 1000)};
}

int parse_number(std::string_view text, std::string_view what) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0)
    throw std::invalid_argument(fmt::format("redis URL: invalid {} '{}'", what, text));
  return value;
}

struct ReplyDeleter {
  void operator()(redisReply* reply) const { freeReplyObject(reply); }
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;

}  // namespace

RedisEndpoint parse_redis_url(std::string_view url) {
  constexpr std::string_view kScheme = "redis://";
  if (url.substr(0, kScheme.size()) != kScheme)
    throw std::invalid_argument("redis URL must look like redis://host:port");
  std::string_view rest = url.substr(kScheme.size());
  RedisEndpoint endpoint;
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
    std::string_view credentials = rest.substr(0, at);
    if (const auto colon = credentials.find(':'); colon != std::string_view::npos)
      credentials = credentials.substr(colon + 1);
    endpoint.password = std::string(credentials);
    rest = rest.substr(at + 1);
  }
  if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
    if (slash + 1 < rest.size()) endpoint.database = parse_number(rest.substr(slash + 1), "database");
    rest = rest.substr(0, slash);
  }
  if (const auto colon = rest.rfind(':'); colon != std::string_view::npos) {
    endpoint.port = parse_number(rest.substr(colon + 1), "port");
    rest = rest.substr(0, colon);
  }
  if (rest.empty()) throw std::invalid_argument("redis URL has no host");
  endpoint.host = std::string(rest);
  return endpoint;
}

void RedisCache::ContextDeleter::operator()(redisContext* context) const { redisFree(context); }

RedisCache::RedisCache(RedisEndpoint endpoint, RedisOptions options, Metrics& metrics)
    : endpoint_(std::move(endpoint)), options_(options), metrics_(metrics) {}

RedisCache::~RedisCache() = default;

RedisCache::Context RedisCache::borrow() {
  {
    std::lock_guard lock(mutex_);
    if (std::chrono::steady_clock::now() < retry_at_) {
      metrics_.redis_skipped();
      return nullptr;
    }
    if (!idle_.empty()) {
      Context context = std::move(idle_.back());
      idle_.pop_back();
      return context;
    }
  }
  Context context(redisConnectWithTimeout(endpoint_.host.c_str(), endpoint_.port, to_timeval(options_.timeout)));
  if (!context || context->err) {
    failed(std::move(context), "connect");
    return nullptr;
  }
  redisSetTimeout(context.get(), to_timeval(options_.timeout));
  if (!endpoint_.password.empty()) {
    Reply reply(static_cast<redisReply*>(redisCommand(context.get(), "AUTH %s", endpoint_.password.c_str())));
    if (!reply || reply->type == REDIS_REPLY_ERROR) {
      failed(std::move(context), "AUTH");
      return nullptr;
    }
  }
  if (endpoint_.database != 0) {
    Reply reply(static_cast<redisReply*>(redisCommand(context.get(), "SELECT %d", endpoint_.database)));
    if (!reply || reply->type == REDIS_REPLY_ERROR) {
      failed(std::move(context), "SELECT");
      return nullptr;
    }
  }
  return context;
}

void RedisCache::give_back(Context context) {
  std::lock_guard lock(mutex_);
  if (idle_.size() < options_.max_idle_connections) idle_.push_back(std::move(context));
}

void RedisCache::failed(Context context, std::string_view what) {
  metrics_.redis_error();
  const std::string reason = context && context->errstr[0] ? context->errstr : "no reply";
  std::lock_guard lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  retry_at_ = now + options_.back_off;
  // Pooled connections to a Redis that failed are likely dead too.
  idle_.clear();
  if (now - last_logged_ > std::chrono::seconds(10)) {
    last_logged_ = now;
    std::fprintf(stderr, "marquee serve: redis %s:%d %.*s failed (%s); serving without it\n",
                 endpoint_.host.c_str(), endpoint_.port, static_cast<int>(what.size()), what.data(),
                 reason.c_str());
  }
}

std::optional<std::string> RedisCache::get(const std::string& key) {
  Context context = borrow();
  if (!context) return std::nullopt;
  Reply reply(static_cast<redisReply*>(redisCommand(context.get(), "GET %b", key.data(), key.size())));
  if (!reply || reply->type == REDIS_REPLY_ERROR) {
    failed(std::move(context), "GET");
    return std::nullopt;
  }
  std::optional<std::string> value;
  if (reply->type == REDIS_REPLY_STRING) value.emplace(reply->str, reply->len);
  give_back(std::move(context));
  return value;
}

void RedisCache::put(const std::string& key, std::string_view value) {
  Context context = borrow();
  if (!context) return;
  const std::string ttl = std::to_string(options_.ttl.count());
  Reply reply(static_cast<redisReply*>(redisCommand(context.get(), "SET %b %b EX %s", key.data(), key.size(),
                                                    value.data(), value.size(), ttl.c_str())));
  if (!reply || reply->type == REDIS_REPLY_ERROR) {
    failed(std::move(context), "SET");
    return;
  }
  give_back(std::move(context));
}

}  // namespace marquee::api

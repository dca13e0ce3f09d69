#include "api/redis_cache.hpp"

#include "obs/log.hpp"

#include <hiredis/hiredis.h>

#include <cstdio>
#include <stdexcept>

#include <fmt/format.h>

namespace marquee::api {
namespace {

timeval to_timeval(std::chrono::milliseconds ms) {
  return timeval{static_cast<time_t>(ms.count() / 1000), static_cast<suseconds_t>((ms.count() % 1000) * 1000)};
}

struct ReplyDeleter {
  void operator()(redisReply* reply) const { freeReplyObject(reply); }
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;

}  // namespace

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
    obs::log("warning",
             fmt::format("redis {}:{} {} failed ({}); serving without it", endpoint_.host, endpoint_.port, what, reason),
             {}, "serve");
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

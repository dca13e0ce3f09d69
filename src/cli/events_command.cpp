// `marquee events [--follow]`: the lifecycle events of the jobs
// (docs/OBSERVABILITY.md), from DATA_DIR/events.jsonl, or from the Redis
// stream when --events is given.
#include <hiredis/hiredis.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <thread>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "common/error.hpp"
#include "common/redis_url.hpp"

namespace marquee::cli {
namespace {

struct EventsArgs {
  std::string data_dir = "data";
  std::string events;
  bool follow = false;
};

// Prints the file's lines; with follow, waits for more until interrupted.
int print_file(const EventsArgs& a) {
  const std::string path = a.data_dir + "/events.jsonl";
  std::ifstream in(path);
  if (!in && !a.follow) throw InputError(fmt::format("{}: no events yet (no such file)", path));
  std::string line;
  for (;;) {
    while (in && std::getline(in, line)) std::cout << line << "\n" << std::flush;
    if (!a.follow) return 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    if (!in.is_open()) {
      in.open(path);
    } else {
      in.clear();  // past EOF: read what was appended since
    }
  }
}

struct ContextDeleter {
  void operator()(redisContext* c) const { redisFree(c); }
};
struct ReplyDeleter {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;

// XRANGE the stream (then XREAD BLOCK with follow); prints each event field.
int print_stream(const EventsArgs& a) {
  RedisEndpoint endpoint;
  try {
    endpoint = parse_redis_url(a.events);
  } catch (const std::invalid_argument& e) {
    throw InputError(fmt::format("--events '{}': {}", a.events, e.what()));
  }
  std::unique_ptr<redisContext, ContextDeleter> c(redisConnectWithTimeout(endpoint.host.c_str(), endpoint.port, {2, 0}));
  if (!c || c->err) throw InputError(fmt::format("--events {}: {}", a.events, c ? c->errstr : "out of memory"));
  if (endpoint.database) Reply(static_cast<redisReply*>(redisCommand(c.get(), "SELECT %d", endpoint.database)));
  std::string last = "-";
  const auto print = [&](redisReply* entries) {
    for (std::size_t i = 0; entries && i < entries->elements; ++i) {
      const redisReply* entry = entries->element[i];
      last = std::string(entry->element[0]->str, entry->element[0]->len);
      const redisReply* fields = entry->element[1];
      for (std::size_t f = 0; f + 1 < fields->elements; f += 2) {
        if (std::string_view(fields->element[f]->str, fields->element[f]->len) == "event") {
          std::cout << std::string_view(fields->element[f + 1]->str, fields->element[f + 1]->len) << "\n";
        }
      }
    }
    std::cout << std::flush;
  };
  Reply range(static_cast<redisReply*>(redisCommand(c.get(), "XRANGE marquee:events - +")));
  if (!range || range->type == REDIS_REPLY_ERROR) {
    throw InputError(fmt::format("--events {}: {}", a.events, range ? range->str : c->errstr));
  }
  print(range.get());
  if (last == "-") last = "0";
  while (a.follow) {
    Reply read(static_cast<redisReply*>(
        redisCommand(c.get(), "XREAD BLOCK 1000 STREAMS marquee:events %s", last.c_str())));
    if (!read) throw InputError(fmt::format("--events {}: {}", a.events, c->errstr));
    if (read->type == REDIS_REPLY_ARRAY && read->elements > 0) print(read->element[0]->element[1]);
  }
  return 0;
}

}  // namespace

void add_events_command(CLI::App& app, Commands& commands) {
  auto args = std::make_shared<EventsArgs>();
  auto* cmd = app.add_subcommand("events", "Print the jobs' lifecycle events (JSON lines)");
  cmd->add_option("--data-dir", args->data_dir, "Data directory holding events.jsonl")->capture_default_str();
  environment_option(
      cmd, cmd->add_option("--events", args->events, "Read the Redis stream at redis://HOST:PORT[/DB] instead of the file"),
      "MARQUEE_EVENTS");
  cmd->add_flag("--follow,-f", args->follow, "Keep printing new events as they come");
  commands.add(cmd, [args] { return args->events.empty() ? print_file(*args) : print_stream(*args); });
}

}  // namespace marquee::cli

#pragma once
// redis://[:password@]host[:port][/db], shared by the API's cache and the
// event stream. Parsing only: no connection, no hiredis.
#include <string>
#include <string_view>

namespace marquee {

struct RedisEndpoint {
  std::string host = "127.0.0.1";
  int port = 6379;
  int database = 0;
  std::string password;
};

// Throws std::invalid_argument naming what is wrong.
RedisEndpoint parse_redis_url(std::string_view url);

}  // namespace marquee

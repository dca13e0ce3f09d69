#include "cli/publish_announce.hpp"

#include <cstdlib>
#include <iostream>

#include <fmt/format.h>

#include "api/publish_channel.hpp"
#include "api/publish_watcher.hpp"
#include "store/connection.hpp"

namespace marquee::cli {

std::string announce_redis_url(const std::string& option) {
  if (!option.empty()) return option;
  const char* env = std::getenv("MARQUEE_PUBLISH_REDIS");
  return env ? std::string(env) : std::string();
}

void announce_publish(const std::string& redis_url, const std::string& db_url, const std::string& run_id) {
  if (redis_url.empty()) return;
  if (!api::is_postgres_url(db_url)) {
    std::cerr << "marquee: --redis announces publishes to replicas on PostgreSQL standbys; ignored for SQLite\n";
    return;
  }
  try {
    const auto endpoint = api::parse_redis_url(redis_url);
    // Read after the publish committed, so the insert position is at or past
    // its commit record whatever synchronous_commit says.
    const auto db = store::connect(db_url);
    const store::Result r = db->query("SELECT pg_current_wal_insert_lsn()::text");
    if (r.rows.empty() || !r.rows[0][0]) throw std::runtime_error("no WAL position from the primary");
    const long long heard = api::publish_announcement(endpoint, {run_id, *r.rows[0][0]});
    std::cout << fmt::format("announced run {} at LSN {} to {} replica(s)", run_id, *r.rows[0][0], heard)
              << std::endl;
  } catch (const std::exception& e) {
    std::cerr << fmt::format("marquee: WARNING: the publish of {} is committed, but announcing it on Redis failed "
                             "({}); replicas will see it by polling",
                             run_id, e.what())
              << std::endl;
  }
}

}  // namespace marquee::cli

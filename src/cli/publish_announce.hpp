#pragma once
// After a publish on PostgreSQL, tell replicas on hot standbys about it over
// Redis: "<run id> <primary WAL insert LSN>" on marquee:publish
// (api/publish_channel.hpp, docs/SCALE.md). The Redis URL comes from --redis
// or MARQUEE_PUBLISH_REDIS. Best effort by design: the publish has already
// committed, and replicas poll the published row anyway, so a failure here is
// a warning on stderr, never a failed job.
#include <string>

namespace marquee::cli {

// Empty when neither --redis nor MARQUEE_PUBLISH_REDIS is set.
std::string announce_redis_url(const std::string& option);

void announce_publish(const std::string& redis_url, const std::string& db_url, const std::string& run_id);

}  // namespace marquee::cli

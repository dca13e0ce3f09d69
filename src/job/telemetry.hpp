#pragma once
// What a job tells the outside world as it goes: StatsD metrics and lifecycle
// events (docs/OBSERVABILITY.md lists every name). The job calls these at its
// steps; the figures come from the same manifest and results the job writes,
// so what StatsD and the event bus receive equals the manifest. Either sink
// may be absent; neither can fail or slow the job (obs/statsd.hpp,
// obs/events.hpp).
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "job/manifest.hpp"
#include "obs/events.hpp"
#include "obs/statsd.hpp"

namespace marquee::job {

class JobTelemetry {
 public:
  // `command`: "etl", "run", "load", "publish", "archive".
  JobTelemetry(std::string command, obs::Statsd* statsd, obs::Events* events);

  void started(const std::string& run_id, const std::string& input);
  void transformed(const std::string& run_id, const Manifest& manifest);
  void loaded(const std::string& run_id, const std::map<std::string, std::uint64_t>& rows, double ms);
  void published(const std::string& run_id, const std::optional<std::string>& previous, std::int64_t generation,
                 std::uint64_t movies, double ms);
  void retired(const std::vector<std::string>& run_ids);
  void archived(const std::string& run_id, const std::string& location, std::uint64_t files, std::uint64_t bytes);
  // Ends the job: success/failure counters and the total duration; `failed`
  // with the reason when it failed.
  void finished(const std::string& run_id, bool succeeded, const std::string& reason = {});

 private:
  std::string metric(std::string_view name) const;
  void emit(std::string_view type, const std::string& run_id, const boost::json::object& figures);

  std::string command_;
  obs::Statsd* statsd_;
  obs::Events* events_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace marquee::job

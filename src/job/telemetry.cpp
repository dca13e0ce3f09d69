#include "job/telemetry.hpp"

#include <fmt/format.h>

namespace marquee::job {
namespace bj = boost::json;

JobTelemetry::JobTelemetry(std::string command, obs::Statsd* statsd, obs::Events* events)
    : command_(std::move(command)), statsd_(statsd), events_(events) {}

std::string JobTelemetry::metric(std::string_view name) const { return fmt::format("job.{}.{}", command_, name); }

void JobTelemetry::emit(std::string_view type, const std::string& run_id, const bj::object& figures) {
  if (events_) events_->emit(type, run_id, figures);
}

void JobTelemetry::started(const std::string& run_id, const std::string& input) {
  emit("job_started", run_id, {{"command", command_}, {"input", input}});
}

void JobTelemetry::transformed(const std::string& run_id, const Manifest& m) {
  const Counts& c = m.counts;
  if (statsd_) {
    statsd_->count(metric("records_read"), static_cast<std::int64_t>(c.records_read));
    statsd_->count(metric("movies_kept"), static_cast<std::int64_t>(c.movies_kept));
    statsd_->count(metric("rejected"), static_cast<std::int64_t>(c.rejected));
    statsd_->count(metric("repaired"), static_cast<std::int64_t>(c.repaired));
    statsd_->count(metric("duplicates"), static_cast<std::int64_t>(c.duplicates));
    statsd_->count(metric("warnings"), static_cast<std::int64_t>(c.warnings));
    for (const auto& [key, n] : m.diagnostics) {  // "error/invalid_budget"
      const auto slash = key.find('/');
      statsd_->count(metric(fmt::format("diagnostics.{}.{}", key.substr(0, slash), key.substr(slash + 1))),
                     static_cast<std::int64_t>(n));
    }
    for (const TableEntry& t : m.tables) statsd_->gauge(metric("table_rows." + t.name), static_cast<double>(t.rows));
    for (const auto& [stage, ms] : m.timings_ms) {
      if (stage != "total") statsd_->timing(metric("stage." + stage), ms);
    }
  }
  emit("transformed", run_id,
       {{"command", command_},
        {"succeeded", m.succeeded},
        {"counts", {{"records_read", c.records_read}, {"movies_kept", c.movies_kept}, {"rejected", c.rejected},
                    {"repaired", c.repaired}, {"duplicates", c.duplicates}, {"warnings", c.warnings}}}});
}

void JobTelemetry::loaded(const std::string& run_id, const std::map<std::string, std::uint64_t>& rows, double ms) {
  std::uint64_t total = 0;
  bj::object tables;
  for (const auto& [name, n] : rows) {
    tables[name] = n;
    total += n;
  }
  if (statsd_) {
    statsd_->timing(metric("stage.load"), ms);
    statsd_->count(metric("rows_loaded"), static_cast<std::int64_t>(total));
  }
  emit("loaded", run_id, {{"command", command_}, {"rows", total}, {"tables", tables}, {"load_ms", ms}});
}

void JobTelemetry::published(const std::string& run_id, const std::optional<std::string>& previous,
                             std::int64_t generation, std::uint64_t movies, double ms) {
  if (statsd_) {
    statsd_->timing(metric("stage.publish"), ms);
    statsd_->gauge("published.generation", static_cast<double>(generation));
    statsd_->gauge("published.movies", static_cast<double>(movies));
  }
  bj::object figures{{"command", command_}, {"generation", generation}, {"movies", movies}};
  figures["previous_run_id"] = previous ? bj::value(*previous) : bj::value(nullptr);
  emit("published", run_id, figures);
}

void JobTelemetry::retired(const std::vector<std::string>& run_ids) {
  for (const std::string& id : run_ids) emit("retired", id, {{"command", command_}});
  if (statsd_ && !run_ids.empty()) statsd_->count(metric("retired"), static_cast<std::int64_t>(run_ids.size()));
}

void JobTelemetry::archived(const std::string& run_id, const std::string& location, std::uint64_t files,
                            std::uint64_t bytes) {
  emit("archived", run_id, {{"command", command_}, {"location", location}, {"files", files}, {"bytes", bytes}});
}

void JobTelemetry::finished(const std::string& run_id, bool succeeded, const std::string& reason) {
  const double total_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_).count();
  if (statsd_) {
    statsd_->count(metric(succeeded ? "succeeded" : "failed"));
    statsd_->timing(metric("duration"), total_ms);
    if (events_ && events_->redis_failures() > 0) {
      statsd_->count(metric("events_redis_failures"), static_cast<std::int64_t>(events_->redis_failures()));
    }
  }
  if (!succeeded) emit("failed", run_id, {{"command", command_}, {"reason", reason}, {"duration_ms", total_ms}});
  if (statsd_) statsd_->flush();
}

}  // namespace marquee::job

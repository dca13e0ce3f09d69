#include "cli/obs_options.hpp"

#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "cli/environment.hpp"
#include "common/error.hpp"
#include "obs/log.hpp"

namespace marquee::cli {

ObsArgs& obs_args() {
  static ObsArgs args;
  return args;
}

void add_obs_options(CLI::App& app) {
  ObsArgs& a = obs_args();
  static const std::set<std::string> kJobs = {"etl", "run", "load", "publish", "archive"};
  for (CLI::App* cmd : app.get_subcommands([](CLI::App*) { return true; })) {
    const std::string name = cmd->get_name();
    cmd->add_option("--log-format", a.log_format, "Log lines on stderr: text, or json (one object per line)")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    if (!kJobs.contains(name) && name != "serve") continue;
    environment_option(
        cmd, cmd->add_option("--statsd", a.statsd, "Send StatsD metrics to HOST:PORT over UDP (fire and forget)"),
        "MARQUEE_STATSD");
    cmd->add_option("--statsd-prefix", a.statsd_prefix, "Prefix of every StatsD name")->capture_default_str();
    cmd->add_option("--statsd-tags", a.statsd_tags, "DogStatsD tags for every metric: k:v,k2:v2");
    if (!kJobs.contains(name)) continue;
    environment_option(cmd,
                       cmd->add_option("--events", a.events,
                                       "Also add lifecycle events to the Redis stream marquee:events at "
                                       "redis://HOST:PORT[/DB]"),
                       "MARQUEE_EVENTS");
    cmd->add_option("--events-maxlen", a.events_maxlen, "Approximate cap of the Redis stream (XADD MAXLEN ~)")
        ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 40))
        ->capture_default_str();
  }
}

void apply_log_format() {
  try {
    obs::set_log_format(obs::parse_log_format(obs_args().log_format));
  } catch (const std::invalid_argument& e) {
    throw InputError(e.what());
  }
}

std::unique_ptr<obs::Statsd> make_statsd() {
  const ObsArgs& a = obs_args();
  if (a.statsd.empty()) return nullptr;
  try {
    return std::make_unique<obs::Statsd>(
        obs::StatsdOptions{.address = a.statsd, .prefix = a.statsd_prefix, .tags = a.statsd_tags});
  } catch (const std::invalid_argument& e) {
    throw InputError(name_value_source(e.what(), "--statsd"));
  }
}

Observability make_observability(const std::string& command, const std::filesystem::path& events_file) {
  const ObsArgs& a = obs_args();
  Observability o;
  o.statsd = make_statsd();
  try {
    std::filesystem::create_directories(events_file.parent_path());
    o.events = std::make_unique<obs::Events>(
        obs::EventOptions{.file = events_file, .redis_url = a.events, .maxlen = a.events_maxlen});
  } catch (const std::invalid_argument& e) {
    throw InputError(name_value_source(e.what(), "--events"));
  }
  o.telemetry = std::make_unique<job::JobTelemetry>(command, o.statsd.get(), o.events.get());
  return o;
}

}  // namespace marquee::cli

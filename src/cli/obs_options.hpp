#pragma once
// The observability options the commands share (docs/OBSERVABILITY.md):
// --log-format on every command; --statsd, --statsd-prefix, --statsd-tags on
// the jobs and serve; --events, --events-maxlen on the jobs. One set of values
// per process, since one subcommand runs.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "job/telemetry.hpp"
#include "obs/events.hpp"
#include "obs/statsd.hpp"

namespace marquee::cli {

struct ObsArgs {
  std::string log_format = "text";
  std::string statsd;  // HOST:PORT
  std::string statsd_prefix = "marquee";
  std::string statsd_tags;
  std::string events;  // redis://HOST:PORT[/DB]
  std::uint64_t events_maxlen = 100000;
};

ObsArgs& obs_args();

// Adds the options to every subcommand of `app` (call after all are added).
void add_obs_options(CLI::App& app);
// Applies --log-format; throws InputError for a bad value.
void apply_log_format();

// The sinks of one job, built from the options. Throws InputError for a bad
// --statsd or --events value.
struct Observability {
  std::unique_ptr<obs::Statsd> statsd;
  std::unique_ptr<obs::Events> events;
  std::unique_ptr<job::JobTelemetry> telemetry;
};
Observability make_observability(const std::string& command, const std::filesystem::path& events_file);
std::unique_ptr<obs::Statsd> make_statsd();

}  // namespace marquee::cli

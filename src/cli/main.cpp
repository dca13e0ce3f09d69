// marquee: the thin command line over the pipeline stages. Subcommands
// register themselves (commands.hpp); main() dispatches and maps errors to
// exit codes: 0 success, 1 the job ran and failed its checks, 2 bad usage or
// unusable input.
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/environment.hpp"
#include "cli/obs_options.hpp"
#include "obs/log.hpp"
#include "common/error.hpp"
#include "marquee/version.hpp"

int main(int argc, char** argv) {
  CLI::App app{"marquee: The Movies Dataset to a trustworthy model, rollups and API"};
  app.set_version_flag("--version", std::string(marquee::kVersion));
  app.require_subcommand(1);
  marquee::cli::Commands commands;
  marquee::cli::add_etl_commands(app, commands);
  marquee::cli::add_storage_commands(app, commands);
  marquee::cli::add_api_commands(app, commands);
  marquee::cli::add_s3_commands(app, commands);
  marquee::cli::add_events_command(app, commands);
  marquee::cli::add_diff_command(app, commands);
  marquee::cli::add_obs_options(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  try {
    marquee::cli::apply_log_format();
    marquee::cli::apply_environment_options();
    for (const auto& [subcommand, run] : commands.list()) {
      if (subcommand->parsed()) return run();
    }
  } catch (const marquee::Error& e) {
    marquee::obs::log("error", e.what(), {{"exit_code", std::to_string(e.exit_code())}});
    return e.exit_code();
  } catch (const std::exception& e) {
    marquee::obs::log("error", std::string("error: ") + e.what(), {{"exit_code", "1"}});
    return 1;
  }
  return 2;
}

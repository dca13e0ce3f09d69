// `marquee diff RUN_A RUN_B`: what changed between two runs (docs/DIFF.md),
// read from their Parquet files, so it works before loading.
#include <filesystem>
#include <iostream>
#include <memory>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "common/error.hpp"
#include "diff/run_diff.hpp"
#include "store/store.hpp"

namespace marquee::cli {
namespace {
namespace fs = std::filesystem;

struct DiffArgs {
  std::string run_a, run_b;
  std::string data_dir = "data";
  std::string format = "text";
  std::size_t top = 10;
};

// A run id in DATA_DIR/runs/, or a run directory's path.
fs::path run_directory(const DiffArgs& a, const std::string& run) {
  const fs::path in_data_dir = fs::path(a.data_dir) / "runs" / run;
  if (store::valid_run_id(run) && fs::is_directory(in_data_dir)) return in_data_dir;
  if (fs::is_directory(run)) return run;
  throw InputError(fmt::format("{}: neither a run in {} nor a run directory", run, (fs::path(a.data_dir) / "runs").string()));
}

int run_diff(const DiffArgs& a) {
  const diff::RunDiff d =
      diff::diff_runs(run_directory(a, a.run_a), run_directory(a, a.run_b), diff::DiffOptions{.top = a.top});
  if (a.format == "json") {
    std::cout << boost::json::serialize(diff::to_json(d)) << "\n";
  } else {
    std::cout << diff::to_text(d);
  }
  return 0;
}

}  // namespace

void add_diff_command(CLI::App& app, Commands& commands) {
  auto args = std::make_shared<DiffArgs>();
  auto* cmd = app.add_subcommand("diff", "What changed between two runs (movies, companies, genres, rollups)");
  cmd->add_option("run_a", args->run_a, "The older run: a run id in DATA_DIR/runs, or a run directory")->required();
  cmd->add_option("run_b", args->run_b, "The newer run")->required();
  cmd->add_option("--data-dir", args->data_dir, "Data directory holding runs/")->capture_default_str();
  cmd->add_option("--format", args->format, "text or json")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
  cmd->add_option("--top", args->top, "Rollup rows per measure")->check(CLI::Range(std::size_t{1}, std::size_t{10000}))->capture_default_str();
  commands.add(cmd, [args] { return run_diff(*args); });
}

}  // namespace marquee::cli

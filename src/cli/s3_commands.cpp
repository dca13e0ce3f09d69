// `marquee archive RUN_ID --to s3://BUCKET/PREFIX`, and the S3 ends of
// `marquee run --archive` and `marquee load s3://...` (docs/S3.md).
#include <unistd.h>

#include <iostream>
#include <memory>
#include <random>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "common/error.hpp"
#include "job/archive.hpp"
#include "job/run_dir.hpp"
#include "store/store.hpp"

namespace marquee::cli {
namespace fs = std::filesystem;

namespace {

void log_line(const std::string& line) { std::cout << line << std::endl; }

struct ArchiveArgs {
  std::string run_id;
  std::string to;
  std::string data_dir = "data";
};

int run_archive(const ArchiveArgs& args) {
  if (!store::valid_run_id(args.run_id)) throw InputError(fmt::format("'{}' is not a run id", args.run_id));
  if (args.to.empty()) throw InputError("--to s3://BUCKET/PREFIX is required (or MARQUEE_ARCHIVE)");
  const fs::path dir = job::DataDir{args.data_dir}.run(args.run_id);
  if (!fs::is_directory(dir)) {
    throw InputError(fmt::format("no run directory {} (retention removes old runs; archive before it does)", dir.string()));
  }
  job::archive_run_dir(dir, args.to, log_line);
  return 0;
}

}  // namespace

int archive_after_run(const std::string& run_id, const fs::path& run_dir, const std::string& to) {
  try {
    job::archive_run_dir(run_dir, to, log_line);
    return 0;
  } catch (const Error& e) {
    std::cerr << fmt::format(
        "marquee run: run {} is published, but its archive is incomplete: {}\n"
        "marquee run: finish it with: marquee archive {} --to {}\n",
        run_id, e.what(), run_id, to);
    return e.exit_code();
  }
}

job::LoadResult load_from_s3(const std::string& url, const job::StorageOptions& storage, bool publish) {
  // The download goes to a private directory under DATA_DIR (same file
  // system as runs/), named after the run as `load` requires; removed after.
  std::random_device rd;
  const fs::path scratch = storage.data_dir / fmt::format(".restore-{:08x}", rd());
  fs::create_directories(scratch);
  struct Cleanup {
    fs::path dir;
    ~Cleanup() {
      std::error_code ignored;
      fs::remove_all(dir, ignored);
    }
  } cleanup{scratch};
  job::LoadOptions options;
  options.run_dir = job::download_archived_run(url, scratch, storage.log);
  options.storage = storage;
  options.publish = publish;
  const job::LoadResult result = job::load_run_dir(options);
  std::cout << fmt::format("restored run {} from {}\n", result.run_id, url);
  return result;
}

void add_s3_commands(CLI::App& app, Commands& commands) {
  auto args = std::make_shared<ArchiveArgs>();
  auto* cmd = app.add_subcommand("archive", "Upload a run directory to S3 (also finishes a failed archive)");
  cmd->add_option("run_id", args->run_id, "A run in DATA_DIR/runs/")->required();
  environment_option(cmd, cmd->add_option("--to", args->to, "s3://BUCKET/PREFIX: the run goes to PREFIX/RUN_ID/"),
                     "MARQUEE_ARCHIVE");
  cmd->add_option("--data-dir", args->data_dir, "Data directory")->capture_default_str();
  commands.add(cmd, [args] { return run_archive(*args); });
}

}  // namespace marquee::cli

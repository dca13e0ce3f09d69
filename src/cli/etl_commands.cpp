// `marquee etl` and `marquee generate`.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <algorithm>
#include <memory>
#include <thread>

#include <fmt/format.h>

#include "cli/commands.hpp"

#include "obs/log.hpp"
#include "cli/obs_options.hpp"
#include "csv/options.hpp"
#include "common/error.hpp"
#include "generate/generator.hpp"
#include "generate/ratings_generator.hpp"
#include "job/etl_job.hpp"
#include "parquet/writer.hpp"
#include "table/csv_writer.hpp"

namespace marquee::cli {
namespace {


struct EtlArgs {
  std::string input;
  std::string out;
  std::string format = "parquet";
  std::string compression = "zstd";
  double max_reject_ratio = 0.01;
  // Validation threads; the output does not depend on it.
  std::size_t threads = std::max(1u, std::thread::hardware_concurrency());
  std::size_t max_record_bytes = csv::kDefaultMaxRecordBytes;
  std::size_t rollup_memory_mib = job::kDefaultRollupMemory >> 20;
  std::string ratings, links;
};

void add_etl(CLI::App& app, EtlArgs& args) {
  auto* cmd = app.add_subcommand("etl", "Validate movies_metadata.csv and write the model and rollups");
  cmd->add_option("input", args.input, "movies_metadata.csv, a directory holding it, or the dataset's zip")
      ->required();
  cmd->add_option("--out", args.out, "Output directory (tables/, errors.jsonl, manifest.json)")->required();
  cmd->add_option("--format", args.format, "Table format")->capture_default_str()->check(CLI::IsMember({"parquet", "csv"}));
  cmd->add_option("--compression", args.compression, "Parquet codec: zstd, snappy or none")->capture_default_str();
  cmd->add_option("--max-reject-ratio", args.max_reject_ratio,
                  "Fail (exit 1) when rejected rows exceed this share of records")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--threads", args.threads,
                  "Worker threads for validation and compression (1: all on one thread); the output is the same whatever the number")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{256}));
  add_max_record_bytes_option(cmd, args.max_record_bytes);
  add_rollup_memory_option(cmd, args.rollup_memory_mib);
  add_ratings_options(cmd, args.ratings, args.links);
}

struct GenerateArgs {
  std::uint64_t movies = 1000;
  std::uint64_t seed = 1;
  std::string out;
  bool defects = false;
  std::uint64_t ratings = 0;
  CLI::Option* ratings_option = nullptr;  // given: write links.csv and ratings.csv
};

void add_generate(CLI::App& app, GenerateArgs& args) {
  auto* cmd = app.add_subcommand("generate", "Write a synthetic movies_metadata.csv in the Kaggle format");
  cmd->add_option("--movies", args.movies, "Number of records")->check(CLI::Range(std::uint64_t{0}, std::uint64_t{1} << 40));
  cmd->add_option("--seed", args.seed, "Seed: the same seed gives the same bytes");
  cmd->add_option("--out", args.out, "Output file")->required();
  cmd->add_flag("--defects", args.defects, "Also plant the real file's known defects");
  args.ratings_option = cmd->add_option("--ratings", args.ratings,
                  "Also write links.csv (one per movie) and ratings.csv with this many ratings, beside --out")
      ->check(CLI::Range(std::uint64_t{0}, std::uint64_t{1} << 40));
}

// A one-line progress bar on stderr, only when stderr is a terminal.
void show_progress(std::uint64_t done, std::uint64_t total) {
  if (total == 0) {
    std::fprintf(stderr, "\r%.1f MB read", static_cast<double>(done) / 1e6);
  } else {
    const double share = static_cast<double>(done) / static_cast<double>(total);
    const int width = 40;
    const int filled = static_cast<int>(share * width);
    std::fprintf(stderr, "\r[%s%s] %3.0f%%", std::string(static_cast<std::size_t>(filled), '#').c_str(),
                 std::string(static_cast<std::size_t>(width - filled), ' ').c_str(), share * 100);
  }
  std::fflush(stderr);
}

// Parses --compression before any work starts, so a bad codec is a usage error.
job::SinkFactory table_sink_factory(const EtlArgs& args) {
  if (args.format == "csv") {
    return [](const std::filesystem::path& dir) { return std::make_unique<table::CsvTableSink>(dir); };
  }
  parquet::WriterOptions writer;
  writer.compression = parquet::parse_compression(args.compression);
  writer.compression_threads = args.threads;
  return [writer](const std::filesystem::path& dir) {
    return std::make_unique<parquet::ParquetTableSink>(dir, writer);
  };
}

int run_etl(const EtlArgs& args) {
  job::EtlOptions options;
  options.input = args.input;
  options.out_dir = args.out;
  options.format = args.format;
  options.max_reject_ratio = args.max_reject_ratio;
  options.threads = args.threads;
  options.rollup_memory = args.rollup_memory_mib << 20;
  options.csv.max_record_bytes = args.max_record_bytes;
  options.ratings = {args.ratings, args.links};
  options.make_sink = table_sink_factory(args);
  if (::isatty(STDERR_FILENO)) options.progress = show_progress;
  Observability o = make_observability("etl", std::filesystem::path(args.out) / "events.jsonl");
  o.telemetry->started("", args.input);
  job::EtlResult result;
  try {
    result = job::run_etl(options);
  } catch (const std::exception& e) {
    o.telemetry->finished("", false, e.what());
    throw;
  }
  o.telemetry->transformed("", result.manifest);
  o.telemetry->finished("", result.exit_code == 0, result.manifest.failure);
  if (options.progress) std::fputs("\n", stderr);
  const job::Counts& c = result.manifest.counts;
  std::cout << fmt::format(
      "{}: {} records, {} movies kept, {} rejected, {} repaired, {} duplicates, {} warnings -> {}\n",
      result.exit_code == 0 ? "succeeded" : "FAILED", c.records_read, c.movies_kept, c.rejected,
      c.repaired, c.duplicates, c.warnings, args.out);
  if (result.rollup_parts > 0) {
    std::cout << fmt::format("rollups: company totals spilled to disk in {} parts (--rollup-memory {} MiB)\n",
                             result.rollup_parts, args.rollup_memory_mib);
  }
  if (result.exit_code != 0) obs::log("error", result.manifest.failure, {}, "etl");
  return result.exit_code;
}

int run_generate(const GenerateArgs& args) {
  std::ofstream out(args.out, std::ios::binary | std::ios::trunc);
  if (!out) throw InputError(args.out + ": cannot open for writing");
  generate::Options options{args.movies, args.seed, args.defects};
  const generate::Stats stats = generate::generate(options, out);
  out.close();
  if (!out) throw InputError(args.out + ": write failed");
  std::cout << fmt::format("wrote {} records ({} bytes, {} duplicate ids) to {}\n", stats.records,
                           stats.bytes, stats.duplicates, args.out);
  if (args.ratings_option->count() > 0) {
    // Beside the movies, under the dataset's names, so that the directory is
    // an input `marquee etl DIR` reads whole (movies, ratings and links).
    const std::filesystem::path dir = std::filesystem::path(args.out).parent_path();
    const auto write = [](const std::filesystem::path& path, const auto& body) {
      std::ofstream file(path, std::ios::binary | std::ios::trunc);
      if (!file) throw InputError(path.string() + ": cannot open for writing");
      const std::uint64_t n = body(file);
      file.close();
      if (!file) throw InputError(path.string() + ": write failed");
      return n;
    };
    const auto links = write(dir / "links.csv", [&](std::ostream& o) { return generate::generate_links(options, o); });
    const auto bytes = write(dir / "ratings.csv",
                             [&](std::ostream& o) { return generate::generate_ratings(options, args.ratings, o); });
    std::cout << fmt::format("wrote {} links to {} and {} ratings ({} bytes) to {}\n", links,
                             (dir / "links.csv").string(), args.ratings, bytes, (dir / "ratings.csv").string());
  }
  return 0;
}

}  // namespace


void add_etl_commands(CLI::App& app, Commands& commands) {
  auto etl = std::make_shared<EtlArgs>();
  auto gen = std::make_shared<GenerateArgs>();
  add_etl(app, *etl);
  add_generate(app, *gen);
  commands.add(app.get_subcommand("etl"), [etl] { return run_etl(*etl); });
  commands.add(app.get_subcommand("generate"), [gen] { return run_generate(*gen); });
  add_split_command(app, commands);
}

}  // namespace marquee::cli

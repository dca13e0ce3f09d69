// Write throughput of the Parquet writer per column type and codec: rows/s
// (items_per_second) and input bytes/s (bytes_per_second: the values'
// in-memory size, string bytes for strings). One column, 1M rows a file.
// Files go to /dev/shm when present, so the figure is encoding and
// compression, not the disk (fsync on tmpfs is free).
//   build/src/parquet/parquet_writer_bench [--benchmark_filter=String]
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "parquet/writer.hpp"
#include "table/cell.hpp"

namespace {

using marquee::parquet::Compression;
using marquee::parquet::ParquetTableWriter;
using marquee::parquet::WriterOptions;
namespace table = marquee::table;

constexpr std::size_t kRows = 1'000'000;

enum class Kind { Int64, Double, StringDictionary, StringPlain, Bool, Date };

struct Column {
  table::Type type;
  std::vector<table::Cell> cells;
  std::vector<std::string> storage;  // backs the string cells
  std::size_t bytes = 0;
};

Column make_column(Kind kind) {
  std::mt19937_64 rng(7);
  Column c;
  c.cells.reserve(kRows);
  switch (kind) {
    case Kind::Int64:
      c.type = table::Type::Int64;
      for (std::size_t i = 0; i < kRows; ++i) c.cells.emplace_back(static_cast<std::int64_t>(i * 7 + rng() % 5));
      c.bytes = kRows * 8;
      break;
    case Kind::Double:
      c.type = table::Type::Double;
      for (std::size_t i = 0; i < kRows; ++i) c.cells.emplace_back(std::uniform_real_distribution<>(0, 1e7)(rng));
      c.bytes = kRows * 8;
      break;
    case Kind::Bool:
      c.type = table::Type::Bool;
      for (std::size_t i = 0; i < kRows; ++i) c.cells.emplace_back(rng() % 3 == 0);
      c.bytes = kRows;
      break;
    case Kind::Date:
      c.type = table::Type::Date;
      for (std::size_t i = 0; i < kRows; ++i) c.cells.emplace_back(static_cast<std::int32_t>(-25000 + rng() % 45000));
      c.bytes = kRows * 4;
      break;
    case Kind::StringDictionary:
    case Kind::StringPlain: {
      c.type = table::Type::String;
      // Dictionary: 200 genre-like names. Plain: every value distinct, like titles.
      const std::size_t distinct = kind == Kind::StringDictionary ? 200 : kRows;
      for (std::size_t i = 0; i < distinct; ++i) {
        c.storage.push_back("Title number " + std::to_string(rng() % 1'000'000'000) + " — ü");
      }
      for (std::size_t i = 0; i < kRows; ++i) {
        const std::string& s = c.storage[kind == Kind::StringDictionary ? rng() % distinct : i];
        c.cells.emplace_back(std::string_view(s));
        c.bytes += s.size();
      }
      break;
    }
  }
  return c;
}

std::filesystem::path bench_dir() {
  const std::filesystem::path shm = "/dev/shm";
  const auto base = std::filesystem::exists(shm) ? shm : std::filesystem::temp_directory_path();
  const auto dir = base / ("marquee-parquet-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

void write_throughput(benchmark::State& state, Kind kind) {
  static const Column columns[] = {make_column(Kind::Int64),       make_column(Kind::Double),
                                   make_column(Kind::StringDictionary), make_column(Kind::StringPlain),
                                   make_column(Kind::Bool),        make_column(Kind::Date)};
  const Column& column = columns[static_cast<int>(kind)];
  WriterOptions options;
  options.compression = static_cast<Compression>(state.range(0));
  if (kind == Kind::StringPlain) options.dictionary_max_bytes = 0;
  const table::Schema schema{"bench", {{"value", column.type, false}}};
  const auto dir = bench_dir();
  std::uint64_t file_bytes = 0;
  for (auto _ : state) {
    ParquetTableWriter writer(dir / "bench.parquet", schema, options);
    for (const table::Cell& cell : column.cells) writer.write_row(std::span(&cell, 1));
    writer.finish();
    file_bytes = std::filesystem::file_size(dir / "bench.parquet");
  }
  std::filesystem::remove_all(dir);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kRows));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * column.bytes));
  state.counters["file_MB"] = static_cast<double>(file_bytes) / 1e6;
  state.SetLabel(std::string(marquee::parquet::compression_name(options.compression)));
}

void codecs(benchmark::internal::Benchmark* b) {
  for (Compression c : {Compression::None, Compression::Snappy, Compression::Zstd}) b->Arg(static_cast<int>(c));
  b->Unit(benchmark::kMillisecond);
}

BENCHMARK_CAPTURE(write_throughput, int64, Kind::Int64)->Apply(codecs);
BENCHMARK_CAPTURE(write_throughput, double, Kind::Double)->Apply(codecs);
BENCHMARK_CAPTURE(write_throughput, string_dictionary, Kind::StringDictionary)->Apply(codecs);
BENCHMARK_CAPTURE(write_throughput, string_plain, Kind::StringPlain)->Apply(codecs);
BENCHMARK_CAPTURE(write_throughput, bool, Kind::Bool)->Apply(codecs);
BENCHMARK_CAPTURE(write_throughput, date, Kind::Date)->Apply(codecs);

}  // namespace

BENCHMARK_MAIN();

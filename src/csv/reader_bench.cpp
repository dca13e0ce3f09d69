// CSV scanning throughput on a synthetic Kaggle-like file (~20 MB, 24
// columns, quoted overviews with commas, doubled quotes and line breaks).
// Run: marquee_csv_bench [--benchmark_filter=...]; figures are bytes/s.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "csv/reader.hpp"
#include "csv/scanner.hpp"
#include "input/byte_source.hpp"

namespace {

using namespace marquee;

class Lcg {
 public:
  std::uint32_t next() { return state_ = state_ * 1664525u + 1013904223u; }
  std::uint32_t below(std::uint32_t bound) { return (next() >> 8) % bound; }

 private:
  std::uint32_t state_ = 42;
};

std::string words(Lcg& rng, int count) {
  static const char* const kWords[] = {"a",     "young", "man",   "finds", "the",  "world", "of",    "Woody's",
                                       "toys",  "city",  "night", "love",  "war",  "with",  "family", "secret"};
  std::string out;
  for (int i = 0; i < count; ++i) {
    if (i > 0) out += rng.below(9) == 0 ? ", " : " ";
    out += kWords[rng.below(16)];
  }
  return out;
}

std::string overview(Lcg& rng) {
  std::string text = words(rng, 20 + static_cast<int>(rng.below(60)));
  if (rng.below(4) == 0) text += " \"\"Quoted\"\" words";
  if (rng.below(20) == 0) text += "\r\n" + words(rng, 10);  // a line break inside the quotes
  return "\"" + text + ".\"";
}

std::string synthetic_csv(std::size_t target_bytes) {
  std::string csv =
      "adult,belongs_to_collection,budget,genres,homepage,id,imdb_id,original_language,original_title,overview,"
      "popularity,poster_path,production_companies,production_countries,release_date,revenue,runtime,"
      "spoken_languages,status,tagline,title,video,vote_average,vote_count\r\n";
  Lcg rng;
  for (std::uint32_t id = 1; csv.size() < target_bytes; ++id) {
    const std::string title = words(rng, 1 + static_cast<int>(rng.below(4)));
    csv += "False,";
    csv += rng.below(5) == 0 ? "\"{'id': 10194, 'name': 'Some Collection', 'poster_path': '/x.jpg'}\"," : ",";
    csv += std::to_string(rng.below(3) == 0 ? 0 : rng.below(100'000'000)) + ",";
    csv += "\"[{'id': 16, 'name': 'Animation'}, {'id': 35, 'name': 'Comedy'}, {'id': 10751, 'name': 'Family'}]\",";
    csv += "http://example.com/" + std::to_string(id) + "," + std::to_string(id) + ",tt" + std::to_string(114709 + id);
    csv += ",en,\"" + title + "\"," + overview(rng) + ",";
    csv += std::to_string(rng.below(30)) + "." + std::to_string(rng.below(1'000'000)) + ",/poster.jpg,";
    csv += "\"[{'name': 'Pixar Animation Studios', 'id': 3}]\",\"[{'iso_3166_1': 'US', 'name': 'United States of "
           "America'}]\",";
    csv += "1995-10-30," + std::to_string(rng.below(400'000'000)) + ",81.0,";
    csv += "\"[{'iso_639_1': 'en', 'name': 'English'}]\",Released,,\"" + title + "\",False,7.7,5415\r\n";
  }
  return csv;
}

const std::string& data() {
  static const std::string csv = synthetic_csv(20u << 20);
  return csv;
}

class CountingHandler : public csv::InvalidRecordHandler {
 public:
  void on_invalid(const csv::InvalidRecord&) override { ++count; }
  std::size_t count = 0;
};

void BM_Reader(benchmark::State& state) {
  const std::string& csv = data();
  std::size_t records = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto source = input::memory_source(csv);  // the copy is not what we measure
    state.ResumeTiming();
    CountingHandler handler;
    csv::Reader reader(*source, handler);
    csv::Record record;
    records = 0;
    while (reader.next(record)) ++records;
    benchmark::DoNotOptimize(records);
    if (handler.count != 0) state.SkipWithError("synthetic data produced invalid records");
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * csv.size()));
  state.counters["records"] = static_cast<double>(records);
}
BENCHMARK(BM_Reader)->Unit(benchmark::kMillisecond);

// The pure scanner alone: what each worker of a parallel reader would run.
void BM_ScanRecord(benchmark::State& state) {
  const std::string& csv = data();
  std::vector<csv::FieldSlice> fields;
  for (auto _ : state) {
    std::size_t offset = 0;
    std::size_t records = 0;
    while (offset < csv.size()) {
      const csv::ScanResult result = csv::scan_record(csv, offset, true, {}, fields);
      if (result.outcome != csv::ScanOutcome::Record) {
        state.SkipWithError("synthetic data did not scan as records");
        return;
      }
      offset = result.next;
      ++records;
    }
    benchmark::DoNotOptimize(records);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * csv.size()));
}
BENCHMARK(BM_ScanRecord)->Unit(benchmark::kMillisecond);

// Baseline: counting line feeds with memchr, roughly what `wc -l` does.
void BM_CountLineFeeds(benchmark::State& state) {
  const std::string& csv = data();
  for (auto _ : state) {
    std::size_t lines = 0;
    for (const char* p = csv.data(); (p = static_cast<const char*>(std::memchr(p, '\n', csv.data() + csv.size() - p)));
         ++p) {
      ++lines;
    }
    benchmark::DoNotOptimize(lines);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * csv.size()));
}
BENCHMARK(BM_CountLineFeeds)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();

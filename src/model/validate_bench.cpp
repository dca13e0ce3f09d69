// Validation throughput: records of `marquee generate` (the Kaggle format),
// read once, then validated again and again into one reused Movie, as each
// worker of the parallel job does. Figures are records/s (items_per_second)
// and raw record bytes/s. Also the allocating validate() for comparison.
//   build/src/model/marquee_validate_bench [--benchmark_filter=...]
#include <benchmark/benchmark.h>

#include <sstream>
#include <string>
#include <vector>

#include "csv/reader.hpp"
#include "generate/generator.hpp"
#include "input/byte_source.hpp"
#include "model/validate.hpp"

namespace {

using namespace marquee;

struct NullSink : model::DiagnosticSink {
  void report(model::Diagnostic) override { ++count; }
  std::size_t count = 0;
};

struct IgnoreInvalid : csv::InvalidRecordHandler {
  void on_invalid(const csv::InvalidRecord&) override {}
};

// Generated records, with their fields copied out of the reader.
struct Records {
  std::vector<std::string> header;
  std::vector<std::string> raw;
  std::vector<std::vector<std::string>> fields;
  std::size_t bytes = 0;
};

const Records& records() {
  static const Records data = [] {
    std::ostringstream csv;
    generate::generate({.movies = 20000, .seed = 5, .defects = false}, csv);
    auto source = input::memory_source(csv.str());
    IgnoreInvalid handler;
    csv::Reader reader(*source, handler);
    Records r;
    r.header = reader.header();
    csv::Record record;
    while (reader.next(record)) {
      r.raw.emplace_back(record.raw);
      r.fields.emplace_back(record.fields.begin(), record.fields.end());
      r.bytes += record.raw.size();
    }
    return r;
  }();
  return data;
}

template <class Validate>
void validate_all(benchmark::State& state, const Validate& validate) {
  const Records& r = records();
  const model::ColumnMap columns(r.header, "bench");
  std::vector<std::string_view> views;
  NullSink sink;
  for (auto _ : state) {
    for (std::size_t i = 0; i < r.raw.size(); ++i) {
      views.assign(r.fields[i].begin(), r.fields[i].end());
      csv::Record record;
      record.line = i + 2;
      record.end_line = i + 2;
      record.raw = r.raw[i];
      record.fields = views;
      benchmark::DoNotOptimize(validate(record, columns, sink));
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * r.raw.size()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * r.bytes));
}

void BM_ValidateInto(benchmark::State& state) {
  model::Movie movie;
  validate_all(state, [&](const csv::Record& record, const model::ColumnMap& columns, NullSink& sink) {
    return model::validate_into(record, columns, sink, movie);
  });
}
BENCHMARK(BM_ValidateInto)->Unit(benchmark::kMillisecond);

void BM_ValidateAllocating(benchmark::State& state) {
  validate_all(state, [&](const csv::Record& record, const model::ColumnMap& columns, NullSink& sink) {
    return model::validate(record, columns, sink).has_value();
  });
}
BENCHMARK(BM_ValidateAllocating)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();

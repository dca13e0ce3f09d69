// Parses typical values of the dataset's literal columns; reports values/s
// (items_per_second) and bytes/s.
#include <benchmark/benchmark.h>

#include <string_view>

#include "literal/parser.hpp"

namespace {

constexpr std::string_view kGenres =
    "[{'id': 16, 'name': 'Animation'}, {'id': 35, 'name': 'Comedy'}, "
    "{'id': 10751, 'name': 'Family'}]";

constexpr std::string_view kProductionCompanies =
    "[{'name': 'Paramount Pictures', 'id': 4}, {'name': 'DeBart', 'id': 2519}, "
    "{'name': 'Touchstone Pictures', 'id': 9195}, {'name': \"Mel's Cite du Cinema\", 'id': 54502}]";

constexpr std::string_view kCollection =
    "{'id': 10194, 'name': 'Toy Story Collection', 'poster_path': "
    "'/7G9915LfUQ2lVfwMEEhDsn3kT4B.jpg', 'backdrop_path': '/9FBwqcd9IRruEDUrTdcaafOMKUq.jpg'}";

void parse_repeatedly(benchmark::State& state, std::string_view text) {
  for (auto _ : state) {
    auto result = marquee::literal::parse(text);
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}

void BM_Genres(benchmark::State& state) { parse_repeatedly(state, kGenres); }
void BM_ProductionCompanies(benchmark::State& state) { parse_repeatedly(state, kProductionCompanies); }
void BM_Collection(benchmark::State& state) { parse_repeatedly(state, kCollection); }

BENCHMARK(BM_Genres);
BENCHMARK(BM_ProductionCompanies);
BENCHMARK(BM_Collection);

}  // namespace

BENCHMARK_MAIN();

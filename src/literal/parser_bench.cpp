// Parses typical values of the dataset's literal columns; reports values/s
// (items_per_second) and bytes/s.
#include <benchmark/benchmark.h>

#include <string_view>

#include "literal/flat_dicts.hpp"
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

// The same texts through the flat fast path the validator tries first
// (literal/flat_dicts.hpp): no Value tree, no allocation once warmed up.
void flat_repeatedly(benchmark::State& state, std::string_view text, bool list) {
  marquee::literal::FlatDicts out;
  for (auto _ : state) {
    const bool ok = list ? marquee::literal::parse_flat_dict_list(text, out)
                         : marquee::literal::parse_flat_dict(text, out);
    if (!ok) state.SkipWithError("not taken by the fast path");
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}

void BM_FlatGenres(benchmark::State& state) { flat_repeatedly(state, kGenres, true); }
void BM_FlatProductionCompanies(benchmark::State& state) { flat_repeatedly(state, kProductionCompanies, true); }
void BM_FlatCollection(benchmark::State& state) { flat_repeatedly(state, kCollection, false); }

BENCHMARK(BM_FlatGenres);
BENCHMARK(BM_FlatProductionCompanies);
BENCHMARK(BM_FlatCollection);

}  // namespace

BENCHMARK_MAIN();

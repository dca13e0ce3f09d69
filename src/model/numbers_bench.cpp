// The strict number and date parsers on values shaped like the dataset's
// (budgets, revenues, popularity in plain and exponent form, vote averages,
// dates). Figures are values/s (items_per_second).
//   build/src/model/marquee_numbers_bench
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "model/numbers.hpp"

namespace {

using namespace marquee::model;

const std::vector<std::string> kIntegers = {"30000000", "0", "65000000", "373554033", "4", "16000000", "862", "5415"};
const std::vector<std::string> kDecimals = {"21.946943", "17.015539", "8.2e-05", "0.894", "7.7", "81.0", "5.415e3",
                                            "12.5"};
const std::vector<std::string> kDates = {"1995-10-30", "1995-12-15", "2017-02-29", "1960-01-01", "2000-02-29"};

template <class Parse>
void parse_all(benchmark::State& state, const std::vector<std::string>& values, const Parse& parse) {
  for (auto _ : state) {
    for (const std::string& value : values) benchmark::DoNotOptimize(parse(value));
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * values.size()));
}

void BM_UnsignedInt64(benchmark::State& state) { parse_all(state, kIntegers, parse_unsigned_int64); }
void BM_NonNegativeDouble(benchmark::State& state) { parse_all(state, kDecimals, parse_non_negative_double); }
void BM_RoundedRevenue(benchmark::State& state) { parse_all(state, kIntegers, parse_non_negative_rounded); }
void BM_IntegralCount(benchmark::State& state) { parse_all(state, kDecimals, parse_non_negative_integral); }
void BM_IsoDate(benchmark::State& state) { parse_all(state, kDates, parse_iso_date); }

BENCHMARK(BM_UnsignedInt64);
BENCHMARK(BM_NonNegativeDouble);
BENCHMARK(BM_RoundedRevenue);
BENCHMARK(BM_IntegralCount);
BENCHMARK(BM_IsoDate);

}  // namespace

BENCHMARK_MAIN();

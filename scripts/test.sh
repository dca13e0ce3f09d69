#!/usr/bin/env bash
# Installs everything, builds, and runs the whole test suite: unit tests,
# end-to-end suites (independent Python oracle, independent Parquet readers,
# real PostgreSQL/Redis/HTTP processes), then the parsers of untrusted input
# again under AddressSanitizer/UBSan, and bounded libFuzzer runs of the
# Parquet reader, the CSV reader and the literal parser.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh

# Sanitizer pass: clang, ASan+UBSan, only the stages that parse outside bytes.
asan_targets=(marquee_input_test marquee_csv_test marquee_literal_test marquee_model_test
  marquee_parquet_test parquet_random_tables parquet_reader_fuzz csv_reader_fuzz literal_parser_fuzz)
BUILD_DIR=build-asan CMAKE_ARGS="-DCMAKE_CXX_COMPILER=clang++ -DMARQUEE_ASAN=ON -DMARQUEE_FUZZ=ON -DMARQUEE_BENCH=OFF -DCMAKE_BUILD_TYPE=Debug" \
  scripts/build.sh "${asan_targets[@]}"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
for t in input/marquee_input_test csv/marquee_csv_test literal/marquee_literal_test \
         model/marquee_model_test parquet/marquee_parquet_test; do
  echo "== ASan: $t"
  MARQUEE_DATA_DIR="$(pwd)/../shared/data/the-movies-dataset" build-asan/src/$t --gtest_brief=1
done
ctest --test-dir build-asan --output-on-failure -R '^(parquet_reader|csv_reader|literal_parser)_fuzz' --timeout 300

unset ASAN_OPTIONS UBSAN_OPTIONS

# The whole suite last, so that its summary closes the output.
# Two jobs: the machines have two cores, and several suites start servers.
ctest --test-dir build --output-on-failure -j2 --timeout 600

// Test tool: writes N random tables as DIR/<name>.parquet and DIR/<name>.csv
// (same rows), so that independent Parquet readers can be checked against
// the CSV. See random_tables.hpp for what the tables contain.
//   parquet_random_tables --out DIR --seed S --count N [--max-rows R] [--parquet-only]
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "parquet/random_tables.hpp"
#include "parquet/writer.hpp"
#include "table/csv_writer.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Writes random tables as Parquet and CSV for reader tests"};
  std::filesystem::path out;
  std::uint64_t seed = 1;
  std::size_t count = 20;
  std::size_t max_rows = 2000;
  bool parquet_only = false;
  app.add_option("--out", out, "output directory")->required();
  app.add_option("--seed", seed, "first seed; table i uses seed + i");
  app.add_option("--count", count, "number of tables");
  app.add_option("--max-rows", max_rows, "upper bound on rows per table");
  app.add_flag("--parquet-only", parquet_only, "skip the CSV copies");
  CLI11_PARSE(app, argc, argv);

  try {
    std::filesystem::create_directories(out);
    for (std::size_t i = 0; i < count; ++i) {
      const std::uint64_t table_seed = seed + i;
      const auto table = marquee::parquet::testing::random_table(table_seed, "random_" + std::to_string(table_seed),
                                                                 max_rows);
      marquee::parquet::ParquetTableSink parquet(out, table.options);
      marquee::parquet::testing::write_table(parquet, table);
      if (!parquet_only) {
        marquee::table::CsvTableSink csv(out);
        marquee::parquet::testing::write_table(csv, table);
      }
    }
  } catch (const std::exception& e) {
    std::cerr << "parquet_random_tables: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

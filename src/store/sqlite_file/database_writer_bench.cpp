// The run-file writer against SQLite's own INSERTs of the same rows into
// the same schema (indexes built after the rows, no journal, as the load
// used to): a bridge table (composite key, a second index, rows out of key
// order) and a wide table (texts, one unique index). Report the ratio of
// the two in the same run; absolute rates differ between machines.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "store/connection.hpp"
#include "store/sqlite_file/database_writer.hpp"
#include "store/value_text.hpp"

namespace {

using namespace marquee;
namespace fs = std::filesystem;

struct Table {
  store::sqlite_file::TableSpec spec;
  table::Schema schema;
  std::vector<std::vector<table::Cell>> rows;
  std::vector<std::string> texts;
};

Table bridge(std::size_t n) {
  Table t;
  t.spec = {"bridge",
            "CREATE TABLE bridge (movie_id INTEGER NOT NULL, genre_id INTEGER NOT NULL, position INTEGER NOT NULL, "
            "PRIMARY KEY (movie_id, genre_id)) WITHOUT ROWID",
            {{"movie_id", "INTEGER", true}, {"genre_id", "INTEGER", true}, {"position", "INTEGER", true}},
            {"movie_id", "genre_id"},
            {{"bridge_genre", "CREATE INDEX bridge_genre ON bridge (genre_id)", {"genre_id"}, {false}, false}}};
  t.schema = {"bridge",
              {{"movie_id", table::Type::Int64}, {"genre_id", table::Type::Int64}, {"position", table::Type::Int32}}};
  std::mt19937_64 rng(1);
  for (std::size_t movie = 0; t.rows.size() < n; ++movie) {
    const auto id = static_cast<std::int64_t>(rng() % 100'000'000);  // ids out of order, as in the file
    for (std::int32_t g = 0; g < 3 && t.rows.size() < n; ++g) {
      t.rows.push_back({id * 1000 + static_cast<std::int64_t>(movie % 1000), std::int64_t{g * 7 + 1}, g});
    }
  }
  return t;
}

Table wide(std::size_t n) {
  Table t;
  std::vector<store::sqlite_file::ColumnSpec> columns = {{"id", "INTEGER", true}};
  std::vector<table::Column> schema = {{"id", table::Type::Int64}};
  std::string ddl = "CREATE TABLE wide (id INTEGER NOT NULL";
  for (int i = 0; i < 8; ++i) {
    columns.push_back({fmt::format("t{}", i), "TEXT", false});
    schema.push_back({fmt::format("t{}", i), table::Type::String, true});
    ddl += fmt::format(", t{} TEXT", i);
  }
  t.spec = {"wide", ddl + ")", columns, {}, {{"wide_key", "CREATE UNIQUE INDEX wide_key ON wide (id)", {"id"}, {false}, true}}};
  t.schema = {"wide", schema};
  std::mt19937_64 rng(2);
  t.texts.reserve(1000);
  for (int i = 0; i < 1000; ++i) t.texts.push_back(std::string(20 + rng() % 300, static_cast<char>('a' + i % 26)));
  for (std::size_t r = 0; r < n; ++r) {
    std::vector<table::Cell> row = {static_cast<std::int64_t>((r * 2654435761u) % (n * 4))};
    for (int i = 0; i < 8; ++i) row.push_back(std::string_view(t.texts[rng() % t.texts.size()]));
    t.rows.push_back(std::move(row));
  }
  return t;
}

fs::path scratch() { return fs::temp_directory_path() / fmt::format("marquee-writer-bench-{}.db", ::getpid()); }

void write_ours(const Table& t) {
  store::sqlite_file::DatabaseWriter writer(scratch());
  auto loader = writer.open(t.spec, t.schema);
  for (const auto& row : t.rows) loader->write_row(row);
  loader->finish();
  writer.finish(std::span(&t.spec, 1));
}

void write_sqlite(const Table& t) {
  fs::remove(scratch());
  auto db = store::detail::create_sqlite_run_file(scratch().string());
  db->execute("BEGIN");
  db->execute(t.spec.sql);
  auto loader = db->bulk_loader(t.schema, t.spec.name, "");
  for (const auto& row : t.rows) loader->write_row(row);
  loader->finish();
  for (const auto& index : t.spec.indexes) db->execute(index.sql);
  db->execute("COMMIT");
}

template <Table (*Make)(std::size_t), void (*Write)(const Table&)>
void run(benchmark::State& state) {
  const Table t = Make(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) Write(t);
  fs::remove(scratch());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * t.rows.size()));
}

BENCHMARK(run<bridge, write_ours>)->Name("bridge/marquee_writer")->Arg(1'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(run<bridge, write_sqlite>)->Name("bridge/sqlite_insert")->Arg(1'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(run<wide, write_ours>)->Name("wide/marquee_writer")->Arg(200'000)->Unit(benchmark::kMillisecond);
BENCHMARK(run<wide, write_sqlite>)->Name("wide/sqlite_insert")->Arg(200'000)->Unit(benchmark::kMillisecond);

}  // namespace

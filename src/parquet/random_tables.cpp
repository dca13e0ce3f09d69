#include "parquet/random_tables.hpp"

#include <limits>
#include <random>

#include "common/utf8.hpp"
#include "table/cell.hpp"

namespace marquee::parquet::testing {

namespace {

using Rng = std::mt19937_64;

std::size_t pick(Rng& rng, std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); }

template <typename T>
T pick_of(Rng& rng, std::initializer_list<T> values) {
  return *(values.begin() + pick(rng, values.size()));
}

const std::vector<std::string>& string_pool() {
  static const std::vector<std::string> pool = {
      "",      "a",         "Drama",        "Comedy", "Science Fiction", "Zoë",      "Amélie",     "日本語",
      "東京物語", "😀 emoji", "Ünïcödé ✓",   "x,y",    "say \"hi\"",     "two\nlines", "crlf\r\nend", "  padded  ",
      "null",  "NULL",      "\\N",          "0",      "-",               "é",        "\xF0\x9F\x8E\xAC"};
  return pool;
}

std::string random_text(Rng& rng, std::size_t max_length) {
  // Code points from ASCII, Latin-1, CJK and astral planes: 1 to 4 UTF-8 bytes.
  static const char32_t ranges[][2] = {{0x20, 0x7E}, {0xA0, 0xFF}, {0x4E00, 0x4FFF}, {0x1F300, 0x1F5FF}};
  std::string out;
  const std::size_t length = pick(rng, max_length + 1);
  while (out.size() < length) {
    const auto& range = ranges[pick(rng, 4)];
    const char32_t cp = range[0] + static_cast<char32_t>(pick(rng, range[1] - range[0] + 1));
    utf8::append_code_point(out, cp);
  }
  return out;
}

std::string long_text(Rng& rng) {
  std::string out = random_text(rng, 40);
  while (out.size() < 70'000) out += "Longer than 64 KiB: ünïcödé 日本 — ";
  return out;
}

table::OwnedCell random_value(Rng& rng, table::Type type, int flavor, std::size_t& long_strings) {
  switch (type) {
    case table::Type::Int32:
      if (flavor == 0) return static_cast<std::int32_t>(pick(rng, 4));  // runs, small range
      return pick(rng, 10) == 0 ? pick_of<std::int32_t>(rng, {INT32_MIN, INT32_MAX, 0, -1})
                                : static_cast<std::int32_t>(rng());
    case table::Type::Int64:
      if (flavor == 0) return static_cast<std::int64_t>(pick(rng, 3)) - 1;
      return pick(rng, 10) == 0 ? pick_of<std::int64_t>(rng, {INT64_MIN, INT64_MAX, 0, -1})
                                : static_cast<std::int64_t>(rng());
    case table::Type::Double: {
      if (flavor == 0) return static_cast<double>(pick(rng, 5)) * 0.5;
      switch (pick(rng, 6)) {
        case 0: return pick_of<double>(rng, {0.0, -0.0, 1e308, -1e308, 5e-324, 0.1, 2.5e-10, 123456789.125});
        case 1: return static_cast<double>(static_cast<std::int64_t>(rng() >> 11)) - 4.5e15;
        default: return std::uniform_real_distribution<double>(-1e6, 1e6)(rng);
      }
    }
    case table::Type::Bool: return flavor == 0 ? true : pick(rng, 2) == 1;
    case table::Type::Date:
      // 0001-01-01 .. 9999-12-31: CSV dates have four-digit years.
      if (flavor == 0) return table::days_from_civil(1995, 1 + static_cast<unsigned>(pick(rng, 12)), 1);
      return static_cast<std::int32_t>(-719162 + static_cast<std::int64_t>(pick(rng, 3652059)));
    case table::Type::String: {
      if (long_strings < 3 && pick(rng, 200) == 0) {
        ++long_strings;
        return long_text(rng);
      }
      if (flavor == 0) return string_pool()[pick(rng, string_pool().size())];
      return pick(rng, 4) == 0 ? string_pool()[pick(rng, string_pool().size())] : random_text(rng, 30);
    }
  }
  return table::Null{};
}

WriterOptions random_options(Rng& rng, std::uint64_t seed) {
  WriterOptions o;
  o.compression = pick_of(rng, {Compression::Zstd, Compression::Snappy, Compression::None});
  o.row_group_max_rows = pick_of<std::uint64_t>(rng, {1, 7, 64, 1'000'000});
  o.row_group_max_bytes = pick_of<std::uint64_t>(rng, {4096, 64ull << 20});
  o.page_max_rows = pick_of<std::size_t>(rng, {1, 5, 100, 20'000});
  o.page_max_bytes = pick_of<std::size_t>(rng, {64, 1000, 1u << 20});
  o.dictionary_max_bytes = pick_of<std::size_t>(rng, {0, 24, 300, 1u << 20});
  o.dictionary_max_entries = pick_of<std::size_t>(rng, {1, 3, 1u << 16});
  o.statistics_max_bytes = pick_of<std::size_t>(rng, {4, 16, 256});
  o.page_checksums = pick(rng, 2) == 0;
  o.key_value_metadata = marquee_metadata("random-" + std::to_string(seed), std::string(64, 'a'));
  return o;
}

}  // namespace

RandomTable random_table(std::uint64_t seed, std::string name, std::size_t max_rows) {
  Rng rng(seed);
  RandomTable t;
  t.schema.name = std::move(name);
  t.options = random_options(rng, seed);

  const table::Type types[] = {table::Type::Int32, table::Type::Int64, table::Type::Double,
                               table::Type::Bool,  table::Type::String, table::Type::Date};
  const std::size_t width = 1 + pick(rng, 8);
  std::vector<double> null_rate;
  std::vector<int> flavor;
  for (std::size_t c = 0; c < width; ++c) {
    const table::Type type = types[pick(rng, 6)];
    const bool nullable = pick(rng, 2) == 0;
    std::string column_name = "c" + std::to_string(c) + "_" + std::string(table::type_name(type));
    if (pick(rng, 8) == 0) column_name += "_ñ名";
    t.schema.columns.push_back({column_name, type, nullable});
    null_rate.push_back(nullable ? pick_of<double>(rng, {0.0, 0.1, 0.5, 1.0}) : 0.0);
    flavor.push_back(static_cast<int>(pick(rng, 2)));  // 0: few distinct values, 1: many
  }

  // 0 and 1 rows one time in eight each; otherwise a few or up to max_rows.
  const std::size_t shape = pick(rng, 8);
  const std::size_t rows = shape == 0 ? 0 : shape == 1 ? 1 : shape < 4 ? 2 + pick(rng, 30) : pick(rng, max_rows + 1);
  std::size_t long_strings = 0;
  std::bernoulli_distribution coin;
  for (std::size_t r = 0; r < rows; ++r) {
    table::OwnedRow row;
    for (std::size_t c = 0; c < width; ++c) {
      const bool null = null_rate[c] > 0 && std::bernoulli_distribution(null_rate[c])(rng);
      row.push_back(null ? table::OwnedCell(table::Null{})
                         : random_value(rng, t.schema.columns[c].type, flavor[c], long_strings));
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

void write_table(table::TableSink& sink, const RandomTable& t) {
  auto writer = sink.open(t.schema);
  for (const table::OwnedRow& row : t.rows) writer->write_row(table::borrow_row(row));
  writer->finish();
}

}  // namespace marquee::parquet::testing

#pragma once
// Test support: every store test runs against SQLite (a fresh file) and, when
// MARQUEE_TEST_PG_URL names a PostgreSQL database (tests/store/pg_unit.sh
// starts a real server and sets it), against PostgreSQL in a fresh schema.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "store/connection.hpp"
#include "store/store.hpp"
#include "table/cell.hpp"
#include "table/memory_sink.hpp"

namespace marquee::store::testing {

inline std::vector<std::string> backends() {
  std::vector<std::string> out = {"sqlite"};
  const char* pg = std::getenv("MARQUEE_TEST_PG_URL");
  if (pg && *pg) out.push_back("postgresql");
  return out;
}

inline std::string unique_suffix() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  return fmt::format("{}_{}_{:x}", ::getpid(), counter++, rd() & 0xffff);
}

// A fresh database per test; connect() may be called several times (several
// sessions on the same database).
class BackendTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const std::string suffix = unique_suffix();
    if (GetParam() == "sqlite") {
      dir_ = std::filesystem::temp_directory_path() / ("marquee-store-test-" + suffix);
      std::filesystem::create_directories(dir_);
      url_ = "sqlite:" + (dir_ / "test.db").string();
    } else {
      const std::string base = std::getenv("MARQUEE_TEST_PG_URL");
      schema_ = "test_" + suffix;
      connect(base)->execute("CREATE SCHEMA " + schema_);
      url_ = base + (base.find('?') == std::string::npos ? "?" : "&") +
             "options=-csearch_path%3D" + schema_;
      base_url_ = base;
    }
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
    if (!schema_.empty()) connect(base_url_)->execute("DROP SCHEMA " + schema_ + " CASCADE");
  }
  std::unique_ptr<Connection> open() { return connect(url_); }
  const std::string& url() const { return url_; }
  bool postgres() const { return GetParam() == "postgresql"; }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::string url_, base_url_, schema_;
  std::filesystem::path dir_;
};

// Distinct, deterministic rows for any schema: row i holds values derived
// from i in every column (so keys are unique); nullable columns are null in
// odd rows. Owned cells, so they outlive the writer calls.
inline std::vector<table::OwnedRow> sample_rows(const table::Schema& schema, int count, int seed = 0) {
  std::vector<table::OwnedRow> rows;
  for (int i = 0; i < count; ++i) {
    table::OwnedRow row;
    for (const table::Column& c : schema.columns) {
      if (c.nullable && i % 2 == 1) {
        row.emplace_back(table::Null{});
        continue;
      }
      const int v = seed * 100000 + i;
      switch (c.type) {
        case table::Type::Int32: row.emplace_back(std::int32_t{v}); break;
        case table::Type::Int64: row.emplace_back(std::int64_t{1000} + v); break;
        case table::Type::Double: row.emplace_back(v + 0.25); break;
        case table::Type::Bool: row.emplace_back(i % 3 == 0); break;
        case table::Type::String: row.emplace_back(fmt::format("{}-{}", c.name, v)); break;
        case table::Type::Date: row.emplace_back(std::int32_t{10000 + v}); break;
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

inline void write_owned(table::TableWriter& writer, const std::vector<table::OwnedRow>& rows) {
  std::vector<table::Cell> cells;
  for (const auto& row : rows) {
    cells.clear();
    for (const auto& v : row) {
      std::visit(
          [&](const auto& x) {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::string>) {
              cells.emplace_back(std::string_view(x));
            } else {
              cells.emplace_back(x);
            }
          },
          v);
    }
    writer.write_row(cells);
  }
}

// Every snapshot table with `rows` sample rows (seed as in sample_rows).
inline std::vector<TableData> sample_tables(int seed, int rows) {
  std::vector<TableData> tables;
  for (const table::Schema* schema : snapshot_tables()) {
    tables.push_back({schema, [schema, seed, rows](table::TableWriter& w) {
                        write_owned(w, sample_rows(*schema, rows, seed));
                      }});
  }
  return tables;
}

inline std::string backend_name(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

}  // namespace marquee::store::testing

#pragma once
// Helpers shared by this folder's tests.
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "parquet/reader.hpp"
#include "parquet/writer.hpp"
#include "table/memory_sink.hpp"

namespace marquee::parquet::testing {

class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("marquee-parquet-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

inline std::vector<table::OwnedRow> read_rows(ParquetReader& reader) {
  std::vector<table::OwnedRow> rows;
  reader.for_each_row([&](std::span<const table::Cell> row) {
    rows.push_back(table::own_row(row));
  });
  return rows;
}

// Writes `rows` as <dir>/<schema.name>.parquet and returns the path.
inline std::filesystem::path write_parquet(const std::filesystem::path& dir, const table::Schema& schema,
                                           const std::vector<table::OwnedRow>& rows, const WriterOptions& options) {
  ParquetTableSink sink(dir, options);
  auto writer = sink.open(schema);
  for (const table::OwnedRow& row : rows) {
    writer->write_row(table::borrow_row(row));
  }
  writer->finish();
  return dir / (schema.name + ".parquet");
}

// Cells compare exactly; doubles by bit pattern, so -0.0 != 0.0.
inline bool same_cell(const table::OwnedCell& a, const table::OwnedCell& b) {
  if (a.index() != b.index()) return false;
  if (const auto* x = std::get_if<double>(&a)) {
    return std::bit_cast<std::uint64_t>(*x) == std::bit_cast<std::uint64_t>(std::get<double>(b));
  }
  return a == b;
}

}  // namespace marquee::parquet::testing

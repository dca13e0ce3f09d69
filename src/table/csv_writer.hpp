#pragma once
// RFC 4180 CSV artifacts. Null is an empty field; an empty string is written
// as "" so the two stay distinguishable. Doubles use the shortest text that
// reads back to the same value (std::to_chars), dates YYYY-MM-DD, booleans
// true/false. Output is deterministic byte for byte.
#include <filesystem>
#include <memory>

#include "table/table_writer.hpp"

namespace marquee::table {

// Formats one cell as CSV text (without quoting).
void append_cell_text(std::string& out, const Cell& cell, Type type);

class CsvTableSink : public TableSink {
 public:
  explicit CsvTableSink(std::filesystem::path directory);
  std::unique_ptr<TableWriter> open(const Schema& schema) override;
  std::string extension() const override { return "csv"; }

 private:
  std::filesystem::path directory_;
};

}  // namespace marquee::table

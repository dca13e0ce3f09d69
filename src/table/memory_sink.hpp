#pragma once
// A TableSink that keeps every row in memory, as owned values: for tests and
// for small tables. Not for production-sized data.
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "table/table_writer.hpp"

namespace marquee::table {

using OwnedCell = std::variant<Null, std::int32_t, std::int64_t, double, bool, std::string>;
using OwnedRow = std::vector<OwnedCell>;

// Copies a row's borrowed cells into owned values, and lends owned values
// back as cells (valid while `row` lives).
OwnedRow own_row(std::span<const Cell> row);
std::vector<Cell> borrow_row(const OwnedRow& row);

struct MemoryTable {
  Schema schema;
  std::vector<OwnedRow> rows;
  bool finished = false;
};

class MemoryTableSink : public TableSink {
 public:
  std::unique_ptr<TableWriter> open(const Schema& schema) override;
  std::string extension() const override { return "memory"; }
  // Tables by name; valid as long as the sink lives.
  const MemoryTable& table(const std::string& name) const { return *tables_.at(name); }
  bool has(const std::string& name) const { return tables_.count(name) != 0; }

 private:
  std::map<std::string, std::shared_ptr<MemoryTable>> tables_;
};

}  // namespace marquee::table

#include "table/memory_sink.hpp"

#include <stdexcept>

namespace marquee::table {
namespace {

OwnedCell own(const Cell& cell) {
  return std::visit(
      [](const auto& v) -> OwnedCell {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string_view>) {
          return std::string(v);
        } else {
          return v;
        }
      },
      cell);
}

}  // namespace

OwnedRow own_row(std::span<const Cell> row) {
  OwnedRow owned;
  owned.reserve(row.size());
  for (const Cell& cell : row) owned.push_back(own(cell));
  return owned;
}

std::vector<Cell> borrow_row(const OwnedRow& row) {
  std::vector<Cell> cells;
  cells.reserve(row.size());
  for (const OwnedCell& cell : row) {
    cells.push_back(std::visit(
        [](const auto& v) -> Cell {
          if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::string>) {
            return std::string_view(v);
          } else {
            return v;
          }
        },
        cell));
  }
  return cells;
}

namespace {

class MemoryTableWriter : public TableWriter {
 public:
  explicit MemoryTableWriter(std::shared_ptr<MemoryTable> table) : table_(std::move(table)) {}
  void write_row(std::span<const Cell> row) override {
    check_row(table_->schema, row);
    if (table_->finished) throw std::logic_error("write_row after finish: " + table_->schema.name);
    table_->rows.push_back(own_row(row));
  }
  void finish() override { table_->finished = true; }
  std::uint64_t rows_written() const override { return table_->rows.size(); }
  const Schema& schema() const override { return table_->schema; }

 private:
  std::shared_ptr<MemoryTable> table_;
};

}  // namespace

std::unique_ptr<TableWriter> MemoryTableSink::open(const Schema& schema) {
  auto table = std::make_shared<MemoryTable>();
  table->schema = schema;
  tables_[schema.name] = table;
  return std::make_unique<MemoryTableWriter>(table);
}

}  // namespace marquee::table

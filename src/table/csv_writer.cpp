#include "table/csv_writer.hpp"

#include <charconv>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include "common/atomic_file.hpp"

namespace marquee::table {
namespace {

template <typename T>
void append_number(std::string& out, T value) {
  char buf[32];
  out.append(buf, std::to_chars(buf, buf + sizeof buf, value).ptr);
}

void append_date(std::string& out, std::int32_t days) {
  int y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  fmt::format_to(std::back_inserter(out), "{:04d}-{:02d}-{:02d}", y, m, d);
}

bool needs_quotes(std::string_view s) {
  return s.empty() || s.find_first_of(",\"\r\n") != std::string_view::npos;
}

void append_quoted(std::string& out, std::string_view s) {
  out += '"';
  for (const char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

class CsvTableWriter : public TableWriter {
 public:
  CsvTableWriter(const std::filesystem::path& path, const Schema& schema)
      : schema_(schema), file_(path) {
    for (std::size_t i = 0; i < schema_.columns.size(); ++i) {
      if (i) line_ += ',';
      line_ += schema_.columns[i].name;
    }
    line_ += '\n';
    file_.write(line_);
  }

  void write_row(std::span<const Cell> row) override {
    check_row(schema_, row);
    line_.clear();
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i) line_ += ',';
      if (const auto* s = std::get_if<std::string_view>(&row[i]); s && needs_quotes(*s)) {
        append_quoted(line_, *s);
      } else {
        append_cell_text(line_, row[i], schema_.columns[i].type);
      }
    }
    line_ += '\n';
    file_.write(line_);
    ++rows_;
  }

  void finish() override { file_.commit(); }
  std::uint64_t rows_written() const override { return rows_; }
  const Schema& schema() const override { return schema_; }

 private:
  Schema schema_;
  AtomicFile file_;
  std::string line_;
  std::uint64_t rows_ = 0;
};

}  // namespace

void append_cell_text(std::string& out, const Cell& cell, Type type) {
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, Null>) {
        } else if constexpr (std::is_same_v<T, bool>) {
          out += v ? "true" : "false";
        } else if constexpr (std::is_same_v<T, std::string_view>) {
          out += v;
        } else if constexpr (std::is_same_v<T, std::int32_t>) {
          if (type == Type::Date) {
            append_date(out, v);
          } else {
            append_number(out, v);
          }
        } else {
          append_number(out, v);
        }
      },
      cell);
}

CsvTableSink::CsvTableSink(std::filesystem::path directory) : directory_(std::move(directory)) {}

std::unique_ptr<TableWriter> CsvTableSink::open(const Schema& schema) {
  return std::make_unique<CsvTableWriter>(directory_ / (schema.name + ".csv"), schema);
}

}  // namespace marquee::table

#include "table/schema.hpp"

#include <stdexcept>

#include "table/cell.hpp"
#include "table/table_writer.hpp"

#include "marquee/version.hpp"

namespace marquee::table {

std::string_view type_name(Type type) {
  switch (type) {
    case Type::Int32: return "int32";
    case Type::Int64: return "int64";
    case Type::Double: return "double";
    case Type::Bool: return "bool";
    case Type::String: return "string";
    case Type::Date: return "date";
  }
  return "unknown";
}

std::size_t Schema::index_of(std::string_view column) const {
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == column) return i;
  }
  throw std::out_of_range("table " + name + " has no column " + std::string(column));
}

void check_row(const Schema& schema, std::span<const Cell> row) {
  if (row.size() != schema.columns.size()) {
    throw std::invalid_argument("table " + schema.name + ": row has " + std::to_string(row.size()) +
                                " cells, schema has " + std::to_string(schema.columns.size()));
  }
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (!cell_matches(row[i], schema.columns[i])) {
      throw std::invalid_argument("table " + schema.name + ", column " + schema.columns[i].name +
                                  ": cell does not match type " +
                                  std::string(type_name(schema.columns[i].type)) +
                                  (schema.columns[i].nullable ? "" : " (not nullable)"));
    }
  }
}

FileMetadata marquee_file_metadata(const std::string& run_id, const std::string& input_sha256) {
  return {{"marquee.version", kVersion},
          {"marquee.schema_version", std::to_string(kSchemaVersion)},
          {"marquee.run_id", run_id},
          {"marquee.input_sha256", input_sha256}};
}

}  // namespace marquee::table

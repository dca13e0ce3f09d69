#include "parquet/schema_mapping.hpp"

#include "parquet/error.hpp"

namespace marquee::parquet {

using format::LogicalType;
using format::PhysicalType;
using format::SchemaElement;

format::PhysicalType physical_type_of(table::Type type) {
  switch (type) {
    case table::Type::Int32:
    case table::Type::Date: return PhysicalType::Int32;
    case table::Type::Int64: return PhysicalType::Int64;
    case table::Type::Double: return PhysicalType::Double;
    case table::Type::Bool: return PhysicalType::Boolean;
    case table::Type::String: return PhysicalType::ByteArray;
  }
  return PhysicalType::ByteArray;
}

std::vector<SchemaElement> to_parquet_schema(const table::Schema& schema) {
  std::vector<SchemaElement> elements;
  SchemaElement root;
  root.name = schema.name;
  root.num_children = static_cast<std::int32_t>(schema.columns.size());
  elements.push_back(root);
  for (const table::Column& column : schema.columns) {
    SchemaElement leaf;
    leaf.name = column.name;
    leaf.type = physical_type_of(column.type);
    leaf.repetition = column.nullable ? format::Repetition::Optional : format::Repetition::Required;
    if (column.type == table::Type::String) {
      leaf.converted_type = format::kConvertedUtf8;  // for readers that predate logicalType
      leaf.logical_type = LogicalType{.kind = LogicalType::kString};
    } else if (column.type == table::Type::Date) {
      leaf.converted_type = format::kConvertedDate;
      leaf.logical_type = LogicalType{.kind = LogicalType::kDate};
    }
    elements.push_back(leaf);
  }
  return elements;
}

namespace {

[[noreturn]] void unsupported(const SchemaElement& e, const std::string& feature) {
  throw ParquetError("column '" + e.name + "': unsupported " + feature);
}

bool is(const SchemaElement& e, std::int16_t logical, std::int32_t converted) {
  return (e.logical_type && e.logical_type->kind == logical) || (e.converted_type && *e.converted_type == converted);
}

void check_annotations_allowed(const SchemaElement& e, std::int16_t logical, std::int32_t converted) {
  if (e.logical_type && e.logical_type->kind != logical) {
    unsupported(e, "logical type (LogicalType member " + std::to_string(e.logical_type->kind) + ")");
  }
  if (e.converted_type && *e.converted_type != converted) {
    unsupported(e, "converted type " + std::to_string(*e.converted_type));
  }
}

// INT32/INT64 may carry INTEGER(bitWidth of the physical type, signed) or
// INT_32/INT_64; anything narrower or unsigned would need range checks.
void check_plain_integer(const SchemaElement& e, int bits, std::int32_t converted) {
  if (e.logical_type && !(e.logical_type->kind == LogicalType::kInteger &&
                          e.logical_type->integer_bit_width == bits && e.logical_type->integer_signed)) {
    unsupported(e, "logical type on INT" + std::to_string(bits) + " (LogicalType member " +
                       std::to_string(e.logical_type->kind) + ")");
  }
  if (e.converted_type && *e.converted_type != converted) {
    unsupported(e, "converted type " + std::to_string(*e.converted_type) + " on INT" + std::to_string(bits));
  }
}

table::Type table_type_of(const SchemaElement& e) {
  switch (*e.type) {
    case PhysicalType::Boolean:
      check_annotations_allowed(e, 0, -1);
      return table::Type::Bool;
    case PhysicalType::Int32:
      if (is(e, LogicalType::kDate, format::kConvertedDate)) {
        check_annotations_allowed(e, LogicalType::kDate, format::kConvertedDate);
        return table::Type::Date;
      }
      check_plain_integer(e, 32, format::kConvertedInt32);
      return table::Type::Int32;
    case PhysicalType::Int64:
      check_plain_integer(e, 64, format::kConvertedInt64);
      return table::Type::Int64;
    case PhysicalType::Double:
      check_annotations_allowed(e, 0, -1);
      return table::Type::Double;
    case PhysicalType::ByteArray:
      if (!is(e, LogicalType::kString, format::kConvertedUtf8)) unsupported(e, "BYTE_ARRAY without STRING annotation");
      check_annotations_allowed(e, LogicalType::kString, format::kConvertedUtf8);
      return table::Type::String;
    default:
      unsupported(e, "physical type " + std::string(format::physical_type_name(*e.type)) + " (" +
                         std::to_string(static_cast<int>(*e.type)) + ")");
  }
}

}  // namespace

table::Schema from_parquet_schema(const std::vector<SchemaElement>& elements, std::string table_name) {
  if (elements.empty()) throw ParquetError("schema has no root element");
  const SchemaElement& root = elements.front();
  if (root.type) throw ParquetError("schema root is not a group");
  if (elements.size() == 1) throw ParquetError("schema has no columns");
  const std::int64_t children = root.num_children.value_or(0);
  if (children != static_cast<std::int64_t>(elements.size()) - 1) {
    // Fewer children than elements means some are nested inside groups.
    throw ParquetError("unsupported nested schema (root has " + std::to_string(children) + " children, " +
                       std::to_string(elements.size() - 1) + " elements follow)");
  }
  table::Schema schema;
  schema.name = std::move(table_name);
  for (std::size_t i = 1; i < elements.size(); ++i) {
    const SchemaElement& e = elements[i];
    if (!e.type || (e.num_children && *e.num_children != 0)) unsupported(e, "nested group");
    if (!e.repetition) throw ParquetError("column '" + e.name + "' has no repetition type");
    if (*e.repetition == format::Repetition::Repeated) unsupported(e, "repeated field");
    if (*e.repetition != format::Repetition::Required && *e.repetition != format::Repetition::Optional) {
      unsupported(e, "repetition type " + std::to_string(static_cast<int>(*e.repetition)));
    }
    schema.columns.push_back(table::Column{
        .name = e.name, .type = table_type_of(e), .nullable = *e.repetition == format::Repetition::Optional});
  }
  return schema;
}

}  // namespace marquee::parquet

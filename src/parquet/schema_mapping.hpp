#pragma once
// table::Schema <-> Parquet schema elements. A table is a flat list of
// columns: a root group, then one REQUIRED or OPTIONAL leaf per column.
#include <string>
#include <vector>

#include "parquet/metadata.hpp"
#include "table/schema.hpp"

namespace marquee::parquet {

format::PhysicalType physical_type_of(table::Type type);

// Root element (named after the table) followed by one leaf per column:
// String -> BYTE_ARRAY + STRING (UTF8), Date -> INT32 + DATE, others plain.
std::vector<format::SchemaElement> to_parquet_schema(const table::Schema& schema);

// The table a file's schema describes. Throws ParquetError naming the
// column and the feature for anything Marquee does not read: nested or
// repeated fields, FLOAT/INT96/FIXED_LEN_BYTE_ARRAY, unannotated binary,
// and logical types other than STRING, DATE and signed INTEGER of the
// physical width.
table::Schema from_parquet_schema(const std::vector<format::SchemaElement>& elements, std::string table_name);

}  // namespace marquee::parquet

#pragma once
// SQLite's record format (https://www.sqlite.org/fileformat2.html, "Record
// Format") for the run-file writer: how a table::Cell is stored in a column
// of a given declared type, the record bytes, and a sort key whose byte
// order (memcmp) is SQLite's order of the same values. Knows no B-trees.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "table/cell.hpp"
#include "table/schema.hpp"

namespace marquee::store::sqlite_file {

// A column's type affinity, from its declared type (SQLite's "Datatypes In
// SQLite", section 3.1).
enum class Affinity { Integer, Text, Blob, Real, Numeric };
Affinity affinity_of(std::string_view declared_type);

// What a value of one table::Type becomes in a column of one affinity, as
// SQLite's insert would store it.
enum class Storage {
  Integer,         // int64 (Int32, Int64, Bool)
  Real,            // IEEE double
  IntegralToInt,   // a double, stored as an integer when it is one exactly (NUMERIC, INTEGER, REAL)
  IntegerAsReal,   // an integer in a REAL column: the double it converts to, then as IntegralToInt
  Text,            // UTF-8 (String, Date as YYYY-MM-DD), U+0000 replaced by U+FFFD
};

// Throws DatabaseError naming `where` for a pairing where SQLite converts
// the value in a way this writer does not reproduce (text into a numeric
// column, numbers into a TEXT column): the writer refuses rather than store
// something SQLite would not.
Storage storage_of(table::Type type, Affinity affinity, std::string_view where);

// One stored column of a record: which cell of the row it takes (npos: none,
// always NULL; kRowid: the row's rowid) and how.
struct RecordColumn {
  static constexpr std::size_t kAbsent = static_cast<std::size_t>(-1);
  static constexpr std::size_t kRowid = static_cast<std::size_t>(-2);
  std::size_t cell = kAbsent;
  Storage storage = Storage::Integer;
  bool nocase = false;    // sort key only: COLLATE NOCASE
  bool nullable = true;   // false: NOT NULL (the writer checks it), and its sort key needs no type byte
};

void put_varint(std::string& out, std::uint64_t value);
std::size_t varint_size(std::uint64_t value);

// Appends the record of `columns` taken from `row` (rowid for kRowid).
void append_record(std::string& out, std::span<const table::Cell> row, std::int64_t rowid,
                   std::span<const RecordColumn> columns);

// Appends a sort key of `columns` whose memcmp order is SQLite's order of
// the same values under BINARY (or NOCASE) collation, NULL first. A column
// holds one kind of value (its storage), so numbers and text never meet. Returns whether any of them is NULL (UNIQUE ignores
// such keys). Key columns must be Integer, Real or Text storage.
bool append_sort_key(std::string& out, std::span<const table::Cell> row, std::int64_t rowid,
                     std::span<const RecordColumn> columns);

}  // namespace marquee::store::sqlite_file

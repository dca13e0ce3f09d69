#pragma once
#include <cstdint>
#include <span>
#include <string_view>

namespace marquee::csv {

// One logical CSV record. Views are valid until the reader's next call.
struct Record {
  std::uint64_t line = 0;         // physical line (1-based) where it starts
  std::uint64_t end_line = 0;     // physical line where it ends
  std::uint64_t byte_offset = 0;  // offset of its first byte in the input
  std::string_view raw;           // its raw bytes, without the final line end
  std::span<const std::string_view> fields;  // unquoted, unescaped values
  // Set when this record was joined from two physical records (see
  // reader.hpp): `second_line` is where the second part started.
  bool repaired = false;
  std::uint64_t second_line = 0;
};

enum class InvalidKind {
  FieldCount,        // wrong number of fields, even after trying a repair
  UnterminatedQuote, // a quote that does not close before end of input
  RecordTooLarge,    // a record longer than ReaderOptions::max_record_bytes
};

// What the reader gave up. FieldCount and UnterminatedQuote within the size
// limit: only the first physical line of the unusable record, and reading
// resumes at the next line (resync). RecordTooLarge: the whole record, found
// by following the quote state, and reading resumes after it. An oversized
// record whose quote is still open at the end of input is UnterminatedQuote
// with to_end_of_input set: everything from `line` on was inside it.
struct InvalidRecord {
  InvalidKind kind;
  std::uint64_t line = 0;        // the first rejected physical line
  std::uint64_t end_line = 0;    // the last one (== line when one line)
  std::string_view raw_line;     // the first line's bytes (or its start), no line end
  std::size_t field_count = 0;   // fields found in the attempted record
  std::size_t expected_fields = 0;
  std::uint64_t record_bytes = 0;     // RecordTooLarge: the record's size, line end included
  std::size_t max_record_bytes = 0;   // the limit in force
  bool to_end_of_input = false;
};

// The one policy object for bad rows: the reader reports every rejected line
// here and carries on. Nothing is skipped without a call.
class InvalidRecordHandler {
 public:
  virtual ~InvalidRecordHandler() = default;
  virtual void on_invalid(const InvalidRecord& invalid) = 0;
};

}  // namespace marquee::csv

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
                     // (or before ReaderOptions::max_record_bytes)
};

// A rejected physical line: the reader gives up only the first physical line
// of an unusable record and resumes at the next one.
struct InvalidRecord {
  InvalidKind kind;
  std::uint64_t line = 0;        // the rejected physical line
  std::string_view raw_line;     // its bytes, without the line end
  std::size_t field_count = 0;   // fields found in the attempted record
  std::size_t expected_fields = 0;
};

// The one policy object for bad rows: the reader reports every rejected line
// here and carries on. Nothing is skipped without a call.
class InvalidRecordHandler {
 public:
  virtual ~InvalidRecordHandler() = default;
  virtual void on_invalid(const InvalidRecord& invalid) = 0;
};

}  // namespace marquee::csv

#pragma once
// The reader's decisions about bad rows, as a pure function of the bytes at
// hand: what comes first in a span -- blank lines, a record, a repaired pair
// of records, a rejected line -- or that more bytes are needed. The streaming
// Reader applies steps to its window one after the other; a parallel reader
// (issue 6) can apply them to chunks, since a step needs nothing but bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "csv/record.hpp"
#include "csv/scanner.hpp"

namespace marquee::csv {

struct StepRules {
  Dialect dialect;
  // Fields a record must have; 0 accepts any count (used for the header).
  std::size_t expected_fields = 0;
  // A record, line ends included, may span at most this many bytes.
  std::size_t max_record_bytes = 1 << 20;
  bool repair_split_records = true;
};

enum class StepKind : std::uint8_t {
  Blank,     // one or more blank lines
  Record,    // a record with the expected field count, fields in `first`
  Joined,    // a repaired record: parts in `first` and `second` (see reader.hpp)
  Rejected,  // the first physical line of an unusable record
  NeedMore,  // the span is too short to decide: retry with more bytes
  End,       // nothing left in the input
};

// Offsets are relative to the span's start; line numbers are relative to the
// physical line the span starts on (0 = that line).
struct Step {
  StepKind kind = StepKind::End;
  std::size_t next = 0;            // bytes covered by the step: consume them
  std::uint64_t line_breaks = 0;   // line feeds within those bytes
  // Record / Joined: the raw bytes [0, content_end), final line end excluded.
  // Rejected: the rejected line's bytes [0, content_end). RecordTooLarge:
  // `next` is 0 and the caller skips the record (RecordSkipper).
  std::size_t content_end = 0;
  std::uint64_t end_line = 0;      // Record / Joined: line of the last byte
  // Joined: the bytes [gap_begin, gap_end) separate the two parts (the line
  // break, kept inside the joined field); second_line is where part two starts.
  std::size_t gap_begin = 0;
  std::size_t gap_end = 0;
  std::uint64_t second_line = 0;
  // Rejected:
  InvalidKind invalid_kind = InvalidKind::FieldCount;
  std::size_t field_count = 0;
};

// Decides the step at the start of `bytes`. `at_end`: the span reaches the
// end of input. Field slices of the records go to `first` / `second`.
// Never returns NeedMore when `at_end` is set.
Step next_step(std::string_view bytes, bool at_end, const StepRules& rules, std::vector<FieldSlice>& first,
               std::vector<FieldSlice>& second);

}  // namespace marquee::csv

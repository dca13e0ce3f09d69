#pragma once
// The pure core of the CSV reader: finds the extent and fields of ONE record
// in a byte span, without I/O, allocation policy or line bookkeeping. Because
// it only looks at the bytes it is given, callers can run it anywhere: the
// streaming Reader over its window, or (issue 6) worker threads over chunks.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace marquee::csv {

struct Dialect {
  char delimiter = ',';
  char quote = '"';
};

// Where one field sits in the scanned span.
struct FieldSlice {
  std::size_t begin = 0;  // offsets into the span given to scan_record()
  std::size_t end = 0;
  // false: [begin, end) is the value itself (quotes already stripped).
  // true: [begin, end) is the raw field, starting with its opening quote;
  // append_unescaped() turns it into the value (doubled quotes, text after the
  // closing quote).
  bool escaped = false;
};

enum class ScanOutcome : std::uint8_t {
  Record,        // a complete record
  NeedMore,      // the span ends inside the record: scan again with more bytes
  Unterminated,  // the input ends inside a quoted field
};

struct ScanResult {
  ScanOutcome outcome = ScanOutcome::NeedMore;
  // Record: the record's bytes are [offset, content_end), line end excluded;
  // the next record starts at `next`.
  std::size_t content_end = 0;
  std::size_t next = 0;
  // Record: line feeds inside quoted fields, so the record spans
  // inner_line_breaks + 1 physical lines.
  std::uint64_t inner_line_breaks = 0;
  // Record: whether a line feed ended it (false: the end of input did).
  bool ended_by_line_break = false;
  // NeedMore / Unterminated: the scan stopped inside a quoted field.
  bool quote_open = false;
};

// Scans the record starting at `offset` of `bytes` into `fields` (cleared
// first). `at_end` says that `bytes` holds everything up to the end of input,
// so a record may end there without a line end. Lines end in LF or CRLF; a CR
// not followed by LF is data. Call it only where probe_line() says Content.
ScanResult scan_record(std::string_view bytes, std::size_t offset, bool at_end, Dialect dialect,
                       std::vector<FieldSlice>& fields);

enum class LineStart : std::uint8_t {
  Content,   // a record starts here: call scan_record()
  Blank,     // an empty line (LF, CRLF, or a CR that ends the input)
  NeedMore,  // cannot tell yet: the span ends here or right after a CR
  End,       // nothing left: the span ends here and so does the input
};

struct LineProbe {
  LineStart start = LineStart::Content;
  std::size_t next = 0;  // Blank: where the following line starts
};

// Tells what starts at `offset`, so callers skip blank lines before
// scan_record().
LineProbe probe_line(std::string_view bytes, std::size_t offset, bool at_end);

// Appends the value of an escaped field (see FieldSlice) to `out`.
void append_unescaped(std::string_view raw_field, char quote, std::string& out);

}  // namespace marquee::csv

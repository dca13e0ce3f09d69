#pragma once
// Streaming RFC 4180 reader with repair and resync.
//
// - Quoted fields may hold commas, doubled quotes and line breaks (LF, CRLF).
// - Lines end in LF or CRLF; a UTF-8 BOM at the start is skipped; blank lines
//   are skipped (but counted for line numbers).
// - A quote inside an unquoted field is a literal character; text after a
//   closing quote and before the delimiter is kept literally (as Python's csv
//   module does).
// - Repair: a record with n1 fields (2 <= n1 < header width) followed by one
//   with n2 fields where n1 + n2 - 1 == header width is joined into one: the
//   last field of the first and the first field of the second become one field
//   with the original line break kept between them. Record::repaired is set.
// - Resync: a record that is still unusable (wrong field count, or a quote that
//   never closes) costs only its first physical line. That line goes to the
//   InvalidRecordHandler and reading resumes at the next physical line.
// - A record over max_record_bytes is rejected whole (RecordTooLarge) and
//   reading resumes after its end, found by following the quote state without
//   holding its bytes: text inside a long quoted field never becomes records.
//   Only a quote still open at the end of the input is unterminated.
// Memory is bounded by block_size + max_record_bytes, whatever the input size.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "csv/options.hpp"
#include "csv/record.hpp"
#include "input/byte_source.hpp"

namespace marquee::csv {

enum class ReadResult { Record, Rejected, End };

class Reader {
 public:
  // Reads the header at once. Throws marquee::InputError naming the source if
  // the input is empty (no header line).
  Reader(input::ByteSource& source, InvalidRecordHandler& handler, ReaderOptions options = {});
  ~Reader();
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  const std::vector<std::string>& header() const;
  // Physical line count of the header record (normally 1).
  std::uint64_t header_line() const;

  // Next valid record (header width fields); false at end of input.
  bool next(Record& record);
  // One step at a time: a record, one rejection reported to the handler, or
  // the end. Callers that gather rejections use it to bound what they hold
  // between two records.
  ReadResult read(Record& record);

  // Bytes consumed from the source so far (for progress).
  std::uint64_t bytes_read() const;
  // Bytes allocated for the input buffer: at most block_size +
  // max_record_bytes (tests and the fuzz target check that bound).
  std::size_t buffer_capacity() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace marquee::csv

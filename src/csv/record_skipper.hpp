#pragma once
// Finds where a record ends without holding it: the reader's way past a record
// larger than ReaderOptions::max_record_bytes. It follows the same quote rules
// as scan_record() (a quote opens a field only at the field's start; a doubled
// quote inside is data; after the closing quote the field goes on unquoted),
// so reading resumes exactly where scan_record() would have ended the record,
// never inside it, whatever the record's size. State is carried from one feed
// to the next, so bytes can be dropped as soon as they are fed.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "csv/scanner.hpp"

namespace marquee::csv {

class RecordSkipper {
 public:
  explicit RecordSkipper(Dialect dialect) : dialect_(dialect) {}

  struct Fed {
    std::size_t consumed = 0;  // bytes of the span that belong to the record
    bool ended = false;        // the record's closing line feed was among them
  };

  // Feeds the next bytes of the record (from its first byte on).
  Fed feed(std::string_view bytes);

  // Line feeds fed so far, the closing one included.
  std::uint64_t line_feeds() const { return line_feeds_; }
  // Physical lines the record's bytes so far end after (a final line feed
  // ends a line rather than starting one).
  std::uint64_t last_line_offset() const { return line_feeds_ - (ends_with_line_feed_ ? 1 : 0); }
  // At the end of input: whether the record stopped inside a quoted field.
  bool quote_open() const { return state_ == State::Quoted; }

 private:
  enum class State : std::uint8_t {
    FieldStart,   // at the first byte of a field
    Unquoted,     // in an unquoted field, or the tail after a closing quote
    Quoted,       // inside quotes
    QuoteInQuoted,  // just after a quote inside quotes: closing, or doubled
  };

  Fed advance(std::string_view bytes);

  Dialect dialect_;
  State state_ = State::FieldStart;
  std::uint64_t line_feeds_ = 0;
  bool ends_with_line_feed_ = false;
};

}  // namespace marquee::csv

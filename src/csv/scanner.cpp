#include "csv/scanner.hpp"

#include <cstring>

namespace marquee::csv {
namespace {

// Deliberate hand-written hot path: every byte of the input passes through the
// loops below, so they lean on memchr (vectorized in glibc) to jump from one
// interesting byte to the next instead of branching per byte. Invariant kept
// throughout: `line_end_` is the first LF at or after the scan position (or
// the span's end when there is none).
class RecordScanner {
 public:
  RecordScanner(std::string_view bytes, bool at_end, Dialect dialect, std::vector<FieldSlice>& fields)
      : data_(bytes.data()), size_(bytes.size()), at_end_(at_end), dialect_(dialect), fields_(fields) {}

  ScanResult scan(std::size_t offset) {
    fields_.clear();
    std::size_t pos = offset;
    line_end_ = find_line_feed(pos);
    for (;;) {
      if (pos < size_ && data_[pos] == dialect_.quote) {
        if (!scan_quoted(pos)) return result_;
      } else {
        if (!scan_unquoted(pos, pos, false)) return result_;
      }
      if (result_.outcome == ScanOutcome::Record) return result_;
    }
  }

 private:
  std::size_t find_line_feed(std::size_t from) const {
    if (from >= size_) return size_;
    const void* found = std::memchr(data_ + from, '\n', size_ - from);
    return found ? static_cast<std::size_t>(static_cast<const char*>(found) - data_) : size_;
  }

  const char* find(char byte, std::size_t from, std::size_t to) const {
    if (from >= to) return nullptr;
    return static_cast<const char*>(std::memchr(data_ + from, byte, to - from));
  }

  bool stop(ScanOutcome outcome, bool quote_open) {
    result_.outcome = outcome;
    result_.quote_open = quote_open;
    return false;
  }

  // Ends the record with the field [field_begin, ...) that runs to the line
  // end; `data_begin` is where its unquoted bytes start (a CR before the LF is
  // part of the line end only if it is outside quotes).
  void finish_record(std::size_t field_begin, std::size_t data_begin, bool escaped) {
    std::size_t end = line_end_;
    if (end > data_begin && data_[end - 1] == '\r') --end;
    fields_.push_back({field_begin, end, escaped});
    end_record_at(end);
  }

  // An unquoted field, or the tail of a quoted one after its closing quote
  // (then field_begin is the opening quote and data_begin the tail). Quotes in
  // here are literal. Returns false when the scan stops without a record.
  bool scan_unquoted(std::size_t& pos, std::size_t field_begin, bool escaped) {
    const std::size_t data_begin = pos;
    if (const char* delimiter = find(dialect_.delimiter, pos, line_end_)) {
      const auto at = static_cast<std::size_t>(delimiter - data_);
      fields_.push_back({field_begin, at, escaped});
      pos = at + 1;
      return true;
    }
    if (line_end_ == size_ && !at_end_) return stop(ScanOutcome::NeedMore, false);
    finish_record(field_begin, data_begin, escaped);
    return true;
  }

  bool scan_quoted(std::size_t& pos) {
    const std::size_t open = pos;
    std::size_t cursor = open + 1;
    bool escaped = false;
    std::size_t close = 0;
    for (;;) {
      const char* quote = find(dialect_.quote, cursor, size_);
      if (quote == nullptr) return stop(at_end_ ? ScanOutcome::Unterminated : ScanOutcome::NeedMore, true);
      close = static_cast<std::size_t>(quote - data_);
      count_line_feeds_before(close);
      // A quote as the last byte may be the first half of a doubled quote.
      if (close + 1 == size_ && !at_end_) return stop(ScanOutcome::NeedMore, true);
      if (close + 1 < size_ && data_[close + 1] == dialect_.quote) {
        escaped = true;
        cursor = close + 2;
        continue;
      }
      break;
    }
    const std::size_t after = close + 1;
    const FieldSlice slice = escaped ? FieldSlice{open, after, true} : FieldSlice{open + 1, close, false};
    if (after == size_) {  // the input ends right after the closing quote
      line_end_ = size_;
      fields_.push_back(slice);
      end_record_at(after);
      return true;
    }
    const char next = data_[after];
    if (next == dialect_.delimiter) {
      fields_.push_back(slice);
      pos = after + 1;
      return true;
    }
    const bool crlf = next == '\r' && after + 1 == line_end_ && line_end_ < size_;
    const bool cr_at_end = next == '\r' && after + 1 == size_ && at_end_;
    if (next == '\n' || crlf || cr_at_end) {
      fields_.push_back(slice);
      end_record_at(after);
      return true;
    }
    // Text after the closing quote is kept literally, as Python's csv does.
    pos = after;
    return scan_unquoted(pos, open, true);
  }

  void end_record_at(std::size_t content_end) {
    result_.outcome = ScanOutcome::Record;
    result_.content_end = content_end;
    result_.ended_by_line_break = line_end_ < size_;
    result_.next = result_.ended_by_line_break ? line_end_ + 1 : size_;
  }

  // Line feeds before `limit` are inside quotes: count them, and move
  // line_end_ to the first one at or after `limit`.
  void count_line_feeds_before(std::size_t limit) {
    while (line_end_ < limit) {
      ++result_.inner_line_breaks;
      line_end_ = find_line_feed(line_end_ + 1);
    }
  }

  const char* data_;
  std::size_t size_;
  bool at_end_;
  Dialect dialect_;
  std::vector<FieldSlice>& fields_;
  std::size_t line_end_ = 0;
  ScanResult result_;
};

}  // namespace

ScanResult scan_record(std::string_view bytes, std::size_t offset, bool at_end, Dialect dialect,
                       std::vector<FieldSlice>& fields) {
  return RecordScanner(bytes, at_end, dialect, fields).scan(offset);
}

LineProbe probe_line(std::string_view bytes, std::size_t offset, bool at_end) {
  if (offset >= bytes.size()) return {at_end ? LineStart::End : LineStart::NeedMore, offset};
  const char first = bytes[offset];
  if (first == '\n') return {LineStart::Blank, offset + 1};
  if (first != '\r') return {LineStart::Content, offset};
  if (offset + 1 == bytes.size()) return {at_end ? LineStart::Blank : LineStart::NeedMore, offset + 1};
  if (bytes[offset + 1] == '\n') return {LineStart::Blank, offset + 2};
  return {LineStart::Content, offset};
}

void append_unescaped(std::string_view raw_field, char quote, std::string& out) {
  std::size_t cursor = 1;  // past the opening quote
  for (;;) {
    const std::size_t close = raw_field.find(quote, cursor);
    if (close == std::string_view::npos) {  // unterminated: only seen in rejected records
      out.append(raw_field.substr(cursor));
      return;
    }
    out.append(raw_field.substr(cursor, close - cursor));
    if (close + 1 < raw_field.size() && raw_field[close + 1] == quote) {
      out.push_back(quote);
      cursor = close + 2;
      continue;
    }
    out.append(raw_field.substr(close + 1));  // literal text after the closing quote
    return;
  }
}

}  // namespace marquee::csv

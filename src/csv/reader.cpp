#include "csv/reader.hpp"

#include <algorithm>
#include <cstring>
#include <string>
#include <stdexcept>

#include <fmt/format.h>

#include "common/error.hpp"
#include "csv/byte_window.hpp"
#include "csv/record_skipper.hpp"
#include "csv/record_step.hpp"
#include "csv/scanner.hpp"

namespace marquee::csv {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

void check_options(const ReaderOptions& options) {
  const auto special = [](char c) { return c == '\n' || c == '\r'; };
  if (options.block_size == 0 || options.max_record_bytes == 0 || options.max_record_bytes > kMaxRecordBytesCeiling ||
      options.delimiter == options.quote ||
      special(options.delimiter) || special(options.quote)) {
    throw std::invalid_argument("csv::ReaderOptions: block_size and max_record_bytes must be positive (max_record_bytes at most 1 GiB); delimiter "
                                "and quote distinct, neither CR nor LF");
  }
}

}  // namespace

struct Reader::Impl {
  Impl(input::ByteSource& source, InvalidRecordHandler& handler, const ReaderOptions& options)
      : source(source), handler(handler), window(source, options.block_size, options.max_record_bytes) {
    rules.dialect = {options.delimiter, options.quote};
    rules.max_record_bytes = options.max_record_bytes;
    rules.repair_split_records = options.repair_split_records;
  }

  // The next step that is not blank lines, filling the window as needed.
  Step next_nonblank_step() {
    for (;;) {
      const Step step = next_step(window.pending(), window.at_end(), rules, first, second);
      switch (step.kind) {
        case StepKind::NeedMore: window.fill(); break;
        case StepKind::Blank: advance(step); break;
        default: return step;
      }
    }
  }

  void advance(const Step& step) {
    window.consume(step.next);
    line += step.line_breaks;
  }

  // Skips a record over the size limit to its end, following the quote state,
  // and reports it. Only the start of its first line is kept, for the excerpt.
  void skip_too_large(const Step& step) {
    constexpr std::size_t kKeep = 1024;
    const std::string excerpt(window.pending().substr(0, std::min(step.content_end, kKeep)));
    RecordSkipper skipper(rules.dialect);
    std::uint64_t bytes = 0;
    bool ended = false;
    for (;;) {
      const RecordSkipper::Fed fed = skipper.feed(window.pending());
      window.consume(fed.consumed);
      bytes += fed.consumed;
      if (fed.ended || window.at_end()) {
        ended = fed.ended;
        break;
      }
      window.fill();
    }
    const bool unterminated = !ended && skipper.quote_open();
    handler.on_invalid(InvalidRecord{.kind = unterminated ? InvalidKind::UnterminatedQuote : InvalidKind::RecordTooLarge,
                                     .line = line,
                                     .end_line = line + skipper.last_line_offset(),
                                     .raw_line = excerpt,
                                     .field_count = step.field_count,
                                     .expected_fields = rules.expected_fields,
                                     .record_bytes = bytes,
                                     .max_record_bytes = rules.max_record_bytes,
                                     .to_end_of_input = unterminated});
    line += skipper.line_feeds();
  }

  void read_header() {
    while (window.pending().size() < kUtf8Bom.size() && !window.at_end()) window.fill();
    if (window.pending().starts_with(kUtf8Bom)) window.consume(kUtf8Bom.size());
    const Step step = next_nonblank_step();
    if (step.kind == StepKind::End) {
      throw InputError(fmt::format("{}: the input is empty (no header line)", source.name()));
    }
    if (step.kind == StepKind::Rejected) {
      throw InputError(fmt::format("{}: line {}: unusable header ({})", source.name(), line,
                                   step.invalid_kind == InvalidKind::UnterminatedQuote
                                       ? "a quote that never closes"
                                       : fmt::format("longer than the record size limit of {} bytes, "
                                                     "--max-record-bytes", rules.max_record_bytes)));
    }
    Record record;
    build(step, record);
    header.assign(record.fields.begin(), record.fields.end());
    header_end_line = record.end_line;
    advance(step);
    rules.expected_fields = header.size();
  }

  ReadResult read(Record& record) {
    const Step step = next_nonblank_step();
    if (step.kind == StepKind::End) return ReadResult::End;
    if (step.kind == StepKind::Rejected) {
      if (step.invalid_kind == InvalidKind::RecordTooLarge) {
        skip_too_large(step);
      } else {
        report(step);
        advance(step);
      }
      return ReadResult::Rejected;
    }
    build(step, record);
    advance(step);
    return ReadResult::Record;
  }

  void report(const Step& step) {
    InvalidRecord invalid{.kind = step.invalid_kind,
                          .line = line,
                          .end_line = line,
                          .raw_line = window.pending().substr(0, step.content_end),
                          .field_count = step.field_count,
                          .expected_fields = rules.expected_fields,
                          .max_record_bytes = rules.max_record_bytes};
    handler.on_invalid(invalid);
  }

  // Turns a Record or Joined step into views over the window (or, for
  // unescaped values, over `scratch`).
  void build(const Step& step, Record& record) {
    const std::string_view bytes = window.pending();
    // Unescaped values are never longer than the raw record, so reserving
    // that much up front keeps the views into `scratch` from dangling.
    scratch.clear();
    scratch.reserve(step.content_end);
    fields.clear();
    if (step.kind == StepKind::Joined) {
      add_fields(bytes, first, 0, first.size() - 1);
      fields.push_back(joined_field(bytes, step));
      add_fields(bytes, second, 1, second.size());
    } else {
      add_fields(bytes, first, 0, first.size());
    }
    record.line = line;
    record.end_line = line + step.end_line;
    record.byte_offset = window.offset();
    record.raw = bytes.substr(0, step.content_end);
    record.fields = fields;
    record.repaired = step.kind == StepKind::Joined;
    record.second_line = record.repaired ? line + step.second_line : 0;
  }

  void add_fields(std::string_view bytes, const std::vector<FieldSlice>& slices, std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) fields.push_back(value(bytes, slices[i]));
  }

  std::string_view value(std::string_view bytes, const FieldSlice& slice) {
    if (!slice.escaped) return bytes.substr(slice.begin, slice.end - slice.begin);
    const std::size_t start = scratch.size();
    append_value(bytes, slice);
    return std::string_view(scratch).substr(start);
  }

  void append_value(std::string_view bytes, const FieldSlice& slice) {
    const std::string_view raw = bytes.substr(slice.begin, slice.end - slice.begin);
    if (slice.escaped) {
      append_unescaped(raw, rules.dialect.quote, scratch);
    } else {
      scratch.append(raw);
    }
  }

  // The last field of part one, the line break between the parts, and the
  // first field of part two, as one field.
  std::string_view joined_field(std::string_view bytes, const Step& step) {
    const FieldSlice& tail = first.back();
    const FieldSlice& head = second.front();
    if (!tail.escaped && !head.escaped && tail.end == step.gap_begin && head.begin == step.gap_end) {
      return bytes.substr(tail.begin, head.end - tail.begin);  // contiguous in the input already
    }
    const std::size_t start = scratch.size();
    append_value(bytes, tail);
    scratch.append(bytes.substr(step.gap_begin, step.gap_end - step.gap_begin));
    append_value(bytes, head);
    return std::string_view(scratch).substr(start);
  }

  input::ByteSource& source;
  InvalidRecordHandler& handler;
  ByteWindow window;
  StepRules rules;
  std::uint64_t line = 1;  // physical line where window.pending() starts
  std::vector<std::string> header;
  std::uint64_t header_end_line = 0;
  std::vector<FieldSlice> first;
  std::vector<FieldSlice> second;
  std::vector<std::string_view> fields;
  std::string scratch;
};

Reader::Reader(input::ByteSource& source, InvalidRecordHandler& handler, ReaderOptions options) {
  check_options(options);
  impl_ = std::make_unique<Impl>(source, handler, options);
  impl_->read_header();
}

Reader::~Reader() = default;

const std::vector<std::string>& Reader::header() const { return impl_->header; }
std::uint64_t Reader::header_line() const { return impl_->header_end_line; }
ReadResult Reader::read(Record& record) { return impl_->read(record); }
bool Reader::next(Record& record) {
  for (;;) {
    switch (impl_->read(record)) {
      case ReadResult::Record: return true;
      case ReadResult::End: return false;
      case ReadResult::Rejected: break;
    }
  }
}
std::uint64_t Reader::bytes_read() const { return impl_->window.bytes_read(); }
std::size_t Reader::buffer_capacity() const { return impl_->window.capacity(); }

}  // namespace marquee::csv

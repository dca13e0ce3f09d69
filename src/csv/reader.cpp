#include "csv/reader.hpp"

#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include "common/error.hpp"
#include "csv/byte_window.hpp"
#include "csv/record_step.hpp"
#include "csv/scanner.hpp"

namespace marquee::csv {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

void check_options(const ReaderOptions& options) {
  const auto special = [](char c) { return c == '\n' || c == '\r'; };
  if (options.block_size == 0 || options.max_record_bytes == 0 || options.delimiter == options.quote ||
      special(options.delimiter) || special(options.quote)) {
    throw std::invalid_argument("csv::ReaderOptions: block_size and max_record_bytes must be positive; delimiter "
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
      if (dropping_rest_of_line && !drop_rest_of_line()) return Step{.kind = StepKind::End};
      const Step step = next_step(window.pending(), window.at_end(), rules, first, second);
      switch (step.kind) {
        case StepKind::NeedMore: window.fill(); break;
        case StepKind::Blank: advance(step); break;
        default: return step;
      }
    }
  }

  // After rejecting a line too long to hold: drop bytes up to its line feed.
  // Returns false if the input ends first.
  bool drop_rest_of_line() {
    for (;;) {
      const std::string_view pending = window.pending();
      if (const void* line_feed = std::memchr(pending.data(), '\n', pending.size())) {
        window.consume(static_cast<std::size_t>(static_cast<const char*>(line_feed) - pending.data()) + 1);
        ++line;
        dropping_rest_of_line = false;
        return true;
      }
      window.consume(pending.size());
      if (window.at_end()) return false;
      window.fill();
    }
  }

  void advance(const Step& step) {
    window.consume(step.next);
    line += step.line_breaks;
    dropping_rest_of_line = step.rest_of_line_follows;
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
                                       : "longer than the record size limit"));
    }
    Record record;
    build(step, record);
    header.assign(record.fields.begin(), record.fields.end());
    header_end_line = record.end_line;
    advance(step);
    rules.expected_fields = header.size();
  }

  bool next(Record& record) {
    for (;;) {
      const Step step = next_nonblank_step();
      if (step.kind == StepKind::End) return false;
      if (step.kind == StepKind::Rejected) {
        report(step);
        advance(step);
        continue;
      }
      build(step, record);
      advance(step);
      return true;
    }
  }

  void report(const Step& step) {
    InvalidRecord invalid{.kind = step.invalid_kind,
                          .line = line,
                          .raw_line = window.pending().substr(0, step.content_end),
                          .field_count = step.field_count,
                          .expected_fields = rules.expected_fields};
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
  bool dropping_rest_of_line = false;
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
bool Reader::next(Record& record) { return impl_->next(record); }
std::uint64_t Reader::bytes_read() const { return impl_->window.bytes_read(); }

}  // namespace marquee::csv

#include "csv/record_step.hpp"

#include <cstring>

namespace marquee::csv {
namespace {

// The part of the span a record may occupy. Decisions look only at this view,
// so they are the same however the input was cut into blocks.
struct RecordView {
  std::string_view bytes;
  bool at_end = false;   // the view reaches the end of input
  bool limited = false;  // the view was cut at max_record_bytes
};

RecordView record_view(std::string_view bytes, bool at_end, std::size_t max_record_bytes) {
  // Limited only when more than the limit is at hand: a last record of
  // exactly max_record_bytes without a line end is within the limit.
  const bool limited = bytes.size() > max_record_bytes;
  return {bytes.substr(0, max_record_bytes), at_end && !limited, limited};
}

Step need_more() { return Step{.kind = StepKind::NeedMore}; }

Step blank_lines(std::string_view bytes, bool at_end) {
  Step step{.kind = StepKind::Blank};
  LineProbe probe = probe_line(bytes, 0, at_end);
  while (probe.start == LineStart::Blank) {
    step.next = probe.next;
    ++step.line_breaks;
    probe = probe_line(bytes, step.next, at_end);
  }
  return step;
}

// Resync: give up the first physical line only and resume at the next one.
// Only called for records that end within the view, so the line's end is in it.
Step reject_first_line(const RecordView& view, InvalidKind kind, std::size_t field_count) {
  Step step{.kind = StepKind::Rejected, .invalid_kind = kind, .field_count = field_count};
  const void* line_feed = std::memchr(view.bytes.data(), '\n', view.bytes.size());
  std::size_t end = view.bytes.size();
  if (line_feed != nullptr) {
    end = static_cast<std::size_t>(static_cast<const char*>(line_feed) - view.bytes.data());
    step.next = end + 1;
    step.line_breaks = 1;
  } else {
    step.next = end;
  }
  if (end > 0 && view.bytes[end - 1] == '\r') --end;
  step.content_end = end;
  return step;
}

// A record that does not end within max_record_bytes: the caller skips it
// whole (RecordSkipper). content_end covers the start of its first line, for
// the error log's excerpt.
Step reject_too_large(const RecordView& view, std::size_t field_count) {
  const void* line_feed = std::memchr(view.bytes.data(), '\n', view.bytes.size());
  std::size_t end = line_feed ? static_cast<std::size_t>(static_cast<const char*>(line_feed) - view.bytes.data())
                              : view.bytes.size();
  if (end > 0 && view.bytes[end - 1] == '\r') --end;
  return Step{.kind = StepKind::Rejected,
              .content_end = end,
              .invalid_kind = InvalidKind::RecordTooLarge,
              .field_count = field_count};
}

std::uint64_t line_breaks_of(const ScanResult& scan) {
  return scan.inner_line_breaks + (scan.ended_by_line_break ? 1 : 0);
}

Step record_step(const ScanResult& scan) {
  return Step{.kind = StepKind::Record,
              .next = scan.next,
              .line_breaks = line_breaks_of(scan),
              .content_end = scan.content_end,
              .end_line = scan.inner_line_breaks};
}

// Repair: looks for the record after `first_scan` (past blank lines) and joins
// the two when together they have exactly the expected field count. Returns
// NeedMore when the view is too short to tell, End when they do not join.
Step try_join(const RecordView& view, const ScanResult& first_scan, std::size_t first_count,
              const StepRules& rules, std::vector<FieldSlice>& second) {
  const Step no_join{.kind = StepKind::End};
  if (!first_scan.ended_by_line_break) return no_join;
  std::size_t start = first_scan.next;
  std::uint64_t second_line = line_breaks_of(first_scan);
  for (LineProbe probe = probe_line(view.bytes, start, view.at_end); probe.start != LineStart::Content;
       probe = probe_line(view.bytes, start, view.at_end)) {
    if (probe.start == LineStart::End) return no_join;
    if (probe.start == LineStart::NeedMore) return view.limited ? no_join : need_more();
    start = probe.next;
    ++second_line;
  }
  const ScanResult scan = scan_record(view.bytes, start, view.at_end, rules.dialect, second);
  if (scan.outcome == ScanOutcome::NeedMore) return view.limited ? no_join : need_more();
  if (scan.outcome != ScanOutcome::Record || first_count + second.size() - 1 != rules.expected_fields) {
    return no_join;
  }
  return Step{.kind = StepKind::Joined,
              .next = scan.next,
              .line_breaks = second_line + line_breaks_of(scan),
              .content_end = scan.content_end,
              .end_line = second_line + scan.inner_line_breaks,
              .gap_begin = first_scan.content_end,
              .gap_end = start,
              .second_line = second_line};
}

bool may_repair(std::size_t count, const StepRules& rules) {
  return rules.repair_split_records && count >= 2 && count < rules.expected_fields;
}

}  // namespace

Step next_step(std::string_view bytes, bool at_end, const StepRules& rules, std::vector<FieldSlice>& first,
               std::vector<FieldSlice>& second) {
  switch (probe_line(bytes, 0, at_end).start) {
    case LineStart::End: return Step{.kind = StepKind::End};
    case LineStart::NeedMore: return need_more();
    case LineStart::Blank: return blank_lines(bytes, at_end);
    case LineStart::Content: break;
  }
  const RecordView view = record_view(bytes, at_end, rules.max_record_bytes);
  const ScanResult scan = scan_record(view.bytes, 0, view.at_end, rules.dialect, first);
  switch (scan.outcome) {
    case ScanOutcome::NeedMore:
      return view.limited ? reject_too_large(view, first.size()) : need_more();
    case ScanOutcome::Unterminated:
      return reject_first_line(view, InvalidKind::UnterminatedQuote, first.size());
    case ScanOutcome::Record: break;
  }
  const std::size_t count = first.size();
  if (rules.expected_fields == 0 || count == rules.expected_fields) return record_step(scan);
  if (may_repair(count, rules)) {
    const Step joined = try_join(view, scan, count, rules, second);
    if (joined.kind != StepKind::End) return joined;
  }
  return reject_first_line(view, InvalidKind::FieldCount, count);
}

}  // namespace marquee::csv

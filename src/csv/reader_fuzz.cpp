// libFuzzer target over the CSV reader. The fuzz input picks small reader
// options (block_size 1..64, max_record_bytes 16..4096, dialect, repair) and
// the rest is the CSV text. Checked on every input, beyond "no crash, no
// sanitizer report":
//  - the header is refused (InputError) by both readers or by neither;
//  - every record and rejection has 1 <= line <= end_line <= physical lines,
//    and each starts after the previous one ended (so lines strictly increase);
//  - records have the header's width and their raw bytes are the input's at
//    byte_offset;
//  - the reader's buffer never exceeds block_size + max_record_bytes;
//  - a second reader with another block_size gives the same records and
//    rejections (decisions must not depend on how the input was cut);
//  - RecordSkipper, fed each record of the input in random pieces, ends
//    exactly where scan_record() ends it.
// Built with -DMARQUEE_FUZZ=ON and clang; see CMakeLists.txt for how ctest runs
// it and how to run it longer.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"
#include "csv/reader.hpp"
#include "csv/record_skipper.hpp"
#include "csv/scanner.hpp"
#include "input/byte_source.hpp"

namespace {

using namespace marquee;

[[noreturn]] void fail(const char* what, std::uint64_t a = 0, std::uint64_t b = 0) {
  std::fprintf(stderr, "csv_reader_fuzz: invariant broken: %s (%llu, %llu)\n", what,
               static_cast<unsigned long long>(a), static_cast<unsigned long long>(b));
  std::abort();
}

void check(bool ok, const char* what, std::uint64_t a = 0, std::uint64_t b = 0) {
  if (!ok) fail(what, a, b);
}

// One record or rejection, with everything that must not depend on block_size.
struct Event {
  bool rejected = false;
  int kind = 0;
  std::uint64_t line = 0;
  std::uint64_t end_line = 0;
  std::uint64_t byte_offset = 0;
  std::uint64_t second_line = 0;
  std::uint64_t record_bytes = 0;
  std::size_t field_count = 0;
  bool repaired = false;
  bool to_end_of_input = false;
  std::string raw;
  std::vector<std::string> fields;
  bool operator==(const Event&) const = default;
};

struct Collector : csv::InvalidRecordHandler {
  std::vector<Event>* events = nullptr;
  void on_invalid(const csv::InvalidRecord& invalid) override {
    events->push_back(Event{.rejected = true,
                            .kind = static_cast<int>(invalid.kind),
                            .line = invalid.line,
                            .end_line = invalid.end_line,
                            .record_bytes = invalid.record_bytes,
                            .field_count = invalid.field_count,
                            .to_end_of_input = invalid.to_end_of_input,
                            .raw = std::string(invalid.raw_line)});
  }
};

struct Outcome {
  bool refused = false;
  std::vector<std::string> header;
  std::uint64_t header_line = 0;
  std::vector<Event> events;
  bool operator==(const Outcome&) const = default;
};

std::uint64_t physical_lines(std::string_view text) {
  if (text.empty()) return 0;
  const auto feeds = static_cast<std::uint64_t>(std::count(text.begin(), text.end(), '\n'));
  return feeds + (text.back() == '\n' ? 0 : 1);
}

Outcome read_all(const std::string& text, csv::ReaderOptions options) {
  Outcome out;
  Collector collector;
  collector.events = &out.events;
  auto source = input::memory_source(text, "fuzz");
  const std::size_t bound = options.block_size + options.max_record_bytes;
  const std::uint64_t lines = physical_lines(text);
  try {
    csv::Reader reader(*source, collector, options);
    out.header = reader.header();
    out.header_line = reader.header_line();
    check(out.header_line >= 1 && out.header_line <= lines, "header line out of range", out.header_line, lines);
    std::uint64_t previous_end = out.header_line;
    std::uint64_t steps = 0;
    csv::Record record;
    for (;;) {
      const std::size_t before = out.events.size();
      const csv::ReadResult result = reader.read(record);
      check(reader.buffer_capacity() <= bound, "buffer over block_size + max_record_bytes", reader.buffer_capacity(),
            bound);
      ++steps;
      check(steps <= lines + 1, "more steps than lines", steps, lines);
      if (result == csv::ReadResult::End) {
        check(out.events.size() == before, "rejection reported at the end");
        break;
      }
      if (result == csv::ReadResult::Rejected) {
        check(out.events.size() == before + 1, "Rejected without exactly one report", out.events.size() - before);
      } else {
        check(out.events.size() == before, "a record came with a report");
        check(record.fields.size() == out.header.size(), "record width", record.fields.size(), out.header.size());
        check(record.byte_offset + record.raw.size() <= text.size() &&
                  std::string_view(text).substr(record.byte_offset, record.raw.size()) == record.raw,
              "raw bytes differ from the input at byte_offset", record.byte_offset);
        check(!record.repaired || (record.second_line > record.line && record.second_line <= record.end_line),
              "second_line outside the record", record.second_line);
        Event event{.line = record.line,
                    .end_line = record.end_line,
                    .byte_offset = record.byte_offset,
                    .second_line = record.second_line,
                    .repaired = record.repaired,
                    .raw = std::string(record.raw)};
        for (std::string_view field : record.fields) event.fields.emplace_back(field);
        out.events.push_back(std::move(event));
      }
      const Event& event = out.events.back();
      check(event.line >= 1 && event.line <= event.end_line && event.end_line <= lines, "line range",
            event.line, event.end_line);
      check(event.line > previous_end, "lines do not increase", event.line, previous_end);
      previous_end = event.end_line;
    }
    check(reader.bytes_read() == text.size(), "not all bytes read", reader.bytes_read(), text.size());
  } catch (const InputError&) {
    check(out.events.empty(), "InputError after the header");
    out = Outcome{.refused = true};
  }
  return out;
}

// Feeds every record of the text (as scan_record() delimits it) to a
// RecordSkipper in random pieces and checks both agree on its end.
void check_skipper(std::string_view text, csv::Dialect dialect, std::uint32_t seed) {
  std::minstd_rand random(seed);
  std::vector<csv::FieldSlice> fields;
  std::size_t offset = 0;
  for (;;) {
    const csv::LineProbe probe = csv::probe_line(text, offset, true);
    if (probe.start == csv::LineStart::End) return;
    if (probe.start == csv::LineStart::Blank) {
      offset = probe.next;
      continue;
    }
    check(probe.start == csv::LineStart::Content, "probe_line NeedMore at the end");
    const csv::ScanResult scan = csv::scan_record(text, offset, true, dialect, fields);
    check(scan.outcome != csv::ScanOutcome::NeedMore, "scan_record NeedMore at the end");
    csv::RecordSkipper skipper(dialect);
    std::size_t consumed = 0;
    bool ended = false;
    while (offset + consumed < text.size() && !ended) {
      const std::size_t left = text.size() - offset - consumed;
      const std::size_t piece = std::min<std::size_t>(left, 1 + random() % 24);
      const csv::RecordSkipper::Fed fed = skipper.feed(text.substr(offset + consumed, piece));
      check(fed.consumed <= piece && (fed.ended || fed.consumed == piece), "skipper stopped early");
      consumed += fed.consumed;
      ended = fed.ended;
    }
    const std::string_view rest = text.substr(offset);
    if (scan.outcome == csv::ScanOutcome::Record) {
      check(ended == scan.ended_by_line_break, "skipper and scan disagree on the end", offset);
      check(offset + consumed == (ended ? scan.next : text.size()), "skipper ends elsewhere", offset + consumed,
            scan.next);
      check(skipper.line_feeds() == scan.inner_line_breaks + (ended ? 1 : 0), "line feeds", skipper.line_feeds(),
            scan.inner_line_breaks);
      check(!skipper.quote_open(), "quote open after a record");
      offset = scan.next;
      if (!ended) return;
    } else {
      check(!ended && skipper.quote_open(), "skipper closes an unterminated quote", offset);
      check(skipper.line_feeds() == static_cast<std::uint64_t>(std::count(rest.begin(), rest.end(), '\n')),
            "line feeds in an unterminated record");
      // Resync as the reader does: go on at the next physical line.
      const std::size_t feed = rest.find('\n');
      if (feed == std::string_view::npos) return;
      offset += feed + 1;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider provider(data, size);
  csv::ReaderOptions options;
  options.block_size = provider.ConsumeIntegralInRange<std::size_t>(1, 64);
  const std::size_t other_block = provider.ConsumeIntegralInRange<std::size_t>(1, 64);
  options.max_record_bytes = provider.ConsumeIntegralInRange<std::size_t>(16, 4096);
  options.repair_split_records = provider.ConsumeBool();
  const auto dialect = provider.ConsumeIntegralInRange<int>(0, 7);
  if (dialect == 6) options.delimiter = ';';
  if (dialect == 7) options.quote = '\'';
  const auto seed = provider.ConsumeIntegral<std::uint32_t>();
  const std::string text = provider.ConsumeRemainingBytesAsString();

  const Outcome first = read_all(text, options);
  options.block_size = other_block;
  const Outcome second = read_all(text, options);
  if (!(first == second)) {
    std::size_t i = 0;
    while (i < first.events.size() && i < second.events.size() && first.events[i] == second.events[i]) ++i;
    fail("block_size changes the outcome at event", i, first.events.size());
  }
  check_skipper(text, {options.delimiter, options.quote}, seed);
  return 0;
}

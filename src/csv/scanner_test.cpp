#include "csv/scanner.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace marquee::csv {
namespace {

std::vector<std::string> values(std::string_view bytes, const std::vector<FieldSlice>& slices) {
  std::vector<std::string> out;
  for (const FieldSlice& slice : slices) {
    const std::string_view raw = bytes.substr(slice.begin, slice.end - slice.begin);
    std::string value;
    if (slice.escaped) {
      append_unescaped(raw, '"', value);
    } else {
      value = raw;
    }
    out.push_back(value);
  }
  return out;
}

using Fields = std::vector<std::string>;

TEST(ScanRecordTest, ScansOneRecordFromAnOffset) {
  const std::string bytes = "skip\r\nab,\"c,d\",\"e\"\"f\"\r\nnext";
  std::vector<FieldSlice> slices;
  const ScanResult result = scan_record(bytes, 6, false, {}, slices);
  ASSERT_EQ(result.outcome, ScanOutcome::Record);
  EXPECT_EQ(values(bytes, slices), (Fields{"ab", "c,d", "e\"f"}));
  EXPECT_EQ(result.content_end, bytes.find("\r\nnext"));
  EXPECT_EQ(result.next, bytes.find("next"));
  EXPECT_TRUE(result.ended_by_line_break);
  EXPECT_EQ(result.inner_line_breaks, 0u);
}

TEST(ScanRecordTest, CountsLineBreaksInsideQuotes) {
  const std::string bytes = "1,\"a\nb\r\nc\",\"\n\"\n2";
  std::vector<FieldSlice> slices;
  const ScanResult result = scan_record(bytes, 0, false, {}, slices);
  ASSERT_EQ(result.outcome, ScanOutcome::Record);
  EXPECT_EQ(values(bytes, slices), (Fields{"1", "a\nb\r\nc", "\n"}));
  EXPECT_EQ(result.inner_line_breaks, 3u);
  EXPECT_EQ(result.next, bytes.size() - 1);
}

TEST(ScanRecordTest, AsksForMoreBytesWhenTheSpanEndsInsideARecord) {
  std::vector<FieldSlice> slices;
  for (const std::string bytes : {"1,abc", "1,\"ab", "1,\"ab\"", "1,ab\r", "1,\"ab\"\r", "1,\"a\nb\"\"", "1,"}) {
    const ScanResult result = scan_record(bytes, 0, false, {}, slices);
    EXPECT_EQ(result.outcome, ScanOutcome::NeedMore) << bytes;
  }
  EXPECT_TRUE(scan_record("1,\"ab", 0, false, {}, slices).quote_open);
  EXPECT_FALSE(scan_record("1,ab", 0, false, {}, slices).quote_open);
}

TEST(ScanRecordTest, EndOfInputEndsARecordButNotAQuote) {
  std::vector<FieldSlice> slices;
  const std::string quoted = "1,\"ab\"";
  ScanResult result = scan_record(quoted, 0, true, {}, slices);
  ASSERT_EQ(result.outcome, ScanOutcome::Record);
  EXPECT_FALSE(result.ended_by_line_break);
  EXPECT_EQ(values(quoted, slices), (Fields{"1", "ab"}));
  const std::string with_cr = "1,ab\r";
  result = scan_record(with_cr, 0, true, {}, slices);
  EXPECT_EQ(values(with_cr, slices), (Fields{"1", "ab"}));
  EXPECT_EQ(result.content_end, 4u);
  result = scan_record("1,\"a\nb\"\"", 0, true, {}, slices);
  EXPECT_EQ(result.outcome, ScanOutcome::Unterminated);
  EXPECT_TRUE(result.quote_open);
}

TEST(ScanRecordTest, HonoursTheDialect) {
  const std::string bytes = "a;'b;c';'d''e'\n";
  std::vector<FieldSlice> slices;
  ASSERT_EQ(scan_record(bytes, 0, false, {';', '\''}, slices).outcome, ScanOutcome::Record);
  std::vector<std::string> out;
  for (const FieldSlice& slice : slices) {
    std::string value;
    const std::string_view raw = std::string_view(bytes).substr(slice.begin, slice.end - slice.begin);
    if (slice.escaped) append_unescaped(raw, '\'', value); else value = raw;
    out.push_back(value);
  }
  EXPECT_EQ(out, (Fields{"a", "b;c", "d'e"}));
}

TEST(ProbeLineTest, TellsBlankLinesFromContent) {
  EXPECT_EQ(probe_line("\nx", 0, false).start, LineStart::Blank);
  EXPECT_EQ(probe_line("\nx", 0, false).next, 1u);
  EXPECT_EQ(probe_line("\r\nx", 0, false).next, 2u);
  EXPECT_EQ(probe_line("\rx", 0, false).start, LineStart::Content);
  EXPECT_EQ(probe_line("\r", 0, false).start, LineStart::NeedMore);
  EXPECT_EQ(probe_line("\r", 0, true).start, LineStart::Blank);
  EXPECT_EQ(probe_line("ab", 2, false).start, LineStart::NeedMore);
  EXPECT_EQ(probe_line("ab", 2, true).start, LineStart::End);
  EXPECT_EQ(probe_line("ab", 0, true).start, LineStart::Content);
}

TEST(AppendUnescapedTest, FollowsPythonCsv) {
  const auto unescape = [](std::string_view raw) {
    std::string out;
    append_unescaped(raw, '"', out);
    return out;
  };
  EXPECT_EQ(unescape("\"a\"\"b\""), "a\"b");
  EXPECT_EQ(unescape("\"ab\"c"), "abc");
  EXPECT_EQ(unescape("\"ab\"c\"d"), "abc\"d");
  EXPECT_EQ(unescape("\"\"\"\""), "\"");
  EXPECT_EQ(unescape("\"\""), "");
}

}  // namespace
}  // namespace marquee::csv

#include "csv/reader.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/error.hpp"
#include "csv/scanner.hpp"

namespace marquee::csv {
namespace {

using ::testing::HasSubstr;
using Fields = std::vector<std::string>;

struct ReadRecord {
  Fields fields;
  std::uint64_t line = 0;
  std::uint64_t end_line = 0;
  std::uint64_t byte_offset = 0;
  std::string raw;
  bool repaired = false;
  std::uint64_t second_line = 0;
  bool operator==(const ReadRecord&) const = default;
};

struct RejectedLine {
  InvalidKind kind;
  std::uint64_t line = 0;
  std::string raw_line;
  std::size_t field_count = 0;
  std::size_t expected_fields = 0;
  bool operator==(const RejectedLine&) const = default;
};

void PrintTo(const ReadRecord& r, std::ostream* os) {
  *os << "{line " << r.line << "-" << r.end_line << " @" << r.byte_offset << " raw=" << ::testing::PrintToString(r.raw)
      << " fields=" << ::testing::PrintToString(r.fields) << (r.repaired ? " repaired" : "") << "}";
}
void PrintTo(const RejectedLine& r, std::ostream* os) {
  const char* kinds[] = {"FieldCount", "UnterminatedQuote", "RecordTooLarge"};
  *os << "{" << kinds[static_cast<int>(r.kind)] << " line " << r.line
      << " raw=" << ::testing::PrintToString(r.raw_line) << " " << r.field_count << "/" << r.expected_fields << "}";
}

class CollectingHandler : public InvalidRecordHandler {
 public:
  void on_invalid(const InvalidRecord& invalid) override {
    rejected.push_back({invalid.kind, invalid.line, std::string(invalid.raw_line), invalid.field_count,
                        invalid.expected_fields});
    this->invalid.push_back(invalid);
    this->invalid.back().raw_line = {};  // the view dies with the call
  }
  std::vector<RejectedLine> rejected;
  std::vector<InvalidRecord> invalid;
};

struct ReadResult {
  Fields header;
  std::uint64_t header_line = 0;
  std::vector<ReadRecord> records;
  std::vector<RejectedLine> rejected;
  std::uint64_t bytes_read = 0;
  bool operator==(const ReadResult&) const = default;
};

void PrintTo(const ReadResult& r, std::ostream* os) {
  *os << "header=" << ::testing::PrintToString(r.header) << " header_line=" << r.header_line;
  for (const ReadRecord& record : r.records) PrintTo(record, &(*os << "\n  "));
  for (const RejectedLine& rejected : r.rejected) PrintTo(rejected, &(*os << "\n  rejected "));
}

ReadResult read_all(input::ByteSource& source, ReaderOptions options = {}) {
  CollectingHandler handler;
  Reader reader(source, handler, options);
  ReadResult result;
  result.header = reader.header();
  result.header_line = reader.header_line();
  Record record;
  while (reader.next(record)) {
    result.records.push_back({Fields(record.fields.begin(), record.fields.end()), record.line, record.end_line,
                              record.byte_offset, std::string(record.raw), record.repaired, record.second_line});
  }
  result.rejected = handler.rejected;
  result.bytes_read = reader.bytes_read();
  return result;
}

ReadResult read_csv(std::string text, ReaderOptions options = {}) {
  auto source = input::memory_source(std::move(text), "test.csv");
  return read_all(*source, options);
}

std::vector<Fields> fields_of(const ReadResult& result) {
  std::vector<Fields> out;
  for (const ReadRecord& record : result.records) out.push_back(record.fields);
  return out;
}

std::vector<std::uint64_t> lines_of(const ReadResult& result) {
  std::vector<std::uint64_t> out;
  for (const ReadRecord& record : result.records) out.push_back(record.line);
  return out;
}

std::string input_error_message(const std::string& text) {
  try {
    read_csv(text);
  } catch (const InputError& error) {
    return error.what();
  }
  ADD_FAILURE() << "expected InputError for " << ::testing::PrintToString(text);
  return {};
}

// A header of `count` columns c1..cN and a row of values v1..vN (from `first`).
std::string numbered(const std::string& prefix, int first, int last) {
  std::string out;
  for (int i = first; i <= last; ++i) out += (i > first ? "," : "") + prefix + std::to_string(i);
  return out;
}

// --- RFC 4180 ---------------------------------------------------------------

TEST(ReaderTest, QuotedFieldsHoldDelimitersQuotesAndLineBreaks) {
  const ReadResult result = read_csv(
      "id,text,n\n"
      "1,\"a, b\",x\n"
      "2,\"say \"\"hi\"\"\",y\n"
      "3,\"line1\nline2\",z\n"
      "4,\"crlf1\r\nline2\",w\n");
  EXPECT_EQ(result.header, (Fields{"id", "text", "n"}));
  EXPECT_EQ(fields_of(result), (std::vector<Fields>{{"1", "a, b", "x"},
                                                    {"2", "say \"hi\"", "y"},
                                                    {"3", "line1\nline2", "z"},
                                                    {"4", "crlf1\r\nline2", "w"}}));
  EXPECT_EQ(lines_of(result), (std::vector<std::uint64_t>{2, 3, 4, 6}));
  EXPECT_EQ(result.records[2].end_line, 5u);
  EXPECT_EQ(result.records[3].end_line, 7u);
  EXPECT_EQ(result.records[0].end_line, 2u);
  EXPECT_TRUE(result.rejected.empty());
}

TEST(ReaderTest, LfCrlfAndMixedLineEnds) {
  const std::vector<Fields> expected{{"1", "2"}, {"3", "4"}, {"5", "6"}};
  EXPECT_EQ(fields_of(read_csv("a,b\n1,2\n3,4\n5,6\n")), expected);
  EXPECT_EQ(fields_of(read_csv("a,b\r\n1,2\r\n3,4\r\n5,6\r\n")), expected);
  const ReadResult mixed = read_csv("a,b\r\n1,2\n3,4\r\n5,6");
  EXPECT_EQ(mixed.header, (Fields{"a", "b"}));
  EXPECT_EQ(fields_of(mixed), expected);
  EXPECT_EQ(lines_of(mixed), (std::vector<std::uint64_t>{2, 3, 4}));
}

TEST(ReaderTest, QuotedFieldFollowedByCrlf) {
  EXPECT_EQ(fields_of(read_csv("a,b\r\n\"1\",\"2\"\r\n\"3\",\"\"\r\n")),
            (std::vector<Fields>{{"1", "2"}, {"3", ""}}));
}

TEST(ReaderTest, LoneCarriageReturnIsData) {
  EXPECT_EQ(fields_of(read_csv("a,b\n1,x\ry\n")), (std::vector<Fields>{{"1", "x\ry"}}));
}

TEST(ReaderTest, Utf8BomIsSkipped) {
  const ReadResult result = read_csv("\xEF\xBB\xBFid,name\n1,x\n");
  EXPECT_EQ(result.header, (Fields{"id", "name"}));
  ASSERT_EQ(result.records.size(), 1u);
  EXPECT_EQ(result.records[0].byte_offset, 3u + 8u);
  EXPECT_EQ(result.records[0].line, 2u);
}

TEST(ReaderTest, BomIsOnlySkippedAtTheStart) {
  const ReadResult result = read_csv("id,name\n\xEF\xBB\xBF" "1,x\n");
  EXPECT_EQ(fields_of(result), (std::vector<Fields>{{"\xEF\xBB\xBF" "1", "x"}}));
}

TEST(ReaderTest, BlankLinesAreSkippedButCounted) {
  const ReadResult result = read_csv("\n\r\nid,x\n\n1,a\r\n\r\n\n2,b\n\n");
  EXPECT_EQ(result.header, (Fields{"id", "x"}));
  EXPECT_EQ(result.header_line, 3u);
  EXPECT_EQ(fields_of(result), (std::vector<Fields>{{"1", "a"}, {"2", "b"}}));
  EXPECT_EQ(lines_of(result), (std::vector<std::uint64_t>{5, 8}));
  EXPECT_TRUE(result.rejected.empty());
}

TEST(ReaderTest, QuoteInsideUnquotedFieldIsLiteral) {
  EXPECT_EQ(fields_of(read_csv("a,b\nx\"y,z\"\n")), (std::vector<Fields>{{"x\"y", "z\""}}));
  EXPECT_EQ(fields_of(read_csv("a,b\na\"b,c \"d\"\n")), (std::vector<Fields>{{"a\"b", "c \"d\""}}));
}

TEST(ReaderTest, TextAfterClosingQuoteIsKept) {
  EXPECT_EQ(fields_of(read_csv("a,b\n\"ab\"c,\"x\"y\"z\"\n")), (std::vector<Fields>{{"abc", "xy\"z\""}}));
  EXPECT_EQ(fields_of(read_csv("a,b\n\"ab\"c\r\n")), (std::vector<Fields>{}));  // one field: rejected
  EXPECT_EQ(fields_of(read_csv("a,b\n1,\"ab\" \r\n")), (std::vector<Fields>{{"1", "ab "}}));
}

TEST(ReaderTest, EmptyFieldsAndEmptyQuotesAreEmptyStrings) {
  EXPECT_EQ(fields_of(read_csv("a,b,c\n,\"\",\n\"\",,\"\"\n")),
            (std::vector<Fields>{{"", "", ""}, {"", "", ""}}));
}

TEST(ReaderTest, TrailingDelimiterGivesAnExtraEmptyField) {
  const ReadResult result = read_csv("a,b,c\n1,2,\n1,2\n");
  EXPECT_EQ(fields_of(result), (std::vector<Fields>{{"1", "2", ""}}));
  ASSERT_EQ(result.rejected.size(), 1u);  // "1,2" has one field too few
  EXPECT_EQ(result.rejected[0].line, 3u);
}

TEST(ReaderTest, LastRecordWithoutLineEnd) {
  EXPECT_EQ(fields_of(read_csv("a,b\n1,2")), (std::vector<Fields>{{"1", "2"}}));
  EXPECT_EQ(fields_of(read_csv("a,b\n1,\"2\"")), (std::vector<Fields>{{"1", "2"}}));
  EXPECT_EQ(fields_of(read_csv("a,b\n1,")), (std::vector<Fields>{{"1", ""}}));
  EXPECT_EQ(read_csv("a,b").header, (Fields{"a", "b"}));
}

TEST(ReaderTest, RawTextAndByteOffsets) {
  const std::string text = "id,v\r\n1,\"a\r\nb\"\r\n\r\n2,\"c\"\"\"\n3,d";
  const ReadResult result = read_csv(text);
  ASSERT_EQ(result.records.size(), 3u);
  EXPECT_EQ(result.records[0].raw, "1,\"a\r\nb\"");
  EXPECT_EQ(result.records[0].byte_offset, text.find("1,"));
  EXPECT_EQ(result.records[0].line, 2u);
  EXPECT_EQ(result.records[0].end_line, 3u);
  EXPECT_EQ(result.records[1].raw, "2,\"c\"\"\"");
  EXPECT_EQ(result.records[1].fields, (Fields{"2", "c\""}));
  EXPECT_EQ(result.records[1].byte_offset, text.find("2,"));
  EXPECT_EQ(result.records[1].line, 5u);
  EXPECT_EQ(result.records[2].raw, "3,d");
  EXPECT_EQ(result.records[2].byte_offset, text.find("3,"));
  EXPECT_EQ(result.bytes_read, text.size());
}

// --- Header ----------------------------------------------------------------

TEST(ReaderTest, EmptyInputNamesTheSource) {
  for (const std::string text : {"", "\xEF\xBB\xBF", "\n\r\n\n", "\xEF\xBB\xBF\r\n"}) {
    EXPECT_THAT(input_error_message(text), HasSubstr("test.csv")) << ::testing::PrintToString(text);
  }
}

TEST(ReaderTest, HeaderWithAQuoteThatNeverClosesIsUnusable) {
  const std::string message = input_error_message("id,\"title\n1,x\n");
  EXPECT_THAT(message, HasSubstr("test.csv"));
  EXPECT_THAT(message, HasSubstr("line 1"));
}

TEST(ReaderTest, HeaderFieldsAreUnquotedButNotValidated) {
  const ReadResult result = read_csv("\"id\",\"a,b\",,id\n1,2,3,4\n");
  EXPECT_EQ(result.header, (Fields{"id", "a,b", "", "id"}));
  EXPECT_EQ(result.header_line, 1u);
  EXPECT_EQ(fields_of(result), (std::vector<Fields>{{"1", "2", "3", "4"}}));
}

// --- Repair ----------------------------------------------------------------

// The Kaggle defect: an unquoted overview holding a line break splits one
// movie into a 10-field and a 15-field line under the 24-column header.
class RepairTest : public ::testing::TestWithParam<std::string> {};

TEST_P(RepairTest, JoinsTenAndFifteenFieldsUnderATwentyFourColumnHeader) {
  const std::string line_break = GetParam();
  const std::string part_one = numbered("v", 1, 9) + ",Overview starts";
  const std::string part_two = " - Written by \xC3\x98rn\xC3\xA5s," + numbered("v", 11, 24);
  const std::string text = numbered("c", 1, 24) + line_break + part_one + line_break + part_two + line_break +
                           numbered("w", 1, 24) + line_break;
  const ReadResult result = read_csv(text);
  EXPECT_TRUE(result.rejected.empty());
  ASSERT_EQ(result.records.size(), 2u);
  const ReadRecord& joined = result.records[0];
  ASSERT_EQ(joined.fields.size(), 24u);
  EXPECT_EQ(joined.fields[8], "v9");
  EXPECT_EQ(joined.fields[9], "Overview starts" + line_break + " - Written by \xC3\x98rn\xC3\xA5s");
  EXPECT_EQ(joined.fields[10], "v11");
  EXPECT_EQ(joined.fields[23], "v24");
  EXPECT_TRUE(joined.repaired);
  EXPECT_EQ(joined.line, 2u);
  EXPECT_EQ(joined.second_line, 3u);
  EXPECT_EQ(joined.end_line, 3u);
  EXPECT_EQ(joined.raw, part_one + line_break + part_two);
  EXPECT_EQ(joined.byte_offset, text.find("v1,"));
  EXPECT_FALSE(result.records[1].repaired);
  EXPECT_EQ(result.records[1].line, 4u);
  EXPECT_EQ(result.records[1].fields[0], "w1");
}

INSTANTIATE_TEST_SUITE_P(LineBreaks, RepairTest, ::testing::Values("\n", "\r\n"));

TEST(ReaderTest, RepairUnquotesBothParts) {
  const ReadResult result = read_csv("a,b,c,d\n1,\"x\"\"y\"\n\"z\",3,4\n");
  ASSERT_EQ(result.records.size(), 1u);
  EXPECT_EQ(result.records[0].fields, (Fields{"1", "x\"y\nz", "3", "4"}));
  EXPECT_TRUE(result.records[0].repaired);
}

TEST(ReaderTest, RepairCanBeTurnedOff) {
  ReaderOptions options;
  options.repair_split_records = false;
  const ReadResult result = read_csv("a,b,c\n1,x\ny,3\n", options);
  EXPECT_TRUE(result.records.empty());
  EXPECT_EQ(result.rejected.size(), 2u);
}

TEST(ReaderTest, NoRepairOfASingleFieldLine) {
  const ReadResult result = read_csv("a,b,c\nx\n1,2,3\n");
  EXPECT_EQ(fields_of(result), (std::vector<Fields>{{"1", "2", "3"}}));
  EXPECT_EQ(result.rejected, (std::vector<RejectedLine>{{InvalidKind::FieldCount, 2, "x", 1, 3}}));
}

TEST(ReaderTest, ShortRecordNotCompletedByTheNextCostsOneLine) {
  const ReadResult result = read_csv("a,b,c,d\n1,2\n3,4,5,6\n7,8,9,10\n");
  EXPECT_EQ(fields_of(result), (std::vector<Fields>{{"3", "4", "5", "6"}, {"7", "8", "9", "10"}}));
  EXPECT_EQ(lines_of(result), (std::vector<std::uint64_t>{3, 4}));
  EXPECT_EQ(result.rejected, (std::vector<RejectedLine>{{InvalidKind::FieldCount, 2, "1,2", 2, 4}}));
}

TEST(ReaderTest, ShortLastRecordIsRejected) {
  const ReadResult result = read_csv("a,b,c\n1,2,3\n4,5\n");
  EXPECT_EQ(result.records.size(), 1u);
  EXPECT_EQ(result.rejected, (std::vector<RejectedLine>{{InvalidKind::FieldCount, 3, "4,5", 2, 3}}));
}

TEST(ReaderTest, TooManyFieldsCostsOneLine) {
  const ReadResult result = read_csv("a,b\r\n1,2,3\r\n4,5\r\n");
  EXPECT_EQ(fields_of(result), (std::vector<Fields>{{"4", "5"}}));
  EXPECT_EQ(result.rejected, (std::vector<RejectedLine>{{InvalidKind::FieldCount, 2, "1,2,3", 3, 2}}));
}

// --- Resync ----------------------------------------------------------------

TEST(ReaderTest, StrayQuoteThatClosesLaterCostsOnlyItsFirstLine) {
  // Read naively, the quote opened on line 2 closes on line 4 and swallows
  // line 3 into a 5-field record.
  const ReadResult result = read_csv(
      "id,name,n,m\n"
      "1,a,\"broken,p\n"
      "2,b,y,q\n"
      "3,\"c\",z,r\n"
      "4,d,w,s\n");
  EXPECT_EQ(result.rejected, (std::vector<RejectedLine>{{InvalidKind::FieldCount, 2, "1,a,\"broken,p", 5, 4}}));
  EXPECT_EQ(fields_of(result),
            (std::vector<Fields>{{"2", "b", "y", "q"}, {"3", "c", "z", "r"}, {"4", "d", "w", "s"}}));
  EXPECT_EQ(lines_of(result), (std::vector<std::uint64_t>{3, 4, 5}));
}

TEST(ReaderTest, QuoteNeverClosedCostsOnlyItsFirstLine) {
  const ReadResult result = read_csv(
      "a,b\r\n"
      "1,x\r\n"
      "2,\"oops\r\n"
      "3,y\r\n"
      "4,z\r\n");
  EXPECT_EQ(result.rejected, (std::vector<RejectedLine>{{InvalidKind::UnterminatedQuote, 3, "2,\"oops", 1, 2}}));
  EXPECT_EQ(fields_of(result), (std::vector<Fields>{{"1", "x"}, {"3", "y"}, {"4", "z"}}));
  EXPECT_EQ(lines_of(result), (std::vector<std::uint64_t>{2, 4, 5}));
}

TEST(ReaderTest, UnterminatedQuoteOnTheLastLine) {
  const ReadResult result = read_csv("a,b\n1,x\n2,\"tail");
  EXPECT_EQ(fields_of(result), (std::vector<Fields>{{"1", "x"}}));
  EXPECT_EQ(result.rejected, (std::vector<RejectedLine>{{InvalidKind::UnterminatedQuote, 3, "2,\"tail", 1, 2}}));
}

TEST(ReaderTest, RecordOverTheSizeLimitIsRejectedWholeAndReadingResumesAfterIt) {
  const std::string text =
      "a,b,c\n"
      "1,\"open quote\n"
      "still open\n"
      "still open\n"
      "closing\",x\n"
      "2,y,z\n";
  // Without a tight limit the quote simply spans four lines.
  const ReadResult unlimited = read_csv(text);
  EXPECT_EQ(fields_of(unlimited),
            (std::vector<Fields>{{"1", "open quote\nstill open\nstill open\nclosing", "x"}, {"2", "y", "z"}}));
  EXPECT_EQ(unlimited.records[0].end_line, 5u);

  ReaderOptions options;
  options.max_record_bytes = 24;
  CollectingHandler handler;
  auto source = input::memory_source(text, "test.csv");
  Reader reader(*source, handler, options);
  Record record;
  EXPECT_EQ(reader.read(record), csv::ReadResult::Rejected);
  ASSERT_EQ(handler.invalid.size(), 1u);
  const InvalidRecord& bad = handler.invalid[0];
  EXPECT_EQ(bad.kind, InvalidKind::RecordTooLarge);
  EXPECT_EQ(bad.line, 2u);
  EXPECT_EQ(bad.end_line, 5u);
  EXPECT_EQ(bad.record_bytes, 47u);  // "1,\"open ... closing\",x\n", its line feed included
  EXPECT_EQ(bad.max_record_bytes, 24u);
  EXPECT_FALSE(bad.to_end_of_input);
  EXPECT_EQ(handler.rejected[0].raw_line, "1,\"open quote");
  ASSERT_EQ(reader.read(record), csv::ReadResult::Record);
  EXPECT_EQ(record.line, 6u);
  EXPECT_EQ(Fields(record.fields.begin(), record.fields.end()), (Fields{"2", "y", "z"}));
  EXPECT_EQ(reader.read(record), csv::ReadResult::End);
}

TEST(ReaderTest, OverlongLineIsRejectedToItsEnd) {
  ReaderOptions options;
  options.max_record_bytes = 16;
  const ReadResult result = read_csv("a,b\n3," + std::string(40, 'x') + "\r\n4,b\n", options);
  EXPECT_EQ(fields_of(result), (std::vector<Fields>{{"4", "b"}}));
  EXPECT_EQ(lines_of(result), (std::vector<std::uint64_t>{3}));
  ASSERT_EQ(result.rejected.size(), 1u);
  EXPECT_EQ(result.rejected[0].kind, InvalidKind::RecordTooLarge);
  EXPECT_EQ(result.rejected[0].line, 2u);
  EXPECT_EQ(result.rejected[0].raw_line, "3," + std::string(14, 'x'));
}

// The limit is inclusive: a last record of exactly max_record_bytes bytes
// with no line end is within it (one byte more is not).
TEST(ReaderTest, ALastRecordOfExactlyTheLimitWithoutLineEndIsKept) {
  ReaderOptions options;
  options.max_record_bytes = 16;
  for (std::size_t block : {1u, 7u, 16u, 64u}) {
    options.block_size = block;
    const ReadResult kept = read_csv("a,b\n1," + std::string(14, 'x'), options);
    EXPECT_EQ(fields_of(kept), (std::vector<Fields>{{"1", std::string(14, 'x')}})) << "block " << block;
    EXPECT_TRUE(kept.rejected.empty()) << "block " << block;
    const ReadResult over = read_csv("a,b\n1," + std::string(15, 'x'), options);
    EXPECT_TRUE(over.records.empty()) << "block " << block;
    ASSERT_EQ(over.rejected.size(), 1u) << "block " << block;
    EXPECT_EQ(over.rejected[0].kind, InvalidKind::RecordTooLarge);
  }
}

// Issue 10, defect 1: a valid 2 MiB quoted field -- commas, doubled quotes and
// CRLF line breaks inside, and lines that look like CSV records -- is one field
// with the default limit, as Python's csv module and DuckDB read it.
std::string big_overview(std::size_t bytes) {
  std::string text;
  while (text.size() < bytes) text += "a, \"\"quoted\"\" part\r\n9,x,\"\"y\"\"\r\n";
  return text;
}

TEST(ReaderTest, TwoMebibyteQuotedFieldIsKeptWithTheDefaultLimit) {
  const std::string field = big_overview(2 << 20);
  const ReadResult result = read_csv("id,overview,n\r\n1,\"" + field + "\",x\r\n2,short,y\r\n");
  ASSERT_EQ(result.records.size(), 2u);
  EXPECT_TRUE(result.rejected.empty());
  std::string unescaped;
  append_unescaped("\"" + field + "\"", '"', unescaped);
  EXPECT_EQ(result.records[0].fields[1], unescaped);
  EXPECT_EQ(result.records[1].fields[0], "2");
  EXPECT_EQ(result.records[1].line, result.records[0].end_line + 1);
}

TEST(ReaderTest, FieldOverTheLimitNeverTurnsItsTextIntoRecords) {
  const std::string field = big_overview(64 << 10);
  ReaderOptions options;
  options.max_record_bytes = 4096;
  for (std::size_t block : {std::size_t{7}, std::size_t{1000}, std::size_t{1} << 20}) {
    options.block_size = block;
    const ReadResult result = read_csv("id,overview,n\r\n1,\"" + field + "\",x\r\n2,short,y\r\n", options);
    EXPECT_EQ(fields_of(result), (std::vector<Fields>{{"2", "short", "y"}})) << "block " << block;
    ASSERT_EQ(result.rejected.size(), 1u);
    EXPECT_EQ(result.rejected[0].kind, InvalidKind::RecordTooLarge);
    EXPECT_EQ(result.rejected[0].line, 2u);
    EXPECT_EQ(result.records[0].line, result.records[0].end_line);
  }
}

TEST(ReaderTest, OversizedRecordWithAQuoteOpenToTheEndIsOneUnterminatedRejection) {
  ReaderOptions options;
  options.max_record_bytes = 64;
  CollectingHandler handler;
  auto source = input::memory_source("a,b\n1,ok\n2,\"never closed\n" + std::string(200, 'z') + "\n3,c\n", "t.csv");
  Reader reader(*source, handler, options);
  Record record;
  std::vector<std::string> ids;
  while (reader.next(record)) ids.emplace_back(record.fields[0]);
  EXPECT_EQ(ids, (std::vector<std::string>{"1"}));
  ASSERT_EQ(handler.invalid.size(), 1u);
  EXPECT_EQ(handler.invalid[0].kind, InvalidKind::UnterminatedQuote);
  EXPECT_TRUE(handler.invalid[0].to_end_of_input);
  EXPECT_EQ(handler.invalid[0].line, 3u);
  EXPECT_EQ(handler.invalid[0].end_line, 5u);
  EXPECT_EQ(handler.invalid[0].record_bytes, 221u);
}

// Issue 10, defect 2: rejected lines come back one read() at a time, so a
// caller can bound what it holds however many follow each other.
TEST(ReaderTest, ReadReturnsAfterEachRejectedLine) {
  std::string text = "a,b,c\n";
  for (int i = 0; i < 1000; ++i) text += "a\n";
  text += "1,2,3\n";
  CollectingHandler handler;
  auto source = input::memory_source(text, "t.csv");
  Reader reader(*source, handler);
  Record record;
  for (int i = 0; i < 1000; ++i) {
    ASSERT_EQ(reader.read(record), csv::ReadResult::Rejected);
    ASSERT_EQ(handler.invalid.size(), static_cast<std::size_t>(i + 1));
  }
  EXPECT_EQ(reader.read(record), csv::ReadResult::Record);
  EXPECT_EQ(reader.read(record), csv::ReadResult::End);
}

TEST(ReaderTest, OptionsAboveTheCeilingAreRefused) {
  ReaderOptions options;
  options.max_record_bytes = kMaxRecordBytesCeiling + 1;
  EXPECT_THROW(read_csv("a\n1\n", options), std::invalid_argument);
}

// --- Block sizes -----------------------------------------------------------

// Every feature at once, so block edges fall inside each construct somewhere.
const std::string kTricky =
    "\xEF\xBB\xBF"
    "id,text,note\r\n"                               // 1
    "\r\n"                                           // 2
    "1,\"a, \"\"quoted\"\"\r\nmulti-line\",x\r\n"    // 3-4
    "2,plain,\"\"\n"                                 // 5
    "\n"                                             // 6
    "3,short\n"                                      // 7 (split record...)
    "rest,y\r\n"                                     // 8 (...joined)
    "4,z,\"stray\n"                                  // 9 stray quote: 4 fields
    "5,after,stray\r\n"                              // 10
    "6,\"ab\"cd,\"e\"\r\n"                           // 11
    "7,\"" + std::string(70, 'L') + "\",too long\n"  // 12 over 64 bytes
    "8,x,y\n"                                        // 13
    "10,p,q\r\n"                                     // 14
    "11,last,\"no line end\"\r\n"                    // 15
    "\"14\",\"q\"\r,r\r\n"                             // 16 CR after a closing quote
    "12,\"unterminated\r\n"                          // 17
    "13,z,z";                                        // 18

ReaderOptions tricky_options() {
  ReaderOptions options;
  options.max_record_bytes = 64;
  return options;
}

// The reference result for kTricky, worked out by hand, so the block-size
// test below compares against something known to be right.
TEST(ReaderTest, TrickyInputByHand) {
  const ReadResult result = read_csv(kTricky, tricky_options());
  EXPECT_EQ(result.header, (Fields{"id", "text", "note"}));
  EXPECT_EQ(fields_of(result), (std::vector<Fields>{{"1", "a, \"quoted\"\r\nmulti-line", "x"},
                                                    {"2", "plain", ""},
                                                    {"3", "short\nrest", "y"},
                                                    {"5", "after", "stray"},
                                                    {"6", "abcd", "e"},
                                                    {"8", "x", "y"},
                                                    {"10", "p", "q"},
                                                    {"11", "last", "no line end"},
                                                    {"14", "q\r", "r"},
                                                    {"13", "z", "z"}}));
  EXPECT_EQ(lines_of(result), (std::vector<std::uint64_t>{3, 5, 7, 10, 11, 13, 14, 15, 16, 18}));
  EXPECT_EQ(result.records[0].end_line, 4u);
  EXPECT_TRUE(result.records[2].repaired);
  EXPECT_EQ(result.records[2].second_line, 8u);
  EXPECT_EQ(result.records[2].raw, "3,short\nrest,y");
  EXPECT_EQ(result.rejected,
            (std::vector<RejectedLine>{{InvalidKind::FieldCount, 9, "4,z,\"stray", 4, 3},
                                       {InvalidKind::RecordTooLarge, 12, "7,\"" + std::string(61, 'L'), 1, 3},
                                       {InvalidKind::UnterminatedQuote, 17, "12,\"unterminated", 1, 3}}));
  EXPECT_EQ(result.records.back().byte_offset, kTricky.size() - 6);
}

class BlockSizeTest : public ::testing::TestWithParam<int> {};

TEST_P(BlockSizeTest, SameResultsAsOneLargeBlock) {
  ReaderOptions small = tricky_options();
  small.block_size = static_cast<std::size_t>(GetParam());
  EXPECT_EQ(read_csv(kTricky, small), read_csv(kTricky, tricky_options()));
  // And with the default size limit, where line 12 is an ordinary record.
  ReaderOptions unlimited;
  unlimited.block_size = static_cast<std::size_t>(GetParam());
  EXPECT_EQ(read_csv(kTricky, unlimited), read_csv(kTricky));
}

INSTANTIATE_TEST_SUITE_P(OneToSixteen, BlockSizeTest, ::testing::Range(1, 17));

// --- Real data -------------------------------------------------------------

TEST(ReaderTest, RealKaggleHead) {
  const char* dir = std::getenv("MARQUEE_DATA_DIR");
  const std::filesystem::path file =
      std::filesystem::path(dir ? dir : "") / "movies_metadata.head.csv";
  if (dir == nullptr || !std::filesystem::exists(file)) {
    GTEST_SKIP() << "real data absent: " << file << " (set MARQUEE_DATA_DIR)";
  }
  auto source = input::open_input(file.string());
  CollectingHandler handler;
  Reader reader(*source, handler);
  EXPECT_EQ(reader.header().size(), 24u);
  EXPECT_EQ(reader.header()[5], "id");
  Record record;
  std::size_t count = 0;
  std::uint64_t last_line = 0;
  while (reader.next(record)) {
    ++count;
    EXPECT_EQ(record.fields.size(), 24u);
    EXPECT_GT(record.line, last_line);
    last_line = record.end_line;
  }
  EXPECT_EQ(count, 4627u);  // SOURCE.md: 4,628 records including the header
  EXPECT_TRUE(handler.rejected.empty());
  EXPECT_EQ(reader.bytes_read(), std::filesystem::file_size(file));
}

}  // namespace
}  // namespace marquee::csv

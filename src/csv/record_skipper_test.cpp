#include "csv/record_skipper.hpp"

#include <string>

#include <gtest/gtest.h>

#include "csv/scanner.hpp"

namespace marquee::csv {
namespace {

struct Skipped {
  std::size_t consumed = 0;
  bool ended = false;
  std::uint64_t line_feeds = 0;
  bool quote_open = false;
  bool operator==(const Skipped&) const = default;
};

Skipped skip(const std::string& text, std::size_t piece) {
  RecordSkipper skipper(Dialect{});
  Skipped out;
  for (std::size_t at = 0; at < text.size(); at += piece) {
    const RecordSkipper::Fed fed = skipper.feed(std::string_view(text).substr(at, piece));
    out.consumed += fed.consumed;
    if (fed.ended) {
      out.ended = true;
      break;
    }
  }
  out.line_feeds = skipper.line_feeds();
  out.quote_open = skipper.quote_open();
  return out;
}

// The skipper must end a record exactly where scan_record() does: compare the
// two on records built of every construct, fed in pieces of every size.
TEST(RecordSkipperTest, EndsWhereTheScannerEndsTheRecord) {
  const std::string records[] = {
      "1,plain,x\nNEXT",
      "1,\"a, \"\"q\"\"\r\nline\",x\r\nNEXT",
      "\"ab\"cd,\"e\"\nNEXT",
      "1,a\"b\"c,\"\"\nNEXT",
      "\"\"\"\",\"\n\n\"\nNEXT",
      "x,\"q\"\r,r\r\nNEXT",
      "\"tail\" \"quote\n,more\nNEXT",
  };
  for (const std::string& text : records) {
    std::vector<FieldSlice> fields;
    const ScanResult scan = scan_record(text, 0, true, Dialect{}, fields);
    ASSERT_EQ(scan.outcome, ScanOutcome::Record) << text;
    for (std::size_t piece = 1; piece <= text.size(); ++piece) {
      const Skipped skipped = skip(text, piece);
      EXPECT_TRUE(skipped.ended) << text;
      EXPECT_EQ(skipped.consumed, scan.next) << text << " piece " << piece;
      EXPECT_EQ(skipped.line_feeds, scan.inner_line_breaks + 1) << text;
    }
  }
}

TEST(RecordSkipperTest, AnOpenQuoteRunsToTheEnd) {
  const Skipped skipped = skip("1,\"open\nstill\n", 3);
  EXPECT_FALSE(skipped.ended);
  EXPECT_TRUE(skipped.quote_open);
  EXPECT_EQ(skipped.line_feeds, 2u);
  EXPECT_FALSE(skip("1,\"closed\"", 2).quote_open);
}

}  // namespace
}  // namespace marquee::csv

#include "table/csv_writer.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace marquee::table {
namespace fs = std::filesystem;

TEST(CsvWriter, QuotesNullsAndFormats) {
  const fs::path dir = fs::temp_directory_path() / ("marquee-csvw-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const Schema schema{"t",
                      {{"i", Type::Int64, false},
                       {"s", Type::String, true},
                       {"d", Type::Double, true},
                       {"b", Type::Bool, false},
                       {"day", Type::Date, true}}};
  CsvTableSink sink(dir);
  auto writer = sink.open(schema);
  const Cell r1[] = {std::int64_t{-5}, std::string_view("a,\"b\"\nc"), 0.1, true,
                     days_from_civil(1995, 10, 30)};
  const Cell r2[] = {std::int64_t{9007199254740993}, std::string_view(""), Null{}, false, Null{}};
  const Cell r3[] = {std::int64_t{0}, Null{}, 8.2e-05, false, std::int32_t{0}};
  writer->write_row(r1);
  writer->write_row(r2);
  writer->write_row(r3);
  EXPECT_FALSE(fs::exists(dir / "t.csv"));
  writer->finish();
  EXPECT_EQ(writer->rows_written(), 3u);
  std::ifstream in(dir / "t.csv", std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(),
            "i,s,d,b,day\n"
            "-5,\"a,\"\"b\"\"\nc\",0.1,true,1995-10-30\n"
            "9007199254740993,\"\",,false,\n"
            "0,,8.2e-05,false,1970-01-01\n");
  fs::remove_all(dir);
}

}  // namespace marquee::table

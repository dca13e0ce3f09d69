// Expected bytes are worked out by hand from the compact protocol spec
// (apache/thrift doc/specs/thrift-compact-protocol.md).
#include "parquet/thrift_compact.hpp"

#include <gtest/gtest.h>

#include "parquet/error.hpp"

namespace marquee::parquet::thrift {
namespace {

std::string bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values) out.push_back(static_cast<char>(v));
  return out;
}

TEST(ThriftCompact, VarintMatchesTheSpecExample) {
  std::string out;
  append_varint(out, 50399);
  EXPECT_EQ(out, bytes({0xDF, 0x89, 0x03}));
  out.clear();
  append_varint(out, 0);
  append_varint(out, 127);
  append_varint(out, 128);
  EXPECT_EQ(out, bytes({0x00, 0x7F, 0x80, 0x01}));
}

TEST(ThriftCompact, ZigzagFoldsSignsIntoUnsigned) {
  EXPECT_EQ(zigzag_encode(0), 0u);
  EXPECT_EQ(zigzag_encode(-1), 1u);
  EXPECT_EQ(zigzag_encode(1), 2u);
  EXPECT_EQ(zigzag_encode(-2), 3u);
  EXPECT_EQ(zigzag_encode(2), 4u);
  EXPECT_EQ(zigzag_encode(INT64_MAX), UINT64_MAX - 1);
  EXPECT_EQ(zigzag_encode(INT64_MIN), UINT64_MAX);
  for (std::int64_t v : {std::int64_t{0}, std::int64_t{-1}, std::int64_t{12345}, INT64_MIN, INT64_MAX}) {
    EXPECT_EQ(zigzag_decode(zigzag_encode(v)), v);
  }
}

TEST(ThriftCompact, ShortAndLongFieldHeaders) {
  std::string out;
  CompactWriter w(out);
  w.field_i32(1, 5);    // delta 1, type 5; zigzag(5) = 10
  w.field_i64(3, -1);   // delta 2, type 6; zigzag(-1) = 1
  w.field_i32(20, 1);   // delta 17 > 15: long form, type byte then zigzag(20) = 40
  w.field_i32(21, 0);   // delta 1 again
  w.end_struct();
  EXPECT_EQ(out, bytes({0x15, 0x0A, 0x26, 0x01, 0x05, 0x28, 0x02, 0x15, 0x00, 0x00}));
}

TEST(ThriftCompact, BoolFieldsLiveInTheHeader) {
  std::string out;
  CompactWriter w(out);
  w.field_bool(1, true);
  w.field_bool(2, false);
  w.end_struct();
  EXPECT_EQ(out, bytes({0x11, 0x12, 0x00}));
}

TEST(ThriftCompact, BinaryDoubleAndNestedStruct) {
  std::string out;
  CompactWriter w(out);
  w.field_binary(1, "abc");
  w.field_double(2, 1.0);
  w.begin_struct_field(4);  // delta 2, type 12
  w.field_i32(1, 1);        // ids restart inside the nested struct
  w.end_struct();
  w.field_i32(5, 2);        // and continue from 4 outside it
  w.end_struct();
  EXPECT_EQ(out, bytes({0x18, 0x03, 'a', 'b', 'c', 0x17, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0x2C, 0x15, 0x02, 0x00,
                        0x15, 0x04, 0x00}));
}

TEST(ThriftCompact, ListHeadersShortAndLong) {
  std::string out;
  CompactWriter w(out);
  w.begin_list_field(2, WireType::I32, 3);  // field: delta 2, type 9; list: size 3, type 5
  for (int v : {1, 2, 3}) w.element_i32(v);
  w.begin_list_field(3, WireType::Binary, 15);  // size 15 needs the long form
  for (int i = 0; i < 15; ++i) w.element_binary("");
  w.end_struct();
  std::string expected = bytes({0x29, 0x35, 0x02, 0x04, 0x06, 0x19, 0xF8, 0x0F});
  expected += std::string(15, '\0');
  expected += bytes({0x00});
  EXPECT_EQ(out, expected);
}

TEST(ThriftCompact, ReaderDecodesWhatTheWriterWrote) {
  std::string out;
  CompactWriter w(out);
  w.field_i32(1, -123456);
  w.field_i64(2, INT64_MIN);
  w.field_bool(3, true);
  w.field_binary(4, "héllo");
  w.field_double(5, -2.5);
  w.begin_list_field(6, WireType::Struct, 2);
  for (int i = 0; i < 2; ++i) {
    w.begin_struct_element();
    w.field_i16(1, static_cast<std::int16_t>(-i));
    w.end_struct();
  }
  w.field_i8(7, -7);
  w.end_struct();

  CompactReader r(out);
  r.begin_struct();
  FieldHeader f = r.read_field_header();
  EXPECT_EQ(f.id, 1);
  EXPECT_EQ(r.read_i32(), -123456);
  f = r.read_field_header();
  EXPECT_EQ(f.id, 2);
  EXPECT_EQ(r.read_i64(), INT64_MIN);
  f = r.read_field_header();
  EXPECT_EQ(f.id, 3);
  EXPECT_TRUE(f.bool_value());
  f = r.read_field_header();
  EXPECT_EQ(r.read_binary(), "héllo");
  f = r.read_field_header();
  EXPECT_EQ(r.read_double(), -2.5);
  f = r.read_field_header();
  EXPECT_EQ(f.type, WireType::List);
  const ListHeader list = r.read_list_header();
  EXPECT_EQ(list.size, 2u);
  EXPECT_EQ(list.element_type, WireType::Struct);
  for (int i = 0; i < 2; ++i) {
    r.begin_struct();
    f = r.read_field_header();
    EXPECT_EQ(f.id, 1);
    EXPECT_EQ(r.read_i16(), -i);
    EXPECT_TRUE(r.read_field_header().is_stop());
    r.end_struct();
  }
  f = r.read_field_header();
  EXPECT_EQ(f.id, 7);
  EXPECT_EQ(r.read_i8(), -7);
  EXPECT_TRUE(r.read_field_header().is_stop());
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(ThriftCompact, SkipsUnknownValuesOfEveryType) {
  // field 1: list<bool> [true, false] (Java writes false as 2), field 2: map<i32,string>{1:"x"},
  // field 3: struct{ field 1: uuid }, field 4: i32 7 (the one we want).
  std::string in = bytes({0x19, 0x22, 0x01, 0x02,             // list: 2 elements of type 2 (BOOL)
                          0x1B, 0x01, 0x58, 0x02, 0x01, 'x',  // map: size 1, key i32, value binary
                          0x1C, 0x1D});                       // struct with a uuid field
  in += std::string(16, '\x11');
  in += bytes({0x00, 0x15, 0x0E, 0x00});
  CompactReader r(in);
  r.begin_struct();
  int wanted = 0;
  for (FieldHeader f = r.read_field_header(); !f.is_stop(); f = r.read_field_header()) {
    if (f.id == 4) {
      wanted = r.read_i32();
    } else {
      r.skip(f.type);
    }
  }
  EXPECT_EQ(wanted, 7);
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(ThriftCompact, BoolListElements) {
  const std::string in = bytes({0x31, 0x01, 0x00, 0x02});  // Java's element type 1; values 1, 0, 2
  CompactReader r(in);
  const ListHeader h = r.read_list_header();
  EXPECT_EQ(h.size, 3u);
  EXPECT_TRUE(r.read_bool_element());
  EXPECT_FALSE(r.read_bool_element());
  EXPECT_FALSE(r.read_bool_element());
}

TEST(ThriftCompact, RejectsMalformedInput) {
  auto fails = [](const std::string& in, auto&& action) {
    CompactReader r(in);
    EXPECT_THROW(action(r), ParquetError) << "input size " << in.size();
  };
  fails(bytes({0x80, 0x80}), [](CompactReader& r) { r.read_i64(); });                     // truncated varint
  fails(std::string(11, '\x80'), [](CompactReader& r) { r.read_i64(); });                 // varint too long
  fails(bytes({0x80, 0x80, 0x80, 0x80, 0x10}), [](CompactReader& r) { r.read_i32(); });   // > 32 bits
  fails(bytes({0x0A, 'a'}), [](CompactReader& r) { r.read_binary(); });                   // length past end
  fails(bytes({0xF5, 0x64}), [](CompactReader& r) { r.read_list_header(); });             // 100 elements, no bytes
  fails(bytes({0x10}), [](CompactReader& r) { r.read_list_header(); });                   // stop as element type
  fails(bytes({0x1E}), [](CompactReader& r) {                                             // field type 14
    r.begin_struct();
    r.read_field_header();
  });
  fails(bytes({0x17, 0x00}), [](CompactReader& r) { r.skip(WireType::Double); });
}

TEST(ThriftCompact, LimitsNesting) {
  // 100 nested struct fields: skipping them must stop at the depth limit, not recurse.
  std::string in;
  for (int i = 0; i < 100; ++i) in.push_back(0x1C);
  in += std::string(100, '\0');
  CompactReader r(in);
  EXPECT_THROW(r.skip(WireType::Struct), ParquetError);
}

}  // namespace
}  // namespace marquee::parquet::thrift

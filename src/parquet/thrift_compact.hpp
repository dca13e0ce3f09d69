#pragma once
// The Thrift compact protocol (Apache Thrift doc/specs/thrift-compact-protocol.md),
// just enough of it for Parquet's metadata: structs, lists, scalars, binary.
// Hand-written so that Marquee needs no libthrift, and so that decoding can
// bound every length and depth on untrusted input.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace marquee::parquet::thrift {

// Wire type ids. In a field header 1/2 mean a boolean true/false; as a list
// element type the spec says 2 (BOOL), though Java writes 1, so both are read.
enum class WireType : std::uint8_t {
  Stop = 0,
  BoolTrue = 1,
  BoolFalse = 2,
  I8 = 3,
  I16 = 4,
  I32 = 5,
  I64 = 6,
  Double = 7,
  Binary = 8,
  List = 9,
  Set = 10,
  Map = 11,
  Struct = 12,
  Uuid = 13,
};

std::uint64_t zigzag_encode(std::int64_t value);
std::int64_t zigzag_decode(std::uint64_t value);
// Unsigned LEB128.
void append_varint(std::string& out, std::uint64_t value);

// Appends one struct (and the structs and lists inside it) to a string.
// Fields must be written in increasing id order within a struct, as
// Parquet's generated code does, so the short field header form applies.
class CompactWriter {
 public:
  explicit CompactWriter(std::string& out) : out_(out) {}

  void field_i8(std::int16_t id, std::int8_t value);
  void field_i16(std::int16_t id, std::int16_t value);
  void field_i32(std::int16_t id, std::int32_t value);
  void field_i64(std::int16_t id, std::int64_t value);
  void field_bool(std::int16_t id, bool value);
  void field_double(std::int16_t id, double value);
  void field_binary(std::int16_t id, std::string_view value);
  // A field holding a struct (or union): write its fields, then end_struct().
  void begin_struct_field(std::int16_t id);
  // A field holding a list: write `size` elements with the element_* calls.
  void begin_list_field(std::int16_t id, WireType element_type, std::size_t size);

  void element_i32(std::int32_t value);
  void element_i64(std::int64_t value);
  void element_binary(std::string_view value);
  void element_bool(bool value);
  // A struct element of a list: write its fields, then end_struct().
  void begin_struct_element();

  // Closes the innermost struct with a stop field; also ends the top-level struct.
  void end_struct();

 private:
  void field_header(WireType type, std::int16_t id);
  void list_header(WireType element_type, std::size_t size);
  std::string& out_;
  std::vector<std::int16_t> last_field_id_{0};
};

struct FieldHeader {
  WireType type;
  std::int16_t id;
  bool is_stop() const { return type == WireType::Stop; }
  bool bool_value() const { return type == WireType::BoolTrue; }
};

struct ListHeader {
  WireType element_type;
  std::uint32_t size;
};

// Reads compact-protocol data from a bounded buffer. Every read is checked
// against the end of the buffer; lengths and list sizes are checked against
// the bytes that remain (each element takes at least one byte), and struct
// nesting is limited, so hostile input cannot make it read out of bounds,
// allocate unbounded memory or recurse without end. Errors are ParquetError.
class CompactReader {
 public:
  static constexpr int kMaxDepth = 64;

  explicit CompactReader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}
  explicit CompactReader(std::string_view bytes)
      : bytes_(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()) {}

  // Call on entering a struct (including the outermost), then read field
  // headers until is_stop(), then end_struct().
  void begin_struct();
  void end_struct();
  FieldHeader read_field_header();

  std::int8_t read_i8();
  std::int16_t read_i16();
  std::int32_t read_i32();
  std::int64_t read_i64();
  double read_double();
  std::string read_binary(std::size_t max_length = SIZE_MAX);
  ListHeader read_list_header();
  bool read_bool_element();

  // Skips a value of the given wire type (unknown fields are skipped, as
  // Thrift's evolution rules require).
  void skip(WireType type);

  std::size_t position() const { return pos_; }
  std::size_t remaining() const { return bytes_.size() - pos_; }
  [[noreturn]] void fail(const std::string& what) const;

 private:
  std::uint8_t byte();
  std::uint64_t varint(int max_bytes);
  void skip_value(WireType type, int depth);
  std::span<const std::uint8_t> bytes_;
  std::size_t pos_ = 0;
  std::vector<std::int16_t> last_field_id_;
};

// Throws ParquetError unless `header` has wire type `expected` (booleans:
// either boolean type). `context` names the struct and field.
void expect_type(const CompactReader& reader, FieldHeader header, WireType expected,
                 const char* context);

}  // namespace marquee::parquet::thrift

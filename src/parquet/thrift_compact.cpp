#include "parquet/thrift_compact.hpp"

#include <bit>
#include <cstring>

#include "parquet/error.hpp"

namespace marquee::parquet::thrift {

std::uint64_t zigzag_encode(std::int64_t value) {
  return (static_cast<std::uint64_t>(value) << 1) ^ static_cast<std::uint64_t>(value >> 63);
}

std::int64_t zigzag_decode(std::uint64_t value) {
  return static_cast<std::int64_t>((value >> 1) ^ (~(value & 1) + 1));
}

void append_varint(std::string& out, std::uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7F) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

// ---- writer ----

void CompactWriter::field_header(WireType type, std::int16_t id) {
  std::int16_t& last = last_field_id_.back();
  const int delta = id - last;
  if (delta > 0 && delta <= 15) {
    out_.push_back(static_cast<char>((delta << 4) | static_cast<int>(type)));
  } else {
    out_.push_back(static_cast<char>(type));
    append_varint(out_, zigzag_encode(id));
  }
  last = id;
}

void CompactWriter::field_i8(std::int16_t id, std::int8_t value) {
  field_header(WireType::I8, id);
  out_.push_back(static_cast<char>(value));
}

void CompactWriter::field_i16(std::int16_t id, std::int16_t value) {
  field_header(WireType::I16, id);
  append_varint(out_, zigzag_encode(value));
}

void CompactWriter::field_i32(std::int16_t id, std::int32_t value) {
  field_header(WireType::I32, id);
  append_varint(out_, zigzag_encode(value));
}

void CompactWriter::field_i64(std::int16_t id, std::int64_t value) {
  field_header(WireType::I64, id);
  append_varint(out_, zigzag_encode(value));
}

void CompactWriter::field_bool(std::int16_t id, bool value) {
  field_header(value ? WireType::BoolTrue : WireType::BoolFalse, id);
}

void CompactWriter::field_double(std::int16_t id, double value) {
  field_header(WireType::Double, id);
  const auto bits = std::bit_cast<std::uint64_t>(value);
  for (int i = 0; i < 8; ++i) out_.push_back(static_cast<char>(bits >> (8 * i)));
}

void CompactWriter::field_binary(std::int16_t id, std::string_view value) {
  field_header(WireType::Binary, id);
  element_binary(value);
}

void CompactWriter::begin_struct_field(std::int16_t id) {
  field_header(WireType::Struct, id);
  last_field_id_.push_back(0);
}

void CompactWriter::begin_list_field(std::int16_t id, WireType element_type, std::size_t size) {
  field_header(WireType::List, id);
  list_header(element_type, size);
}

void CompactWriter::list_header(WireType element_type, std::size_t size) {
  if (size < 15) {
    out_.push_back(static_cast<char>((size << 4) | static_cast<std::size_t>(element_type)));
  } else {
    out_.push_back(static_cast<char>(0xF0 | static_cast<int>(element_type)));
    append_varint(out_, size);
  }
}

void CompactWriter::element_i32(std::int32_t value) { append_varint(out_, zigzag_encode(value)); }
void CompactWriter::element_i64(std::int64_t value) { append_varint(out_, zigzag_encode(value)); }

void CompactWriter::element_binary(std::string_view value) {
  append_varint(out_, value.size());
  out_.append(value);
}

void CompactWriter::element_bool(bool value) { out_.push_back(value ? 1 : 0); }

void CompactWriter::begin_struct_element() { last_field_id_.push_back(0); }

void CompactWriter::end_struct() {
  out_.push_back(0);
  if (last_field_id_.size() > 1) last_field_id_.pop_back();
}

// ---- reader ----

void CompactReader::fail(const std::string& what) const {
  throw ParquetError("Thrift: " + what + " at byte " + std::to_string(pos_));
}

std::uint8_t CompactReader::byte() {
  if (pos_ >= bytes_.size()) fail("unexpected end of data");
  return bytes_[pos_++];
}

std::uint64_t CompactReader::varint(int max_bytes) {
  std::uint64_t value = 0;
  for (int i = 0; i < max_bytes; ++i) {
    const std::uint8_t b = byte();
    value |= static_cast<std::uint64_t>(b & 0x7F) << (7 * i);
    if ((b & 0x80) == 0) return value;
  }
  fail("varint too long");
}

void CompactReader::begin_struct() {
  if (static_cast<int>(last_field_id_.size()) >= kMaxDepth) fail("structs nested too deeply");
  last_field_id_.push_back(0);
}

void CompactReader::end_struct() {
  if (!last_field_id_.empty()) last_field_id_.pop_back();
}

FieldHeader CompactReader::read_field_header() {
  if (last_field_id_.empty()) fail("field header outside a struct");
  const std::uint8_t b = byte();
  const auto type = static_cast<WireType>(b & 0x0F);
  if (type == WireType::Stop) {
    if (b != 0) fail("malformed stop field");
    return {WireType::Stop, 0};
  }
  if (static_cast<int>(type) > static_cast<int>(WireType::Uuid)) {
    fail("unknown field type " + std::to_string(static_cast<int>(type)));
  }
  const int delta = b >> 4;
  std::int16_t& last = last_field_id_.back();
  const std::int16_t id = delta != 0 ? static_cast<std::int16_t>(last + delta) : read_i16();
  last = id;
  return {type, id};
}

std::int8_t CompactReader::read_i8() { return static_cast<std::int8_t>(byte()); }

std::int16_t CompactReader::read_i16() {
  const std::int64_t v = zigzag_decode(varint(3));
  if (v < INT16_MIN || v > INT16_MAX) fail("i16 out of range");
  return static_cast<std::int16_t>(v);
}

std::int32_t CompactReader::read_i32() {
  const std::int64_t v = zigzag_decode(varint(5));
  if (v < INT32_MIN || v > INT32_MAX) fail("i32 out of range");
  return static_cast<std::int32_t>(v);
}

std::int64_t CompactReader::read_i64() { return zigzag_decode(varint(10)); }

double CompactReader::read_double() {
  if (remaining() < 8) fail("unexpected end of data in double");
  std::uint64_t bits = 0;
  for (int i = 0; i < 8; ++i) bits |= static_cast<std::uint64_t>(bytes_[pos_ + i]) << (8 * i);
  pos_ += 8;
  return std::bit_cast<double>(bits);
}

std::string CompactReader::read_binary(std::size_t max_length) {
  const std::uint64_t length = varint(5);
  if (length > remaining()) fail("binary length " + std::to_string(length) + " past end of data");
  if (length > max_length) fail("binary length " + std::to_string(length) + " over limit");
  std::string value(reinterpret_cast<const char*>(bytes_.data() + pos_), length);
  pos_ += length;
  return value;
}

ListHeader CompactReader::read_list_header() {
  const std::uint8_t b = byte();
  std::uint64_t size = b >> 4;
  if (size == 15) size = varint(5);
  const auto element = static_cast<WireType>(b & 0x0F);
  if (element == WireType::Stop || static_cast<int>(element) > static_cast<int>(WireType::Uuid)) {
    fail("unknown list element type " + std::to_string(static_cast<int>(element)));
  }
  // Every element takes at least one byte, so a larger size is a lie.
  if (size > remaining()) fail("list size " + std::to_string(size) + " past end of data");
  return {element, static_cast<std::uint32_t>(size)};
}

bool CompactReader::read_bool_element() {
  const std::uint8_t b = byte();
  if (b > 2) fail("malformed bool element");
  return b == 1;
}

void CompactReader::skip(WireType type) { skip_value(type, static_cast<int>(last_field_id_.size())); }

void CompactReader::skip_value(WireType type, int depth) {
  if (depth >= kMaxDepth) fail("values nested too deeply");
  switch (type) {
    case WireType::BoolTrue:
    case WireType::BoolFalse: return;  // the value is in the field header
    case WireType::I8: byte(); return;
    case WireType::I16:
    case WireType::I32:
    case WireType::I64: varint(10); return;
    case WireType::Double: read_double(); return;
    case WireType::Uuid:
      if (remaining() < 16) fail("unexpected end of data in uuid");
      pos_ += 16;
      return;
    case WireType::Binary: {
      const std::uint64_t length = varint(5);
      if (length > remaining()) fail("binary length past end of data");
      pos_ += length;
      return;
    }
    case WireType::List:
    case WireType::Set: {
      const ListHeader header = read_list_header();
      for (std::uint32_t i = 0; i < header.size; ++i) {
        // A bool element is one byte, unlike a bool field.
        if (header.element_type == WireType::BoolTrue || header.element_type == WireType::BoolFalse) {
          read_bool_element();
        } else {
          skip_value(header.element_type, depth + 1);
        }
      }
      return;
    }
    case WireType::Map: {
      const std::uint64_t size = varint(5);
      if (size == 0) return;
      const std::uint8_t types = byte();
      if (size > remaining()) fail("map size past end of data");
      const auto key = static_cast<WireType>(types >> 4);
      const auto value = static_cast<WireType>(types & 0x0F);
      for (std::uint64_t i = 0; i < size; ++i) {
        for (WireType t : {key, value}) {
          if (t == WireType::BoolTrue || t == WireType::BoolFalse) {
            read_bool_element();
          } else if (t == WireType::Stop || static_cast<int>(t) > static_cast<int>(WireType::Uuid)) {
            fail("unknown map element type");
          } else {
            skip_value(t, depth + 1);
          }
        }
      }
      return;
    }
    case WireType::Struct: {
      begin_struct();
      while (true) {
        const FieldHeader field = read_field_header();
        if (field.is_stop()) break;
        skip_value(field.type, depth + 1);
      }
      end_struct();
      return;
    }
    case WireType::Stop: break;
  }
  fail("cannot skip wire type " + std::to_string(static_cast<int>(type)));
}

void expect_type(const CompactReader& reader, FieldHeader header, WireType expected, const char* context) {
  const bool is_bool = header.type == WireType::BoolTrue || header.type == WireType::BoolFalse;
  const bool want_bool = expected == WireType::BoolTrue || expected == WireType::BoolFalse;
  if (is_bool && want_bool) return;
  if (header.type == expected) return;
  reader.fail(std::string(context) + " has wire type " + std::to_string(static_cast<int>(header.type)) +
              ", expected " + std::to_string(static_cast<int>(expected)));
}

}  // namespace marquee::parquet::thrift

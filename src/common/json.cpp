#include "common/json.hpp"

#include <charconv>
#include <cmath>

#include "common/utf8.hpp"

namespace marquee::json {
namespace {

void append_escaped(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (u < 0x20) {
          out += "\\u00";
          out += kHex[u >> 4];
          out += kHex[u & 0xF];
        } else {
          out += c;
        }
    }
  }
}

}  // namespace

void append_string(std::string& out, std::string_view s) {
  out += '"';
  if (utf8::is_valid(s)) {
    append_escaped(out, s);
  } else {
    append_escaped(out, utf8::sanitize(s));
  }
  out += '"';
}

ObjectWriter::ObjectWriter(std::string& out) : out_(out) { out_ += '{'; }

void ObjectWriter::key(std::string_view k) {
  if (!first_) out_ += ',';
  first_ = false;
  append_string(out_, k);
  out_ += ':';
}

ObjectWriter& ObjectWriter::field(std::string_view k, std::string_view value) {
  key(k);
  append_string(out_, value);
  return *this;
}

ObjectWriter& ObjectWriter::field(std::string_view k, std::int64_t value) {
  key(k);
  char buf[24];
  out_.append(buf, std::to_chars(buf, buf + sizeof buf, value).ptr);
  return *this;
}

ObjectWriter& ObjectWriter::field(std::string_view k, std::uint64_t value) {
  key(k);
  char buf[24];
  out_.append(buf, std::to_chars(buf, buf + sizeof buf, value).ptr);
  return *this;
}

ObjectWriter& ObjectWriter::field(std::string_view k, double value) {
  key(k);
  if (!std::isfinite(value)) {  // JSON has no NaN/Infinity
    out_ += "null";
    return *this;
  }
  char buf[32];
  out_.append(buf, std::to_chars(buf, buf + sizeof buf, value).ptr);
  return *this;
}

ObjectWriter& ObjectWriter::field(std::string_view k, bool value) {
  key(k);
  out_ += value ? "true" : "false";
  return *this;
}

ObjectWriter& ObjectWriter::null_field(std::string_view k) {
  key(k);
  out_ += "null";
  return *this;
}

ObjectWriter& ObjectWriter::field(std::string_view k, const std::optional<std::int64_t>& value) {
  return value ? field(k, *value) : null_field(k);
}

ObjectWriter& ObjectWriter::field(std::string_view k, const std::optional<std::string>& value) {
  return value ? field(k, std::string_view(*value)) : null_field(k);
}

ObjectWriter& ObjectWriter::raw_field(std::string_view k, std::string_view json) {
  key(k);
  out_ += json;
  return *this;
}

void ObjectWriter::close() { out_ += '}'; }

}  // namespace marquee::json

#pragma once
// A tiny streaming JSON writer for the hot, line-oriented outputs (errors.jsonl,
// CSV-free manifests). Hand-written on purpose: the error log can hold millions
// of lines and must be byte-for-byte deterministic. Larger documents use Boost.JSON.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace marquee::json {

// Appends `s` as a JSON string literal (with quotes). Ill-formed UTF-8 is
// replaced by U+FFFD so the output is always valid JSON.
void append_string(std::string& out, std::string_view s);

// Builds one JSON object: {"k":v,...}. Keys are written in call order.
class ObjectWriter {
 public:
  explicit ObjectWriter(std::string& out);
  ObjectWriter& field(std::string_view key, std::string_view value);
  ObjectWriter& field(std::string_view key, const char* value) { return field(key, std::string_view(value)); }
  ObjectWriter& field(std::string_view key, const std::string& value) { return field(key, std::string_view(value)); }
  ObjectWriter& field(std::string_view key, std::int64_t value);
  ObjectWriter& field(std::string_view key, std::uint64_t value);
  ObjectWriter& field(std::string_view key, int value) { return field(key, static_cast<std::int64_t>(value)); }
  ObjectWriter& field(std::string_view key, double value);
  ObjectWriter& field(std::string_view key, bool value);
  ObjectWriter& null_field(std::string_view key);
  ObjectWriter& field(std::string_view key, const std::optional<std::int64_t>& value);
  ObjectWriter& field(std::string_view key, const std::optional<std::string>& value);
  // Inserts pre-serialized JSON (an object or array) as the value.
  ObjectWriter& raw_field(std::string_view key, std::string_view json);
  void close();

 private:
  void key(std::string_view k);
  std::string& out_;
  bool first_ = true;
};

}  // namespace marquee::json

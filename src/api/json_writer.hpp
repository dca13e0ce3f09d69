#pragma once
// A small streaming JSON writer for response bodies. Hand-written on purpose:
// Boost.JSON prints doubles in exponent form (1.5E0), which is valid but not
// what API clients expect, and bodies are built on the request path, so
// appending straight into one string keeps it cheap. Doubles use the shortest
// representation that round-trips (std::to_chars).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace marquee::api {

class JsonWriter {
 public:
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view name);

  JsonWriter& value(std::string_view text);
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(std::int64_t number);
  JsonWriter& value(std::int32_t number) { return value(static_cast<std::int64_t>(number)); }
  JsonWriter& value(double number);  // NaN/Infinity become null
  JsonWriter& value(bool flag);
  JsonWriter& null();
  JsonWriter& raw(std::string_view json);  // pre-serialized JSON value

  template <class T>
  JsonWriter& value(const std::optional<T>& maybe) {
    return maybe ? value(*maybe) : null();
  }
  template <class T>
  JsonWriter& field(std::string_view name, const T& v) {
    key(name);
    return value(v);
  }

  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void separate();
  std::string out_;
  std::vector<bool> first_;  // per open container: no element written yet
  bool after_key_ = false;
};

}  // namespace marquee::api

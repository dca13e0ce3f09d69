#pragma once
// A Python literal value as found in the dataset's list columns:
// None, True/False, int, float, str, list, tuple (kept as a list), dict.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace marquee::literal {

struct Value;
// A dict entry. A struct rather than std::pair: with clang and libstdc++,
// std::pair of a still-incomplete type inside the variant does not compile.
struct DictEntry;
using List = std::vector<Value>;
using Dict = std::vector<DictEntry>;  // insertion order kept

struct None {
  bool operator==(const None&) const = default;
};

struct Value {
  std::variant<None, bool, std::int64_t, double, std::string, List, Dict> data;

  bool is_none() const { return std::holds_alternative<None>(data); }
  const std::string* as_string() const { return std::get_if<std::string>(&data); }
  const std::int64_t* as_int() const { return std::get_if<std::int64_t>(&data); }
  const List* as_list() const { return std::get_if<List>(&data); }
  const Dict* as_dict() const { return std::get_if<Dict>(&data); }
  // For a dict: the value under the string key `key`, or nullptr.
  const Value* find(std::string_view key) const;
};

struct DictEntry {
  Value first;   // the key
  Value second;  // the value
};

}  // namespace marquee::literal

#pragma once
// A fast path for the dataset's common literal shapes: a list of flat dicts
// ("[{'id': 16, 'name': 'Animation'}, ...]") or one flat dict (a collection).
// Keys are plain strings; values are plain strings, ints, None, True or False.
// "Plain" means: no backslash, no u/r prefix, ints of at most 18 digits
// without leading zeros. Nothing is allocated beyond the output's vectors
// (reused between calls), and strings are views into the text.
//
// Contract: when it returns true, the result is exactly what parse() would
// give (outcome Ok, same entries, same values, same order). For anything
// else -- other shapes, escapes, errors, salvage -- it returns false and the
// caller uses parse(), which alone decides messages and salvage.
#include <cstdint>
#include <string_view>
#include <vector>

namespace marquee::literal {

struct FlatValue {
  enum class Kind : std::uint8_t { None, Bool, Int, String };
  Kind kind = Kind::None;
  bool boolean = false;
  std::int64_t integer = 0;
  std::string_view text;  // Kind::String: the value (a view into the parsed text)
};

struct FlatDicts {
  struct Entry {
    std::string_view key;
    FlatValue value;
  };
  std::vector<Entry> entries;          // every dict's entries, back to back
  std::vector<std::uint32_t> ends;     // dict d holds entries [ends[d-1], ends[d])

  std::size_t size() const { return ends.size(); }
  // The value under `key` in dict `dict`, or nullptr; a repeated key gives
  // its last value, as Value::find does.
  const FlatValue* find(std::size_t dict, std::string_view key) const;
};

// A list of flat dicts (possibly empty), surrounding spaces allowed.
bool parse_flat_dict_list(std::string_view text, FlatDicts& out);
// One flat dict, surrounding spaces allowed: out.size() == 1.
bool parse_flat_dict(std::string_view text, FlatDicts& out);

}  // namespace marquee::literal

// libFuzzer target over the Python-literal parser and its flat-dict fast path.
// Checked on every input, beyond "no crash, no sanitizer report, no
// exception":
//  - Failed gives None; Ok gives no message; anything not Ok names an offset
//    within the text and says what was wrong;
//  - an Ok value, rendered back as a literal, parses Ok to the same rendering;
//  - when parse_flat_dict_list / parse_flat_dict accept the text, parse()
//    gives Ok and the same dicts, entries, values and order (their contract,
//    flat_dicts.hpp).
// Built with -DMARQUEE_FUZZ=ON and clang; see CMakeLists.txt for how ctest runs
// it and how to run it longer.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>

#include <fmt/format.h>

#include "literal/flat_dicts.hpp"
#include "literal/parser.hpp"

namespace {

using namespace marquee::literal;

void check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "literal_parser_fuzz: invariant broken: %s\n", what);
  std::abort();
}

std::string repr(const Value& value);

std::string repr_string(const std::string& s) {
  std::string out = "'";
  for (const char c : s) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\\' || c == '\'') {
      out += '\\';
      out += c;
    } else if (byte < 0x20 || byte == 0x7f) {
      out += fmt::format("\\x{:02x}", byte);
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string repr_double(double d) {
  if (std::isinf(d)) return d > 0 ? "1e999" : "-1e999";
  std::string text = fmt::format("{}", d);
  if (text.find_first_of(".e") == std::string::npos) text += ".0";
  return text;
}

std::string repr(const Value& value) {
  struct Visitor {
    std::string operator()(const None&) const { return "None"; }
    std::string operator()(bool b) const { return b ? "True" : "False"; }
    std::string operator()(std::int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const { return repr_double(d); }
    std::string operator()(const std::string& s) const { return repr_string(s); }
    std::string operator()(const List& list) const {
      std::string out = "[";
      for (std::size_t i = 0; i < list.size(); ++i) out += (i ? ", " : "") + repr(list[i]);
      return out + "]";
    }
    std::string operator()(const Dict& dict) const {
      std::string out = "{";
      for (std::size_t i = 0; i < dict.size(); ++i) {
        out += (i ? ", " : "") + repr(dict[i].first) + ": " + repr(dict[i].second);
      }
      return out + "}";
    }
  };
  return std::visit(Visitor{}, value.data);
}

bool same(const FlatValue& flat, const Value& value) {
  switch (flat.kind) {
    case FlatValue::Kind::None: return value.is_none();
    case FlatValue::Kind::Bool: {
      const bool* b = std::get_if<bool>(&value.data);
      return b != nullptr && *b == flat.boolean;
    }
    case FlatValue::Kind::Int: return value.as_int() != nullptr && *value.as_int() == flat.integer;
    case FlatValue::Kind::String: return value.as_string() != nullptr && *value.as_string() == flat.text;
  }
  return false;
}

bool same_dict(const FlatDicts& flat, std::size_t d, const Value& value) {
  const Dict* dict = value.as_dict();
  if (dict == nullptr) return false;
  const std::size_t begin = d == 0 ? 0 : flat.ends[d - 1];
  if (flat.ends[d] - begin != dict->size()) return false;
  for (std::size_t i = 0; i < dict->size(); ++i) {
    const FlatDicts::Entry& entry = flat.entries[begin + i];
    const std::string* key = (*dict)[i].first.as_string();
    if (key == nullptr || *key != entry.key || !same(entry.value, (*dict)[i].second)) return false;
  }
  return true;
}

void check_flat(std::string_view text, const ParseResult& parsed) {
  FlatDicts flat;
  if (parse_flat_dict_list(text, flat)) {
    check(parsed.outcome == Outcome::Ok, "flat list accepted what parse() does not");
    const List* list = parsed.value.as_list();
    check(list != nullptr && list->size() == flat.size(), "flat list: another dict count");
    for (std::size_t d = 0; d < flat.size(); ++d) check(same_dict(flat, d, (*list)[d]), "flat list: another dict");
  }
  if (parse_flat_dict(text, flat)) {
    check(parsed.outcome == Outcome::Ok, "flat dict accepted what parse() does not");
    check(flat.size() == 1 && same_dict(flat, 0, parsed.value), "flat dict: another dict");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const ParseResult parsed = parse(text);
  switch (parsed.outcome) {
    case Outcome::Ok: check(parsed.message.empty(), "Ok with a message"); break;
    case Outcome::Failed: check(parsed.value.is_none(), "Failed with a value"); [[fallthrough]];
    case Outcome::Salvaged:
      check(!parsed.message.empty(), "no message for a problem");
      check(parsed.error_offset <= text.size(), "error offset beyond the text");
      break;
  }
  if (parsed.outcome == Outcome::Ok) {
    const std::string rendered = repr(parsed.value);
    const ParseResult again = parse(rendered);
    check(again.outcome == Outcome::Ok, "the rendering of an Ok value does not parse");
    check(repr(again.value) == rendered, "the rendering parses to another value");
  }
  check_flat(text, parsed);
  return 0;
}

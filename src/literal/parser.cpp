// Hand-written hot path: this parser runs on five columns of every row
// (millions of values), so it is one forward pass over the text, recursive
// descent with a depth counter, no tokenizer, no exceptions for control flow,
// and a string without escapes is copied with a single append.
#include "literal/parser.hpp"

#include <charconv>
#include <cstdint>
#include <limits>
#include <system_error>
#include <utility>

#include <fast_float/fast_float.h>
#include <fmt/format.h>

#include "common/utf8.hpp"

namespace marquee::literal {
namespace {

constexpr int kMaxDepth = 64;
constexpr std::string_view kTooDeep = "nesting deeper than 64 levels";
// Names in messages are ASCII identifiers, but may be arbitrarily long.
constexpr std::size_t kMaxNameInMessage = 32;
// The dataset's lists and dicts mostly hold 1 to 4 entries: one allocation
// instead of three growth steps.
constexpr std::size_t kInitialCapacity = 4;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_octal(char c) { return c >= '0' && c <= '7'; }
bool is_name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_name_char(char c) { return is_name_start(c) || is_digit(c); }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

class Parser {
 public:
  explicit Parser(std::string_view text)
      : begin_(text.data()), pos_(text.data()), end_(text.data() + text.size()) {}

  ParseResult run();

 private:
  bool parse_value(Value& out, int depth);
  bool parse_list(Value& out, int depth);
  bool parse_tuple(Value& out, int depth);
  bool parse_sequence(List& items, char close, int depth, bool& saw_comma);
  bool parse_dict(Value& out, int depth);
  bool parse_string(std::string& out, const char* literal_start, bool raw);
  bool decode_escape(std::string& out, const char* literal_start);
  bool copy_raw_escape(std::string& out, const char* literal_start);
  bool append_hex_escape(std::string& out, const char* escape, int digits,
                         std::string_view truncated_message);
  void append_octal_escape(std::string& out, char first_digit);
  bool parse_number(Value& out);
  bool parse_name(Value& out);

  void skip_space() {
    while (pos_ < end_ && is_space(*pos_)) ++pos_;
  }
  bool at(char c) const { return pos_ < end_ && *pos_ == c; }
  std::size_t offset(const char* p) const { return static_cast<std::size_t>(p - begin_); }
  // Records the first (innermost) problem; callers just propagate `false`.
  bool fail(const char* where, std::string_view what);

  const char* begin_;
  const char* pos_;
  const char* end_;
  std::size_t error_offset_ = 0;
  std::string error_message_;
};

bool Parser::fail(const char* where, std::string_view what) {
  error_offset_ = offset(where);
  error_message_ = fmt::format("{} at offset {}{}", what, error_offset_,
                               where == end_ ? " (end of text)" : "");
  return false;
}

ParseResult Parser::run() {
  ParseResult result;
  skip_space();
  if (pos_ == end_) {
    result.message = "empty";
    return result;
  }
  Value value;
  if (!parse_value(value, 0)) {
    // A top-level list keeps its complete entries: parse_sequence never
    // leaves a half-parsed entry behind.
    const List* entries = value.as_list();
    if (entries != nullptr && !entries->empty()) {
      result.outcome = Outcome::Salvaged;
      result.value = std::move(value);
    }
    result.error_offset = error_offset_;
    result.message = std::move(error_message_);
    return result;
  }
  skip_space();
  if (pos_ != end_) {
    fail(pos_, "unexpected text after the value");
    result.outcome = Outcome::Salvaged;
    result.error_offset = error_offset_;
    result.message = std::move(error_message_);
  } else {
    result.outcome = Outcome::Ok;
  }
  result.value = std::move(value);
  return result;
}

bool Parser::parse_value(Value& out, int depth) {
  skip_space();
  if (pos_ == end_) return fail(pos_, "expected a value");
  switch (*pos_) {
    case '[':
      return parse_list(out, depth);
    case '(':
      return parse_tuple(out, depth);
    case '{':
      return parse_dict(out, depth);
    case '\'':
    case '"':
      return parse_string(out.data.emplace<std::string>(), pos_, false);
    case '-':
    case '+':
    case '.':
      return parse_number(out);
    default:
      if (is_digit(*pos_)) return parse_number(out);
      if (is_name_start(*pos_)) return parse_name(out);
      return fail(pos_, "expected a value");
  }
}

bool Parser::parse_list(Value& out, int depth) {
  if (depth >= kMaxDepth) return fail(pos_, kTooDeep);
  ++pos_;
  bool saw_comma = false;
  return parse_sequence(out.data.emplace<List>(), ']', depth + 1, saw_comma);
}

bool Parser::parse_tuple(Value& out, int depth) {
  if (depth >= kMaxDepth) return fail(pos_, kTooDeep);
  ++pos_;
  bool saw_comma = false;
  List& items = out.data.emplace<List>();
  if (!parse_sequence(items, ')', depth + 1, saw_comma)) return false;
  // As in Python, "(x)" is x in parentheses; only "(x,)" is a 1-tuple.
  if (items.size() == 1 && !saw_comma) {
    Value inner = std::move(items.front());
    out = std::move(inner);
  }
  return true;
}

// `items` receives only complete entries, so a top-level list cut short by an
// error still holds everything before the error (the salvage rule).
bool Parser::parse_sequence(List& items, char close, int depth, bool& saw_comma) {
  const std::string_view expected = close == ']' ? "expected ',' or ']'" : "expected ',' or ')'";
  skip_space();
  if (at(close)) {
    ++pos_;
    return true;
  }
  items.reserve(kInitialCapacity);
  for (;;) {
    Value& item = items.emplace_back();
    if (!parse_value(item, depth)) {
      items.pop_back();
      return false;
    }
    skip_space();
    if (at(close)) {
      ++pos_;
      return true;
    }
    if (!at(',')) return fail(pos_, expected);
    ++pos_;
    saw_comma = true;
    skip_space();
    if (at(close)) {  // trailing comma
      ++pos_;
      return true;
    }
  }
}

bool Parser::parse_dict(Value& out, int depth) {
  if (depth >= kMaxDepth) return fail(pos_, kTooDeep);
  ++pos_;
  Dict& entries = out.data.emplace<Dict>();
  skip_space();
  if (at('}')) {
    ++pos_;
    return true;
  }
  entries.reserve(kInitialCapacity);
  for (;;) {
    auto& [key, value] = entries.emplace_back();
    if (!parse_value(key, depth + 1)) return false;
    skip_space();
    if (!at(':')) return fail(pos_, "expected ':'");
    ++pos_;
    if (!parse_value(value, depth + 1)) return false;
    skip_space();
    if (at('}')) {
      ++pos_;
      return true;
    }
    if (!at(',')) return fail(pos_, "expected ',' or '}'");
    ++pos_;
    skip_space();
    if (at('}')) {  // trailing comma
      ++pos_;
      return true;
    }
  }
}

bool Parser::parse_string(std::string& out, const char* literal_start, bool raw) {
  const char quote = *pos_++;
  for (;;) {
    const char* chunk = pos_;
    while (pos_ < end_ && *pos_ != quote && *pos_ != '\\') ++pos_;
    out.append(chunk, pos_);
    if (pos_ == end_) return fail(literal_start, "unterminated string");
    if (*pos_ == quote) {
      ++pos_;
      return true;
    }
    const bool ok = raw ? copy_raw_escape(out, literal_start) : decode_escape(out, literal_start);
    if (!ok) return false;
  }
}

// A raw string keeps the backslash and the character after it; the backslash
// still stops that character (even a quote) from ending the string.
bool Parser::copy_raw_escape(std::string& out, const char* literal_start) {
  ++pos_;
  if (pos_ == end_) return fail(literal_start, "unterminated string");
  out.push_back('\\');
  out.push_back(*pos_++);
  return true;
}

bool Parser::decode_escape(std::string& out, const char* literal_start) {
  const char* escape = pos_++;
  if (pos_ == end_) return fail(literal_start, "unterminated string");
  const char c = *pos_++;
  switch (c) {
    case '\n':  // line continuation
      return true;
    case '\r':
      if (at('\n')) ++pos_;
      return true;
    case '\\':
    case '\'':
    case '"':
      out.push_back(c);
      return true;
    case 'a': out.push_back('\a'); return true;
    case 'b': out.push_back('\b'); return true;
    case 'f': out.push_back('\f'); return true;
    case 'n': out.push_back('\n'); return true;
    case 'r': out.push_back('\r'); return true;
    case 't': out.push_back('\t'); return true;
    case 'v': out.push_back('\v'); return true;
    case 'x': return append_hex_escape(out, escape, 2, "truncated \\xXX escape");
    case 'u': return append_hex_escape(out, escape, 4, "truncated \\uXXXX escape");
    case 'U': return append_hex_escape(out, escape, 8, "truncated \\UXXXXXXXX escape");
    case 'N': return fail(escape, "unsupported \\N{...} escape");
    default:
      if (is_octal(c)) {
        append_octal_escape(out, c);
      } else {  // Python keeps unknown escapes such as \q as they are
        out.push_back('\\');
        out.push_back(c);
      }
      return true;
  }
}

// \ooo: one to three octal digits naming a code point (at most U+01FF).
void Parser::append_octal_escape(std::string& out, char first_digit) {
  char32_t code_point = static_cast<char32_t>(first_digit - '0');
  for (int i = 0; i < 2 && pos_ < end_ && is_octal(*pos_); ++i, ++pos_) {
    code_point = code_point * 8 + static_cast<char32_t>(*pos_ - '0');
  }
  utf8::append_code_point(out, code_point);  // always valid below U+0200
}

bool Parser::append_hex_escape(std::string& out, const char* escape, int digits,
                               std::string_view truncated_message) {
  char32_t code_point = 0;
  for (int i = 0; i < digits; ++i, ++pos_) {
    const int digit = pos_ < end_ ? hex_value(*pos_) : -1;
    if (digit < 0) return fail(escape, truncated_message);
    code_point = code_point * 16 + static_cast<char32_t>(digit);
  }
  if (!utf8::append_code_point(out, code_point)) {
    return fail(escape, fmt::format("invalid code point U+{:04X} in escape",
                                    static_cast<std::uint32_t>(code_point)));
  }
  return true;
}

// Python's grammar: an optional sign (spaces may follow it), digits with an
// optional fraction and exponent; ".5" and "5." are floats; an int may not
// have leading zeros ("007"), but "0", "00" and "007.5" are fine.
bool Parser::parse_number(Value& out) {
  const char* start = pos_;
  bool negative = false;
  if (*pos_ == '-' || *pos_ == '+') {
    negative = *pos_ == '-';
    ++pos_;
    skip_space();
  }
  const char* digits = pos_;
  const char* p = pos_;
  while (p < end_ && is_digit(*p)) ++p;
  const char* int_end = p;
  bool is_float = false;
  bool has_digit = int_end > digits;
  if (p < end_ && *p == '.') {
    is_float = true;
    ++p;
    const char* fraction = p;
    while (p < end_ && is_digit(*p)) ++p;
    has_digit = has_digit || p > fraction;
  }
  if (!has_digit) return fail(start, "expected a number");
  if (p < end_ && (*p == 'e' || *p == 'E')) {
    const char* exponent = p + 1;
    if (exponent < end_ && (*exponent == '+' || *exponent == '-')) ++exponent;
    if (exponent == end_ || !is_digit(*exponent)) return fail(start, "invalid number");
    while (exponent < end_ && is_digit(*exponent)) ++exponent;
    p = exponent;
    is_float = true;
  }
  pos_ = p;

  if (is_float) {
    double number = 0;
    // Out-of-range exponents give +-inf, as in Python ("1e999").
    const auto parsed = fast_float::from_chars(digits, p, number);
    if (parsed.ptr != p) return fail(start, "invalid number");
    out.data = negative ? -number : number;
    return true;
  }
  if (int_end - digits > 1 && *digits == '0' &&
      std::string_view(digits, int_end).find_first_not_of('0') != std::string_view::npos) {
    return fail(start, "invalid number (leading zero)");
  }
  std::uint64_t magnitude = 0;
  const auto parsed = std::from_chars(digits, int_end, magnitude);
  constexpr std::uint64_t kMaxPositive = std::numeric_limits<std::int64_t>::max();
  if (parsed.ec != std::errc{} || magnitude > kMaxPositive + (negative ? 1 : 0)) {
    return fail(start, "integer out of range");
  }
  if (!negative) {
    out.data = static_cast<std::int64_t>(magnitude);
  } else if (magnitude == kMaxPositive + 1) {
    out.data = std::numeric_limits<std::int64_t>::min();
  } else {
    out.data = -static_cast<std::int64_t>(magnitude);
  }
  return true;
}

// None, True, False, or a string prefix: u'' (same as plain) or r'' (raw).
bool Parser::parse_name(Value& out) {
  const char* start = pos_;
  const char* p = pos_;
  while (p < end_ && is_name_char(*p)) ++p;
  const std::string_view name(start, static_cast<std::size_t>(p - start));
  const std::string_view shown = name.substr(0, kMaxNameInMessage);
  pos_ = p;
  if (at('\'') || at('"')) {
    if (name == "u" || name == "U") return parse_string(out.data.emplace<std::string>(), start, false);
    if (name == "r" || name == "R") return parse_string(out.data.emplace<std::string>(), start, true);
    return fail(start, fmt::format("unsupported string prefix '{}'", shown));
  }
  if (name == "None") {
    out.data = None{};
  } else if (name == "True") {
    out.data = true;
  } else if (name == "False") {
    out.data = false;
  } else {
    return fail(start, fmt::format("unknown name '{}'", shown));
  }
  return true;
}

}  // namespace

ParseResult parse(std::string_view text) { return Parser(text).run(); }

}  // namespace marquee::literal

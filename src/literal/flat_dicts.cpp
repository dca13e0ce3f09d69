// Hand-written hot path: the four list columns and the collection of every
// row come through here (tens of millions of values at 100x), so it is one
// forward pass that allocates nothing and bails out at the first thing that
// is not plainly the common shape. It accepts a strict subset of what parse()
// accepts and reads it the same way (see flat_dicts.hpp); flat_dicts_test
// checks the two against each other.
#include "literal/flat_dicts.hpp"

#include <cstring>

namespace marquee::literal {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || is_digit(c);
}

// Ints longer than this might not fit int64: parse() decides those.
constexpr std::size_t kMaxIntDigits = 18;

class FlatParser {
 public:
  FlatParser(std::string_view text, FlatDicts& out)
      : pos_(text.data()), end_(text.data() + text.size()), out_(out) {
    out_.entries.clear();
    out_.ends.clear();
  }

  bool list() {
    skip_space();
    if (!take('[')) return false;
    skip_space();
    if (!take(']')) {
      for (;;) {
        if (!dict()) return false;
        skip_space();
        if (take(']')) break;
        if (!take(',')) return false;
        skip_space();
        if (take(']')) break;  // trailing comma
      }
    }
    return at_end();
  }

  bool single_dict() { return dict() && at_end(); }

 private:
  bool dict() {
    skip_space();
    if (!take('{')) return false;
    skip_space();
    if (!take('}')) {
      for (;;) {
        FlatDicts::Entry entry;
        skip_space();
        if (!string(entry.key)) return false;
        skip_space();
        if (!take(':')) return false;
        skip_space();
        if (!value(entry.value)) return false;
        out_.entries.push_back(entry);
        skip_space();
        if (take('}')) break;
        if (!take(',')) return false;
        skip_space();
        if (take('}')) break;  // trailing comma
      }
    }
    out_.ends.push_back(static_cast<std::uint32_t>(out_.entries.size()));
    return true;
  }

  bool value(FlatValue& v) {
    if (pos_ == end_) return false;
    const char c = *pos_;
    if (c == '\'' || c == '"') {
      v.kind = FlatValue::Kind::String;
      return string(v.text);
    }
    if (c == '-' || is_digit(c)) return integer(v);
    return name(v);
  }

  bool string(std::string_view& out) {
    if (pos_ == end_ || (*pos_ != '\'' && *pos_ != '"')) return false;
    const char quote = *pos_++;
    const char* start = pos_;
    const auto* close = static_cast<const char*>(std::memchr(pos_, quote, static_cast<std::size_t>(end_ - pos_)));
    if (close == nullptr) return false;
    // A backslash may escape the quote found or change the value: parse() decides.
    if (std::memchr(start, '\\', static_cast<std::size_t>(close - start)) != nullptr) return false;
    out = std::string_view(start, static_cast<std::size_t>(close - start));
    pos_ = close + 1;
    return true;
  }

  bool integer(FlatValue& v) {
    const bool negative = *pos_ == '-';
    if (negative) ++pos_;
    const char* digits = pos_;
    while (pos_ < end_ && is_digit(*pos_)) ++pos_;
    const auto count = static_cast<std::size_t>(pos_ - digits);
    if (count == 0 || count > kMaxIntDigits || (count > 1 && *digits == '0')) return false;
    std::int64_t magnitude = 0;  // at most 18 digits: cannot overflow
    for (const char* d = digits; d < pos_; ++d) magnitude = magnitude * 10 + (*d - '0');
    // A fraction or exponent makes it a float: parse() decides.
    if (pos_ < end_ && (*pos_ == '.' || *pos_ == 'e' || *pos_ == 'E')) return false;
    v.kind = FlatValue::Kind::Int;
    v.integer = negative ? -magnitude : magnitude;
    return true;
  }

  bool name(FlatValue& v) {
    const char* start = pos_;
    while (pos_ < end_ && is_name_char(*pos_)) ++pos_;
    if (pos_ < end_ && (*pos_ == '\'' || *pos_ == '"')) return false;  // a string prefix
    const std::string_view word(start, static_cast<std::size_t>(pos_ - start));
    if (word == "None") {
      v.kind = FlatValue::Kind::None;
    } else if (word == "True" || word == "False") {
      v.kind = FlatValue::Kind::Bool;
      v.boolean = word == "True";
    } else {
      return false;
    }
    return true;
  }

  void skip_space() {
    while (pos_ < end_ && is_space(*pos_)) ++pos_;
  }
  bool take(char c) {
    if (pos_ == end_ || *pos_ != c) return false;
    ++pos_;
    return true;
  }
  bool at_end() {
    skip_space();
    return pos_ == end_;
  }

  const char* pos_;
  const char* end_;
  FlatDicts& out_;
};

}  // namespace

const FlatValue* FlatDicts::find(std::size_t dict, std::string_view key) const {
  const std::uint32_t begin = dict == 0 ? 0 : ends[dict - 1];
  for (std::uint32_t i = ends[dict]; i > begin; --i) {
    if (entries[i - 1].key == key) return &entries[i - 1].value;
  }
  return nullptr;
}

bool parse_flat_dict_list(std::string_view text, FlatDicts& out) { return FlatParser(text, out).list(); }

bool parse_flat_dict(std::string_view text, FlatDicts& out) { return FlatParser(text, out).single_dict(); }

}  // namespace marquee::literal

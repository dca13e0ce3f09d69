#include "literal/parser.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace marquee::literal {
namespace {

// Python-like rendering used to state expected values compactly. Strings are
// always single-quoted; control bytes become \xNN and bytes >= 0x80 are kept
// raw, so the parser reads the rendering back to the same bytes.
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

// The text parses completely; returns the rendering of its value.
std::string ok(std::string_view text) {
  const ParseResult result = parse(text);
  EXPECT_EQ(result.outcome, Outcome::Ok) << "text: " << text << "\nmessage: " << result.message;
  EXPECT_EQ(result.message, "");
  return repr(result.value);
}

// The string value of a text that must parse completely to a str.
std::string str(std::string_view text) {
  const ParseResult result = parse(text);
  EXPECT_EQ(result.outcome, Outcome::Ok) << "text: " << text << "\nmessage: " << result.message;
  const std::string* s = result.value.as_string();
  return s != nullptr ? *s : "<not a string>";
}

void expect_failed(std::string_view text, std::size_t offset, std::string_view message) {
  const ParseResult result = parse(text);
  EXPECT_EQ(result.outcome, Outcome::Failed) << "text: " << text;
  EXPECT_TRUE(result.value.is_none()) << "text: " << text;
  EXPECT_EQ(result.error_offset, offset) << "text: " << text;
  EXPECT_EQ(result.message, message) << "text: " << text;
}

void expect_salvaged(std::string_view text, std::string_view value, std::size_t offset,
                     std::string_view message) {
  const ParseResult result = parse(text);
  EXPECT_EQ(result.outcome, Outcome::Salvaged) << "text: " << text;
  EXPECT_EQ(repr(result.value), value) << "text: " << text;
  EXPECT_EQ(result.error_offset, offset) << "text: " << text;
  EXPECT_EQ(result.message, message) << "text: " << text;
}

// ---------------------------------------------------------------- scalars

TEST(LiteralScalars, NoneTrueFalse) {
  EXPECT_EQ(ok("None"), "None");
  EXPECT_EQ(ok("True"), "True");
  EXPECT_EQ(ok("False"), "False");
  EXPECT_TRUE(parse("None").value.is_none());
  EXPECT_EQ(std::get<bool>(parse("True").value.data), true);
  EXPECT_EQ(std::get<bool>(parse("False").value.data), false);
}

TEST(LiteralScalars, Integers) {
  EXPECT_EQ(*parse("0").value.as_int(), 0);
  EXPECT_EQ(*parse("00").value.as_int(), 0);
  EXPECT_EQ(*parse("42").value.as_int(), 42);
  EXPECT_EQ(*parse("10751").value.as_int(), 10751);
  EXPECT_EQ(*parse("-7").value.as_int(), -7);
  EXPECT_EQ(*parse("+3").value.as_int(), 3);
  EXPECT_EQ(*parse("- 5").value.as_int(), -5);  // Python allows space after the sign
  EXPECT_EQ(*parse("9223372036854775807").value.as_int(), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(*parse("-9223372036854775808").value.as_int(), std::numeric_limits<std::int64_t>::min());
}

TEST(LiteralScalars, IntegerErrors) {
  expect_failed("9223372036854775808", 0, "integer out of range at offset 0");
  expect_failed("-9223372036854775809", 0, "integer out of range at offset 0");
  expect_failed("123456789012345678901234567890", 0, "integer out of range at offset 0");
  expect_failed("007", 0, "invalid number (leading zero) at offset 0");
  expect_failed("-", 0, "expected a number at offset 0");
  expect_failed("-x", 0, "expected a number at offset 0");
  expect_failed(".", 0, "expected a number at offset 0");
}

TEST(LiteralScalars, Floats) {
  auto number = [](std::string_view text) {
    const ParseResult result = parse(text);
    EXPECT_EQ(result.outcome, Outcome::Ok) << text << ": " << result.message;
    const double* d = std::get_if<double>(&result.value.data);
    return d != nullptr ? *d : std::nan("");
  };
  EXPECT_EQ(number("1.5"), 1.5);
  EXPECT_EQ(number("-0.25"), -0.25);
  EXPECT_EQ(number("+2.0"), 2.0);
  EXPECT_EQ(number("8.2e-05"), 8.2e-05);
  EXPECT_EQ(number("1e3"), 1000.0);
  EXPECT_EQ(number("1E+2"), 100.0);
  EXPECT_EQ(number("-3.5e2"), -350.0);
  EXPECT_EQ(number(".5"), 0.5);
  EXPECT_EQ(number("5."), 5.0);
  EXPECT_EQ(number("007.5"), 7.5);
  EXPECT_EQ(number("21.946943"), 21.946943);
  EXPECT_EQ(number("1e999"), std::numeric_limits<double>::infinity());
  EXPECT_EQ(number("-1e999"), -std::numeric_limits<double>::infinity());
  expect_failed("1e", 0, "invalid number at offset 0");
  expect_failed("2.5e+", 0, "invalid number at offset 0");
}

TEST(LiteralScalars, NonLiteralNames) {
  expect_failed("nan", 0, "unknown name 'nan' at offset 0");
  expect_failed("inf", 0, "unknown name 'inf' at offset 0");
  expect_failed("null", 0, "unknown name 'null' at offset 0");
  expect_failed("  Nonesuch", 2, "unknown name 'Nonesuch' at offset 2");
  expect_failed(std::string(100, 'x'), 0,
                "unknown name 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' at offset 0");
  expect_failed("b'bytes'", 0, "unsupported string prefix 'b' at offset 0");
  expect_failed("f'{x}'", 0, "unsupported string prefix 'f' at offset 0");
  expect_failed("@", 0, "expected a value at offset 0");
}

TEST(LiteralScalars, EmptyText) {
  expect_failed("", 0, "empty");
  expect_failed(" \t\r\n ", 0, "empty");
}

// ---------------------------------------------------------------- strings

TEST(LiteralStrings, BothQuoteStyles) {
  EXPECT_EQ(str("'Comedy'"), "Comedy");
  EXPECT_EQ(str("\"Comedy\""), "Comedy");
  EXPECT_EQ(str("''"), "");
  EXPECT_EQ(str("\"\""), "");
  EXPECT_EQ(str("\"Ringo's Film\""), "Ringo's Film");
  EXPECT_EQ(str("\"D'Pelicula\""), "D'Pelicula");
  EXPECT_EQ(str("'Double \"A\" Pictures'"), "Double \"A\" Pictures");
  EXPECT_EQ(str("'Ringo\\'s Film'"), "Ringo's Film");
}

TEST(LiteralStrings, Prefixes) {
  EXPECT_EQ(str("u'abc'"), "abc");
  EXPECT_EQ(str("U\"abc\""), "abc");
  EXPECT_EQ(str("u'\\n'"), "\n");
  EXPECT_EQ(str(R"(r'a\nb')"), R"(a\nb)");
  EXPECT_EQ(str(R"(R"C:\dir")"), R"(C:\dir)");
  EXPECT_EQ(str(R"(r'it\'s')"), R"(it\'s)");  // the backslash stays in a raw string
}

TEST(LiteralStrings, SimpleEscapes) {
  EXPECT_EQ(str(R"('\'')"), "'");
  EXPECT_EQ(str(R"("\"")"), "\"");
  EXPECT_EQ(str(R"('\"')"), "\"");
  EXPECT_EQ(str(R"("\'")"), "'");
  EXPECT_EQ(str(R"('a\\b')"), "a\\b");
  EXPECT_EQ(str(R"('\n')"), "\n");
  EXPECT_EQ(str(R"('\t')"), "\t");
  EXPECT_EQ(str(R"('\r')"), "\r");
  EXPECT_EQ(str(R"('\a')"), "\x07");
  EXPECT_EQ(str(R"('\b')"), "\x08");
  EXPECT_EQ(str(R"('\f')"), "\x0c");
  EXPECT_EQ(str(R"('\v')"), "\x0b");
  EXPECT_EQ(str(R"('x\0y')"), std::string("x\0y", 3));
}

TEST(LiteralStrings, OctalEscapes) {
  EXPECT_EQ(str(R"('\101')"), "A");
  EXPECT_EQ(str(R"('\7')"), "\x07");
  EXPECT_EQ(str(R"('\12x')"), "\nx");
  EXPECT_EQ(str(R"('\1234')"), "S4");           // at most three digits
  EXPECT_EQ(str(R"('\351')"), "\xC3\xA9");      // U+00E9 as UTF-8
  EXPECT_EQ(str(R"('\777')"), "\xC7\xBF");      // U+01FF
  EXPECT_EQ(str(R"('\08')"), std::string("\0" "8", 2));
}

TEST(LiteralStrings, HexAndUnicodeEscapes) {
  EXPECT_EQ(str(R"('\x41')"), "A");
  EXPECT_EQ(str(R"('caf\xe9')"), "caf\xC3\xA9");  // é, not the raw byte 0xE9
  EXPECT_EQ(str(R"('\xE9')"), "\xC3\xA9");
  EXPECT_EQ(str(R"('\x00')"), std::string(1, '\0'));
  EXPECT_EQ(str(R"('\u00e9')"), "\xC3\xA9");
  EXPECT_EQ(str(R"('\u65e5\u672c')"), "\xE6\x97\xA5\xE6\x9C\xAC");  // 日本
  EXPECT_EQ(str(R"('\U0001F600')"), "\xF0\x9F\x98\x80");            // 😀
  EXPECT_EQ(str(R"('\U0010FFFF')"), "\xF4\x8F\xBF\xBF");
}

TEST(LiteralStrings, BadEscapes) {
  expect_failed(R"('ab\x4')", 3, R"(truncated \xXX escape at offset 3)");
  expect_failed(R"('\xg0')", 1, R"(truncated \xXX escape at offset 1)");
  expect_failed(R"('\u12')", 1, R"(truncated \uXXXX escape at offset 1)");
  expect_failed(R"('\U0001F60')", 1, R"(truncated \UXXXXXXXX escape at offset 1)");
  expect_failed(R"('\x)", 1, R"(truncated \xXX escape at offset 1)");
  expect_failed(R"('\ud800')", 1, "invalid code point U+D800 in escape at offset 1");
  expect_failed(R"('\uDFFF')", 1, "invalid code point U+DFFF in escape at offset 1");
  expect_failed(R"('\U00110000')", 1, "invalid code point U+110000 in escape at offset 1");
  expect_failed(R"('\UFFFFFFFF')", 1, "invalid code point U+FFFFFFFF in escape at offset 1");
  expect_failed(R"('\N{BULLET}')", 1, R"(unsupported \N{...} escape at offset 1)");
}

TEST(LiteralStrings, UnknownEscapeKeepsBackslash) {
  EXPECT_EQ(str(R"('\q')"), "\\q");
  EXPECT_EQ(str(R"('a\.b')"), "a\\.b");
  EXPECT_EQ(str("'\\\xC3\xA9'"), "\\\xC3\xA9");  // backslash before a multi-byte character
}

TEST(LiteralStrings, LineContinuation) {
  EXPECT_EQ(str("'ab\\\ncd'"), "abcd");
  EXPECT_EQ(str("'ab\\\r\ncd'"), "abcd");
  EXPECT_EQ(str("'ab\\\rcd'"), "abcd");
}

TEST(LiteralStrings, RawBytesPassThrough) {
  EXPECT_EQ(str("'Fran\xC3\xA7" "ais'"), "Fran\xC3\xA7" "ais");             // Français
  EXPECT_EQ(str("'\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E'"), "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E");  // 日本語
  EXPECT_EQ(str("'\xFF\xFE'"), "\xFF\xFE");  // ill-formed UTF-8 is the model's concern
  EXPECT_EQ(str("'two\nlines'"), "two\nlines");
}

TEST(LiteralStrings, Unterminated) {
  expect_failed("'abc", 0, "unterminated string at offset 0");
  expect_failed("\"abc'", 0, "unterminated string at offset 0");
  expect_failed("'abc\\'", 0, "unterminated string at offset 0");
  expect_failed("'abc\\", 0, "unterminated string at offset 0");
  expect_failed("  u'abc", 2, "unterminated string at offset 2");
  expect_failed("r'abc\\", 0, "unterminated string at offset 0");
}

// ---------------------------------------------------------------- containers

TEST(LiteralContainers, Lists) {
  EXPECT_EQ(ok("[]"), "[]");
  EXPECT_EQ(ok("[ ]"), "[]");
  EXPECT_EQ(ok("[1, 'a', None, True, 2.5]"), "[1, 'a', None, True, 2.5]");
  EXPECT_EQ(ok("[[1, [2, []]], 3]"), "[[1, [2, []]], 3]");
  EXPECT_EQ(ok("[-1, -2.5e-3]"), "[-1, -0.0025]");
}

TEST(LiteralContainers, Tuples) {
  EXPECT_EQ(ok("()"), "[]");
  EXPECT_EQ(ok("(1, 2)"), "[1, 2]");
  EXPECT_EQ(ok("(1,)"), "[1]");
  EXPECT_EQ(ok("(1)"), "1");  // parentheses, not a tuple, as in Python
  EXPECT_EQ(ok("((('x')))"), "'x'");
  EXPECT_EQ(ok("[('en', 'English'), ('fr',)]"), "[['en', 'English'], ['fr']]");
  expect_failed("(,)", 1, "expected a value at offset 1");
}

TEST(LiteralContainers, Dicts) {
  EXPECT_EQ(ok("{}"), "{}");
  EXPECT_EQ(ok("{'id': 16, 'name': 'Animation'}"), "{'id': 16, 'name': 'Animation'}");
  EXPECT_EQ(ok("{1: 'one', None: [2], 'd': {'e': ()}}"), "{1: 'one', None: [2], 'd': {'e': []}}");
  // Repeated keys are kept as written; find() gives the last value, as a
  // Python dict would hold.
  const ParseResult repeated = parse("{'a': 1, 'b': 2, 'a': 3}");
  EXPECT_EQ(repr(repeated.value), "{'a': 1, 'b': 2, 'a': 3}");
  EXPECT_EQ(*repeated.value.find("a")->as_int(), 3);
  EXPECT_EQ(*repeated.value.find("b")->as_int(), 2);
}

TEST(LiteralContainers, TrailingCommas) {
  EXPECT_EQ(ok("[1, 2,]"), "[1, 2]");
  EXPECT_EQ(ok("(1, 2, )"), "[1, 2]");
  EXPECT_EQ(ok("{'a': 1,}"), "{'a': 1}");
  expect_salvaged("[1,,2]", "[1]", 3, "expected a value at offset 3");
  expect_failed("[,]", 1, "expected a value at offset 1");
  expect_failed("{,}", 1, "expected a value at offset 1");
}

TEST(LiteralContainers, Whitespace) {
  EXPECT_EQ(ok(" \t[ {\n'id' :\t35 ,\r\n 'name':'Comedy' } ,\n ]\r\n "),
            "[{'id': 35, 'name': 'Comedy'}]");
}

TEST(LiteralContainers, FindOnDicts) {
  const ParseResult result = parse("{'id': 35, 'name': 'Comedy', 7: 'seven'}");
  ASSERT_EQ(result.outcome, Outcome::Ok);
  const Value* id = result.value.find("id");
  ASSERT_NE(id, nullptr);
  EXPECT_EQ(*id->as_int(), 35);
  const Value* name = result.value.find("name");
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(*name->as_string(), "Comedy");
  EXPECT_EQ(result.value.find("7"), nullptr);  // an int key is not the string "7"
  EXPECT_EQ(result.value.find("missing"), nullptr);
  EXPECT_EQ(result.value.find(""), nullptr);
  EXPECT_EQ(parse("['id']").value.find("id"), nullptr);  // not a dict
  EXPECT_EQ(parse("'id'").value.find("id"), nullptr);
  EXPECT_EQ(Value{}.find("id"), nullptr);
}

TEST(LiteralContainers, DictErrors) {
  expect_failed("{'a' 1}", 5, "expected ':' at offset 5");
  expect_failed("{'a': 1 'b': 2}", 8, "expected ',' or '}' at offset 8");
  expect_failed("{'a': 1", 7, "expected ',' or '}' at offset 7 (end of text)");
  expect_failed("{'a':", 5, "expected a value at offset 5 (end of text)");
  expect_failed("{1, 2}", 2, "expected ':' at offset 2");  // sets are not supported
}

TEST(LiteralContainers, UnbalancedBrackets) {
  expect_failed("[", 1, "expected a value at offset 1 (end of text)");
  expect_failed("]", 0, "expected a value at offset 0");
  expect_salvaged("[1)", "[1]", 2, "expected ',' or ']' at offset 2");
  expect_salvaged("(1]", "[1]", 2, "expected ',' or ')' at offset 2");
  expect_failed("[(1, 2]", 6, "expected ',' or ')' at offset 6");
  expect_failed("{'a': [1}", 8, "expected ',' or ']' at offset 8");
  expect_salvaged("[1, 2", "[1, 2]", 5, "expected ',' or ']' at offset 5 (end of text)");
  expect_salvaged("[[1, 2]", "[[1, 2]]", 7, "expected ',' or ']' at offset 7 (end of text)");
  expect_salvaged("[1, 2]]", "[1, 2]", 6, "unexpected text after the value at offset 6");
}

TEST(LiteralContainers, DeepNesting) {
  const std::string deepest_allowed = std::string(64, '[') + std::string(64, ']');
  const ParseResult allowed = parse(deepest_allowed);
  EXPECT_EQ(allowed.outcome, Outcome::Ok);

  expect_failed(std::string(65, '[') + std::string(65, ']'), 64,
                "nesting deeper than 64 levels at offset 64");
  expect_failed(std::string(65, '(') + "1" + std::string(65, ')'), 64,
                "nesting deeper than 64 levels at offset 64");
  std::string dicts;
  for (int i = 0; i < 65; ++i) dicts += "{'a':";
  expect_failed(dicts, 5 * 64, "nesting deeper than 64 levels at offset 320");
  // Hostile input: a million brackets must not overflow the stack.
  expect_failed(std::string(1'000'000, '['), 64, "nesting deeper than 64 levels at offset 64");
  // Entries before a too-deep one are still salvaged.
  expect_salvaged("[1, " + std::string(100, '['), "[1]", 67,
                  "nesting deeper than 64 levels at offset 67");
}

// ---------------------------------------------------------------- salvage

TEST(LiteralSalvage, GatoradeFromTheRealData) {
  const ParseResult result = parse("[{'id': 35, 'name': 'Comedy'} GATORADE");
  EXPECT_EQ(result.outcome, Outcome::Salvaged);
  EXPECT_EQ(result.error_offset, 30u);
  EXPECT_EQ(result.message, "expected ',' or ']' at offset 30");
  const List* list = result.value.as_list();
  ASSERT_NE(list, nullptr);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(*list->front().find("id")->as_int(), 35);
  EXPECT_EQ(*list->front().find("name")->as_string(), "Comedy");
}

TEST(LiteralSalvage, KeepsOnlyCompleteEntries) {
  expect_salvaged("[{'id': 35, 'name': 'Comedy'}, {'id': 18, 'na",
                  "[{'id': 35, 'name': 'Comedy'}]", 42, "unterminated string at offset 42");
  expect_salvaged("[{'id': 35}, {'id': 18, 'name': 'Drama'},", "[{'id': 35}, {'id': 18, 'name': 'Drama'}]",
                  41, "expected a value at offset 41 (end of text)");
  expect_salvaged("(1, 2, @)", "[1, 2]", 7, "expected a value at offset 7");
  expect_salvaged("[1, [2, 3 x]]", "[1]", 10, "expected ',' or ']' at offset 10");
}

TEST(LiteralSalvage, ZeroCompleteEntriesFails) {
  expect_failed("[{'id': 35, 'name': 'Com", 20, "unterminated string at offset 20");
  expect_failed("[GATORADE]", 1, "unknown name 'GATORADE' at offset 1");
  expect_failed("[{'id': 35 'name'}]", 11, "expected ',' or '}' at offset 11");
}

TEST(LiteralSalvage, GarbageAfterACompleteValue) {
  expect_salvaged("[{'id': 35}] GATORADE", "[{'id': 35}]", 13,
                  "unexpected text after the value at offset 13");
  expect_salvaged("[] x", "[]", 3, "unexpected text after the value at offset 3");
  expect_salvaged("{'id': 10194} }", "{'id': 10194}", 14,
                  "unexpected text after the value at offset 14");
  expect_salvaged("None x", "None", 5, "unexpected text after the value at offset 5");
  expect_salvaged("'a' 'b'", "'a'", 4, "unexpected text after the value at offset 4");  // no concatenation
  expect_salvaged("12abc", "12", 2, "unexpected text after the value at offset 2");
}

// ---------------------------------------------------------------- real samples

TEST(LiteralRealSamples, Genres) {
  EXPECT_EQ(ok("[{'id': 16, 'name': 'Animation'}, {'id': 35, 'name': 'Comedy'}, "
               "{'id': 10751, 'name': 'Family'}]"),
            "[{'id': 16, 'name': 'Animation'}, {'id': 35, 'name': 'Comedy'}, "
            "{'id': 10751, 'name': 'Family'}]");
}

TEST(LiteralRealSamples, ProductionCompaniesWithApostrophes) {
  const ParseResult result = parse(
      "[{'name': 'Cigua Films', 'id': 93488}, {'name': \"D'Pelicula\", 'id': 93489}]");
  ASSERT_EQ(result.outcome, Outcome::Ok);
  const List& companies = *result.value.as_list();
  ASSERT_EQ(companies.size(), 2u);
  EXPECT_EQ(*companies[0].find("name")->as_string(), "Cigua Films");
  EXPECT_EQ(*companies[0].find("id")->as_int(), 93488);
  EXPECT_EQ(*companies[1].find("name")->as_string(), "D'Pelicula");
  EXPECT_EQ(*companies[1].find("id")->as_int(), 93489);

  EXPECT_EQ(ok("[{'name': 'American Zoetrope', 'id': 70}, {'name': 'Double \"A\" Pictures', "
               "'id': 25128}, {'name': 'Lumi\xC3\xA8re Pictures', 'id': 25129}]"),
            "[{'name': 'American Zoetrope', 'id': 70}, {'name': 'Double \"A\" Pictures', "
            "'id': 25128}, {'name': 'Lumi\xC3\xA8re Pictures', 'id': 25129}]");
}

TEST(LiteralRealSamples, CountriesAndLanguages) {
  EXPECT_EQ(ok("[{'iso_3166_1': 'US', 'name': 'United States of America'}]"),
            "[{'iso_3166_1': 'US', 'name': 'United States of America'}]");
  const ParseResult result = parse(
      "[{'iso_639_1': 'en', 'name': 'English'}, {'iso_639_1': 'fr', 'name': 'Fran\xC3\xA7" "ais'}]");
  ASSERT_EQ(result.outcome, Outcome::Ok);
  const List& languages = *result.value.as_list();
  ASSERT_EQ(languages.size(), 2u);
  EXPECT_EQ(*languages[0].find("iso_639_1")->as_string(), "en");
  EXPECT_EQ(*languages[0].find("name")->as_string(), "English");
  EXPECT_EQ(*languages[1].find("iso_639_1")->as_string(), "fr");
  EXPECT_EQ(*languages[1].find("name")->as_string(), "Fran\xC3\xA7" "ais");
  EXPECT_EQ(ok("[]"), "[]");  // 522 movies of the sample have no company
}

TEST(LiteralRealSamples, CollectionWithNonePosters) {
  const ParseResult result = parse(
      "{'id': 393564, 'name': \"McHale's Navy Collection\", 'poster_path': None, "
      "'backdrop_path': None}");
  ASSERT_EQ(result.outcome, Outcome::Ok);
  EXPECT_EQ(*result.value.find("id")->as_int(), 393564);
  EXPECT_EQ(*result.value.find("name")->as_string(), "McHale's Navy Collection");
  ASSERT_NE(result.value.find("poster_path"), nullptr);
  EXPECT_TRUE(result.value.find("poster_path")->is_none());
  EXPECT_TRUE(result.value.find("backdrop_path")->is_none());

  EXPECT_EQ(ok("{'id': 10194, 'name': 'Toy Story Collection', 'poster_path': "
               "'/7G9915LfUQ2lVfwMEEhDsn3kT4B.jpg', 'backdrop_path': '/9FBwqcd9IRruEDUrTdcaafOMKUq.jpg'}"),
            "{'id': 10194, 'name': 'Toy Story Collection', 'poster_path': "
            "'/7G9915LfUQ2lVfwMEEhDsn3kT4B.jpg', 'backdrop_path': '/9FBwqcd9IRruEDUrTdcaafOMKUq.jpg'}");
}

// ---------------------------------------------------------------- robustness

// What every result must satisfy, whatever the input.
void expect_consistent(std::string_view text, const ParseResult& result) {
  switch (result.outcome) {
    case Outcome::Ok:
      EXPECT_EQ(result.message, "");
      EXPECT_EQ(result.error_offset, 0u);
      {
        // An Ok value reads back from its own rendering to the same value.
        const std::string rendered = repr(result.value);
        const ParseResult again = parse(rendered);
        EXPECT_EQ(again.outcome, Outcome::Ok) << rendered;
        EXPECT_EQ(repr(again.value), rendered);
      }
      break;
    case Outcome::Salvaged:
      EXPECT_FALSE(result.message.empty());
      EXPECT_LT(result.error_offset, text.size() + 1);
      break;
    case Outcome::Failed:
      EXPECT_FALSE(result.message.empty());
      EXPECT_TRUE(result.value.is_none());
      EXPECT_LT(result.error_offset, text.size() + 1);
      break;
  }
  if (result.outcome != Outcome::Ok && result.message != "empty") {
    EXPECT_NE(result.message.find(fmt::format("at offset {}", result.error_offset)), std::string::npos)
        << result.message;
  }
  const ParseResult again = parse(text);  // deterministic
  EXPECT_EQ(again.outcome, result.outcome);
  EXPECT_EQ(again.error_offset, result.error_offset);
  EXPECT_EQ(repr(again.value), repr(result.value));
}

const std::vector<std::string>& seeds() {
  static const std::vector<std::string> samples = {
      "[{'id': 16, 'name': 'Animation'}, {'id': 35, 'name': 'Comedy'}]",
      "[{'name': 'Cigua Films', 'id': 93488}, {'name': \"D'Pelicula\", 'id': 93489}]",
      "{'id': 393564, 'name': \"McHale's\", 'poster_path': None, 'backdrop_path': None}",
      "[{'iso_639_1': 'fr', 'name': 'Fran\xC3\xA7" "ais'}, ('a', -1.5e-3, True, False,)]",
      R"(['\x41\u00e9\U0001F600\n\t\\\'\"\101', r'\q', u"x"])",
  };
  return samples;
}

TEST(LiteralRobustness, RandomBytes) {
  std::mt19937 rng(20240601);
  const std::string alphabet = "[]{}(),:'\"\\ \t\n-+.eE0123456789xuUNrbTrueFalseNone\xC3\xA9\xFF";
  std::uniform_int_distribution<std::size_t> length(0, 40);
  std::uniform_int_distribution<int> coin(0, 3);
  std::uniform_int_distribution<int> any_byte(0, 255);
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  for (int i = 0; i < 50000; ++i) {
    std::string text;
    const std::size_t n = length(rng);
    for (std::size_t j = 0; j < n; ++j) {
      text += coin(rng) == 0 ? static_cast<char>(any_byte(rng)) : alphabet[pick(rng)];
    }
    expect_consistent(text, parse(text));
    if (HasFailure()) {
      ADD_FAILURE() << "input: " << repr_string(text);
      return;
    }
  }
}

TEST(LiteralRobustness, MutatedLiterals) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> kind(0, 4);
  std::uniform_int_distribution<int> any_byte(0, 255);
  for (int i = 0; i < 50000; ++i) {
    std::string text = seeds()[static_cast<std::size_t>(i) % seeds().size()];
    const int mutations = 1 + i % 3;
    for (int m = 0; m < mutations && !text.empty(); ++m) {
      const std::size_t at = std::uniform_int_distribution<std::size_t>(0, text.size() - 1)(rng);
      switch (kind(rng)) {
        case 0: text[at] = static_cast<char>(any_byte(rng)); break;
        case 1: text.insert(at, 1, static_cast<char>(any_byte(rng))); break;
        case 2: text.erase(at, 1); break;
        case 3: text.resize(at); break;
        case 4: text.insert(at, text.substr(at / 2, at - at / 2)); break;
      }
    }
    expect_consistent(text, parse(text));
    if (HasFailure()) {
      ADD_FAILURE() << "input: " << repr_string(text);
      return;
    }
  }
}

TEST(LiteralRobustness, LargeInputsParseInLinearTime) {
  std::string dict = "{";
  for (int i = 0; i < 200'000; ++i) dict += fmt::format("'k{}': {}, ", i, i);
  dict += "}";
  const ParseResult result = parse(dict);
  ASSERT_EQ(result.outcome, Outcome::Ok);
  EXPECT_EQ(result.value.as_dict()->size(), 200'000u);
  EXPECT_EQ(*result.value.find("k199999")->as_int(), 199999);

  // Ends in an escaped backslash, so the string takes one append and one escape.
  const std::string long_string = "'" + std::string(10'000'000, 'a') + R"(\\')";
  const ParseResult long_result = parse(long_string);
  ASSERT_EQ(long_result.outcome, Outcome::Ok) << long_result.message;
  EXPECT_EQ(long_result.value.as_string()->size(), 10'000'001u);
  EXPECT_EQ(long_result.value.as_string()->back(), '\\');
  expect_failed(std::string(1'000'000, '9'), 0, "integer out of range at offset 0");
}

TEST(LiteralRobustness, EveryPrefixOfAValidList) {
  // Cutting a list anywhere never crashes, and never yields an entry that was
  // not complete in the original.
  const std::string full = seeds()[0];
  for (std::size_t n = 0; n <= full.size(); ++n) {
    const std::string text = full.substr(0, n);
    const ParseResult result = parse(text);
    expect_consistent(text, result);
    if (result.outcome == Outcome::Salvaged) {
      const std::size_t entries = result.value.as_list()->size();
      EXPECT_EQ(repr(result.value.as_list()->front()), "{'id': 16, 'name': 'Animation'}");
      EXPECT_LE(entries, 2u);
    }
  }
}

}  // namespace
}  // namespace marquee::literal

// The flat fast path against the general parser: whenever the fast path
// accepts a text, parse() must read the same entries (outcome Ok); the
// common shapes of the dataset must be accepted.
#include "literal/flat_dicts.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "literal/parser.hpp"

namespace marquee::literal {
namespace {

// The Value parse() gives for one flat value, to compare with the fast path.
bool same_value(const FlatValue& flat, const Value& value) {
  switch (flat.kind) {
    case FlatValue::Kind::None: return value.is_none();
    case FlatValue::Kind::Bool: {
      const bool* b = std::get_if<bool>(&value.data);
      return b && *b == flat.boolean;
    }
    case FlatValue::Kind::Int: return value.as_int() && *value.as_int() == flat.integer;
    case FlatValue::Kind::String: return value.as_string() && *value.as_string() == flat.text;
  }
  return false;
}

void expect_same_dict(const FlatDicts& flat, std::size_t index, const Value& value) {
  const Dict* dict = value.as_dict();
  ASSERT_NE(dict, nullptr);
  const std::uint32_t begin = index == 0 ? 0 : flat.ends[index - 1];
  ASSERT_EQ(flat.ends[index] - begin, dict->size());
  for (std::size_t i = 0; i < dict->size(); ++i) {
    const auto& [key, v] = (*dict)[i];
    const FlatDicts::Entry& entry = flat.entries[begin + i];
    ASSERT_NE(key.as_string(), nullptr);
    EXPECT_EQ(*key.as_string(), entry.key);
    EXPECT_TRUE(same_value(entry.value, v)) << entry.key;
    // find() must agree on which of repeated keys wins.
    const Value* found = value.find(entry.key);
    ASSERT_NE(found, nullptr);
    EXPECT_TRUE(same_value(*flat.find(index, entry.key), *found));
  }
}

// Checks the fast path against parse(); returns whether it accepted.
bool check_list(std::string_view text) {
  FlatDicts flat;
  const bool accepted = parse_flat_dict_list(text, flat);
  if (accepted) {
    const ParseResult parsed = parse(text);
    EXPECT_EQ(parsed.outcome, Outcome::Ok) << text;
    const List* list = parsed.value.as_list();
    EXPECT_NE(list, nullptr) << text;
    if (list == nullptr) return accepted;
    EXPECT_EQ(list->size(), flat.size()) << text;
    for (std::size_t i = 0; i < std::min(list->size(), flat.size()); ++i) {
      expect_same_dict(flat, i, (*list)[i]);
    }
  }
  return accepted;
}

bool check_dict(std::string_view text) {
  FlatDicts flat;
  const bool accepted = parse_flat_dict(text, flat);
  if (accepted) {
    const ParseResult parsed = parse(text);
    EXPECT_EQ(parsed.outcome, Outcome::Ok) << text;
    EXPECT_EQ(flat.size(), 1u);
    expect_same_dict(flat, 0, parsed.value);
  }
  return accepted;
}

TEST(FlatDicts, AcceptsTheDatasetsCommonShapes) {
  EXPECT_TRUE(check_list("[{'id': 16, 'name': 'Animation'}, {'id': 35, 'name': 'Comedy'}]"));
  EXPECT_TRUE(check_list("[{'name': \"Mel's Cite du Cinema\", 'id': 54502}]"));
  EXPECT_TRUE(check_list("[{'iso_639_1': 'en', 'name': 'English'}, {'iso_639_1': 'xx', 'name': ''}]"));
  EXPECT_TRUE(check_list("[]"));
  EXPECT_TRUE(check_list("  [ {} , { 'a' : None, 'b': True, 'c': False, 'd': -7 }, ]  "));
  EXPECT_TRUE(check_list("[{'name': 'Ørnås 東京', 'id': 0}]"));
  EXPECT_TRUE(check_dict("{'id': 10194, 'name': 'Toy Story Collection', 'poster_path': "
                         "'/7G9915LfUQ2lVfwMEEhDsn3kT4B.jpg', 'backdrop_path': None}"));
}

TEST(FlatDicts, RepeatedKeyGivesTheLastValue) {
  FlatDicts flat;
  ASSERT_TRUE(parse_flat_dict_list("[{'id': 1, 'id': 2}]", flat));
  EXPECT_EQ(flat.find(0, "id")->integer, 2);
  EXPECT_EQ(flat.find(0, "name"), nullptr);
  EXPECT_TRUE(check_list("[{'id': 1, 'id': 2}]"));
}

TEST(FlatDicts, LeavesEverythingElseToTheGeneralParser) {
  const char* others[] = {
      "[{'id': 35, 'name': 'Comedy'} GATORADE",  // salvage
      "[{'name': 'It\\'s', 'id': 1}]",           // escape
      "[{'name': u'x', 'id': 1}]",               // prefix
      "[{'id': 1.0, 'name': 'x'}]",              // float
      "[{'id': 1e3, 'name': 'x'}]",
      "[{'id': 007, 'name': 'x'}]",              // leading zero
      "[{'id': 1234567890123456789, 'name': 'x'}]",  // might not fit
      "[{'id': + 1, 'name': 'x'}]",
      "[{1: 'x'}]",                              // non-string key
      "[{'a': [1]}]",                            // nested
      "[[1]]",
      "[1]",
      "{'id': 1}",                               // not a list
      "[{'id': 1}] x",
      "[{'id': 1}",                              // unterminated
      "[{'id': 'x}]",
      "[{'id': Nonesuch}]",
      "",
  };
  for (const char* text : others) EXPECT_FALSE(check_list(text)) << text;
  EXPECT_FALSE(check_dict("[{'id': 1}]"));
  EXPECT_FALSE(check_dict("{'id': 1} {}"));
}

// Random texts built from the pieces of the grammar, then damaged: whatever
// the fast path accepts, parse() must read the same way.
TEST(FlatDicts, AgreesWithTheGeneralParserOnRandomTexts) {
  const std::vector<std::string> pieces = {
      "[", "]", "{", "}", ",", ":", " ", "\n", "'id'", "'name'", "\"na'me\"", "'x\\'y'", "None",
      "True", "False", "0", "7", "-3", "12", "007", "1.5", "'", "\"", "u'a'", "'\xff'", "'é'",
      "x", "1e5", "-", "''"};
  std::mt19937 rng(42);
  int accepted = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    if (round % 2 == 0) {
      // A well-formed list of dicts, occasionally with one piece swapped in.
      text = "[";
      const int dicts = static_cast<int>(rng() % 4);
      for (int d = 0; d < dicts; ++d) {
        text += d ? ", {" : "{";
        const int keys = static_cast<int>(rng() % 4);
        for (int k = 0; k < keys; ++k) {
          text += k ? ", " : "";
          text += pieces[8 + rng() % 3] + ": " + pieces[11 + rng() % 16];
        }
        text += "}";
      }
      text += "]";
      if (rng() % 3 == 0) text.insert(rng() % (text.size() + 1), pieces[rng() % pieces.size()]);
    } else {
      const int n = static_cast<int>(rng() % 12);
      for (int i = 0; i < n; ++i) text += pieces[rng() % pieces.size()];
    }
    accepted += check_list(text) ? 1 : 0;
    check_dict(text);
  }
  EXPECT_GT(accepted, 1000);  // the fast path is exercised, not just refused
}

}  // namespace
}  // namespace marquee::literal

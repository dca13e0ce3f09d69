#include "model/validate.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "common/error.hpp"
#include "literal/parser.hpp"

namespace marquee::model {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// The header of Kaggle's movies_metadata.csv, copied from the file.
const std::vector<std::string> kKaggleHeader = {
    "adult",       "belongs_to_collection", "budget",  "genres",  "homepage", "id",
    "imdb_id",     "original_language",     "original_title", "overview", "popularity",
    "poster_path", "production_companies",  "production_countries", "release_date",
    "revenue",     "runtime",               "spoken_languages", "status", "tagline",
    "title",       "video",                 "vote_average",     "vote_count"};

// Record 1 of movies_metadata.csv (physical line 2), as it is in the file.
const std::string kToyStoryLine =
    R"csv(False,"{'id': 10194, 'name': 'Toy Story Collection', 'poster_path': '/7G9915LfUQ2lVfwMEEhDsn3kT4B.jpg', 'backdrop_path': '/9FBwqcd9IRruEDUrTdcaafOMKUq.jpg'}",30000000,"[{'id': 16, 'name': 'Animation'}, {'id': 35, 'name': 'Comedy'}, {'id': 10751, 'name': 'Family'}]",http://toystory.disney.com/toy-story,862,tt0114709,en,Toy Story,"Led by Woody, Andy's toys live happily in his room until Andy's birthday brings Buzz Lightyear onto the scene. Afraid of losing his place in Andy's heart, Woody plots against Buzz. But when circumstances separate Buzz and Woody from their owner, the duo eventually learns to put aside their differences.",21.946943,/rhIRbceoE9lR4veEXuwCC2wARtG.jpg,"[{'name': 'Pixar Animation Studios', 'id': 3}]","[{'iso_3166_1': 'US', 'name': 'United States of America'}]",1995-10-30,373554033,81.0,"[{'iso_639_1': 'en', 'name': 'English'}]",Released,,Toy Story,False,7.7,5415)csv";

const std::string kToyStoryOverview =
    "Led by Woody, Andy's toys live happily in his room until Andy's birthday brings Buzz "
    "Lightyear onto the scene. Afraid of losing his place in Andy's heart, Woody plots against "
    "Buzz. But when circumstances separate Buzz and Woody from their owner, the duo eventually "
    "learns to put aside their differences.";

// The fields of kToyStoryLine, split by hand, in Kaggle order.
std::vector<std::string> toy_story_fields() {
  return {"False",
          "{'id': 10194, 'name': 'Toy Story Collection', 'poster_path': "
          "'/7G9915LfUQ2lVfwMEEhDsn3kT4B.jpg', 'backdrop_path': "
          "'/9FBwqcd9IRruEDUrTdcaafOMKUq.jpg'}",
          "30000000",
          "[{'id': 16, 'name': 'Animation'}, {'id': 35, 'name': 'Comedy'}, {'id': 10751, "
          "'name': 'Family'}]",
          "http://toystory.disney.com/toy-story",
          "862",
          "tt0114709",
          "en",
          "Toy Story",
          kToyStoryOverview,
          "21.946943",
          "/rhIRbceoE9lR4veEXuwCC2wARtG.jpg",
          "[{'name': 'Pixar Animation Studios', 'id': 3}]",
          "[{'iso_3166_1': 'US', 'name': 'United States of America'}]",
          "1995-10-30",
          "373554033",
          "81.0",
          "[{'iso_639_1': 'en', 'name': 'English'}]",
          "Released",
          "",
          "Toy Story",
          "False",
          "7.7",
          "5415"};
}

std::size_t kaggle_position(const std::string& name) {
  const auto it = std::find(kKaggleHeader.begin(), kKaggleHeader.end(), name);
  EXPECT_NE(it, kKaggleHeader.end()) << name;
  return static_cast<std::size_t>(it - kKaggleHeader.begin());
}

// Toy Story with some fields replaced, by column name.
std::vector<std::string> toy_story_with(
    std::initializer_list<std::pair<std::string, std::string>> changes) {
  auto fields = toy_story_fields();
  for (const auto& [column, value] : changes) fields[kaggle_position(column)] = value;
  return fields;
}

class CollectingSink : public DiagnosticSink {
 public:
  void report(Diagnostic diagnostic) override { diagnostics.push_back(std::move(diagnostic)); }
  std::vector<Diagnostic> diagnostics;
};

struct Validated {
  std::optional<Movie> movie;
  std::vector<Diagnostic> diagnostics;
};

std::string join_fields(const std::vector<std::string>& fields) {
  std::string raw;
  for (const auto& field : fields) raw += (raw.empty() ? "" : ",") + field;
  return raw;
}

// Validates `fields` laid out under `header`; `raw` defaults to the fields
// joined by commas (close enough to the CSV text for excerpts).
Validated run(const std::vector<std::string>& fields, std::uint64_t line = 2,
              const std::string& raw_text = "",
              const std::vector<std::string>& header = kKaggleHeader) {
  const std::string raw = raw_text.empty() ? join_fields(fields) : raw_text;
  const std::vector<std::string_view> views(fields.begin(), fields.end());
  csv::Record record;
  record.line = line;
  record.end_line = line;
  record.raw = raw;
  record.fields = views;
  CollectingSink sink;
  const ColumnMap columns(header, "movies_metadata.csv");
  Validated result;
  result.movie = validate(record, columns, sink);
  result.diagnostics = std::move(sink.diagnostics);
  return result;
}

void expect_diagnostic(const Diagnostic& d, Severity severity, Reason reason,
                       std::optional<std::int64_t> movie_id, const std::string& column,
                       std::uint64_t line = 2) {
  EXPECT_EQ(d.severity, severity);
  EXPECT_EQ(to_string(d.reason), to_string(reason));
  EXPECT_EQ(d.line, line);
  EXPECT_EQ(d.movie_id, movie_id);
  EXPECT_EQ(d.column, column);
  EXPECT_FALSE(d.message.empty());
}

// One rejected row: exactly one Error for `column`, no movie.
void expect_rejected(const std::vector<std::string>& fields, Reason reason,
                     const std::string& column, std::optional<std::int64_t> movie_id) {
  const auto result = run(fields);
  EXPECT_FALSE(result.movie);
  ASSERT_EQ(result.diagnostics.size(), 1u);
  expect_diagnostic(result.diagnostics[0], Severity::Error, reason, movie_id, column);
}

// A kept row with exactly one Warning for `column`; returns the movie.
Movie expect_one_warning(const std::vector<std::string>& fields, Reason reason,
                         const std::string& column) {
  const auto result = run(fields);
  EXPECT_TRUE(result.movie);
  EXPECT_EQ(result.diagnostics.size(), 1u);
  if (!result.diagnostics.empty()) {
    expect_diagnostic(result.diagnostics[0], Severity::Warning, reason, 862, column);
  }
  return result.movie.value_or(Movie{});
}

Movie expect_clean(const std::vector<std::string>& fields) {
  const auto result = run(fields);
  EXPECT_TRUE(result.movie);
  for (const auto& d : result.diagnostics) ADD_FAILURE() << "unexpected: " << d.message;
  return result.movie.value_or(Movie{});
}

// A printable form of every field, to compare two movies in one assertion.
std::string describe(const Movie& m) {
  const auto text = [](const std::optional<std::string>& s) { return s ? "'" + *s + "'" : "null"; };
  std::string out = fmt::format(
      "{} {} {} {} {} {} {} {} {} {} {} ", m.id, m.line, text(m.imdb_id), text(m.title),
      text(m.original_title), text(m.original_language), text(m.overview), text(m.tagline),
      text(m.homepage), text(m.poster_path), text(m.status));
  const auto flag = [](const std::optional<bool>& b) { return b ? (*b ? "T" : "F") : "null"; };
  out += fmt::format("{} {} {} {} {} {} {} {} {} {} {} {}|", flag(m.adult), flag(m.video),
                     m.release_date.value_or(-99999), m.year.value_or(-1), m.budget, m.revenue,
                     m.popularity.value_or(-1), m.runtime.value_or(-1),
                     m.vote_average.value_or(-1), m.vote_count.value_or(-1), m.fields_hash,
                     m.collection ? m.collection->name : "none");
  for (const auto& g : m.genres) out += fmt::format("g{}:{},", g.id, g.name);
  for (const auto& c : m.companies) out += fmt::format("c{}:{},", c.id, c.name);
  for (const auto& c : m.countries) out += fmt::format("n{}:{},", c.code, c.name);
  for (const auto& l : m.languages) out += fmt::format("l{}:{},", l.code, l.name);
  return out;
}

// --- names -------------------------------------------------------------------

TEST(Diagnostic, SeverityNames) {
  EXPECT_EQ(to_string(Severity::Error), "error");
  EXPECT_EQ(to_string(Severity::Warning), "warning");
  EXPECT_EQ(to_string(Severity::Info), "info");
}

TEST(Diagnostic, ReasonNamesAreTheErrorLogVocabulary) {
  EXPECT_EQ(to_string(Reason::FieldCount), "field_count");
  EXPECT_EQ(to_string(Reason::UnterminatedQuote), "unterminated_quote");
  EXPECT_EQ(to_string(Reason::InvalidId), "invalid_id");
  EXPECT_EQ(to_string(Reason::InvalidBudget), "invalid_budget");
  EXPECT_EQ(to_string(Reason::InvalidRevenue), "invalid_revenue");
  EXPECT_EQ(to_string(Reason::InvalidPopularity), "invalid_popularity");
  EXPECT_EQ(to_string(Reason::InvalidReleaseDate), "invalid_release_date");
  EXPECT_EQ(to_string(Reason::InvalidNumber), "invalid_number");
  EXPECT_EQ(to_string(Reason::MalformedLiteral), "malformed_literal");
  EXPECT_EQ(to_string(Reason::InvalidUtf8), "invalid_utf8");
  EXPECT_EQ(to_string(Reason::DuplicateId), "duplicate_id");
  EXPECT_EQ(to_string(Reason::Repaired), "repaired");
  EXPECT_EQ(to_string(Reason::ConflictingName), "conflicting_name");
}

// --- columns -----------------------------------------------------------------

TEST(Columns, NamesAreTheKaggleHeaderInOrder) {
  const auto& names = input_column_names();
  ASSERT_EQ(names.size(), kKaggleHeader.size());
  for (std::size_t i = 0; i < names.size(); ++i) EXPECT_EQ(names[i], kKaggleHeader[i]);
  EXPECT_EQ(names[static_cast<std::size_t>(InputColumn::Id)], "id");
  EXPECT_EQ(names[static_cast<std::size_t>(InputColumn::VoteCount)], "vote_count");
}

TEST(Columns, KaggleHeaderMapsToItsOwnPositions) {
  const ColumnMap columns(kKaggleHeader, "x.csv");
  EXPECT_EQ(columns[InputColumn::Adult], 0u);
  EXPECT_EQ(columns[InputColumn::Id], 5u);
  EXPECT_EQ(columns[InputColumn::ReleaseDate], 14u);
  EXPECT_EQ(columns[InputColumn::VoteCount], 23u);
}

TEST(Columns, FoundByNameInAShuffledHeaderWithExtraColumns) {
  std::vector<std::string> header = {"keywords"};
  for (auto it = kKaggleHeader.rbegin(); it != kKaggleHeader.rend(); ++it) {
    header.push_back(*it);
    if (*it == "overview") header.push_back("extra");
  }
  const ColumnMap columns(header, "x.csv");
  EXPECT_EQ(columns[InputColumn::VoteCount], 1u);
  EXPECT_EQ(columns[InputColumn::Adult], 25u);

  // The same record, laid out under the shuffled header, gives the same movie.
  const auto kaggle = toy_story_fields();
  std::vector<std::string> shuffled;
  for (const auto& name : header) {
    const auto it = std::find(kKaggleHeader.begin(), kKaggleHeader.end(), name);
    shuffled.push_back(it == kKaggleHeader.end() ? "ignored, " + name
                                                 : kaggle[static_cast<std::size_t>(
                                                       it - kKaggleHeader.begin())]);
  }
  const auto expected = run(kaggle);
  const auto actual = run(shuffled, 2, "", header);
  ASSERT_TRUE(expected.movie);
  ASSERT_TRUE(actual.movie);
  EXPECT_TRUE(actual.diagnostics.empty());
  EXPECT_EQ(describe(*actual.movie), describe(*expected.movie));
}

TEST(Columns, MissingColumnsAreAllNamedWithTheSource) {
  std::vector<std::string> header = kKaggleHeader;
  header.erase(header.begin() + 3);  // genres
  header.erase(header.begin() + 2);  // budget
  try {
    ColumnMap columns(header, "data/x.csv");
    FAIL() << "no exception";
  } catch (const InputError& error) {
    EXPECT_STREQ(error.what(), "data/x.csv: header is missing required columns: budget, genres");
    EXPECT_EQ(error.exit_code(), 2);
  }
}

// Issue 10, defect 3: the second "budget" column used to be silently ignored.
TEST(Columns, ARequiredColumnNamedTwiceIsRefusedWithBothPositions) {
  std::vector<std::string> header = kKaggleHeader;
  header.push_back(" budget");
  try {
    ColumnMap columns(header, "data/x.csv");
    FAIL() << "no exception";
  } catch (const InputError& error) {
    EXPECT_STREQ(error.what(), "data/x.csv: header names column 'budget' twice (columns 3 and 25); which one "
                               "holds the data is ambiguous");
    EXPECT_EQ(error.exit_code(), 2);
  }
  header.back() = "budget_2";  // another name is just an extra column
  EXPECT_NO_THROW(ColumnMap(header, "data/x.csv"));
}

TEST(Columns, EmptyHeaderMissesEverything) {
  try {
    ColumnMap columns({}, "empty.csv");
    FAIL() << "no exception";
  } catch (const InputError& error) {
    const std::string message = error.what();
    EXPECT_THAT(message, StartsWith("empty.csv: header is missing required columns: adult, "));
    EXPECT_THAT(message, HasSubstr(", vote_average, vote_count"));
  }
}

// --- a full valid row ----------------------------------------------------------

TEST(Validate, ToyStoryIsValidInEveryField) {
  const auto result = run(toy_story_fields(), 2, kToyStoryLine);
  ASSERT_TRUE(result.movie);
  EXPECT_TRUE(result.diagnostics.empty());
  const Movie& m = *result.movie;
  EXPECT_EQ(m.id, 862);
  EXPECT_EQ(m.line, 2u);
  EXPECT_EQ(m.adult, false);
  ASSERT_TRUE(m.collection);
  EXPECT_EQ(m.collection->id, 10194);
  EXPECT_EQ(m.collection->name, "Toy Story Collection");
  EXPECT_EQ(m.collection->poster_path, "/7G9915LfUQ2lVfwMEEhDsn3kT4B.jpg");
  EXPECT_EQ(m.collection->backdrop_path, "/9FBwqcd9IRruEDUrTdcaafOMKUq.jpg");
  EXPECT_EQ(m.budget, 30000000);
  ASSERT_EQ(m.genres.size(), 3u);
  EXPECT_EQ(m.genres[0].id, 16);
  EXPECT_EQ(m.genres[0].name, "Animation");
  EXPECT_EQ(m.genres[1].id, 35);
  EXPECT_EQ(m.genres[1].name, "Comedy");
  EXPECT_EQ(m.genres[2].id, 10751);
  EXPECT_EQ(m.genres[2].name, "Family");
  EXPECT_EQ(m.homepage, "http://toystory.disney.com/toy-story");
  EXPECT_EQ(m.imdb_id, "tt0114709");
  EXPECT_EQ(m.original_language, "en");
  EXPECT_EQ(m.original_title, "Toy Story");
  EXPECT_EQ(m.overview, kToyStoryOverview);
  EXPECT_EQ(m.popularity, 21.946943);
  EXPECT_EQ(m.poster_path, "/rhIRbceoE9lR4veEXuwCC2wARtG.jpg");
  ASSERT_EQ(m.companies.size(), 1u);
  EXPECT_EQ(m.companies[0].id, 3);
  EXPECT_EQ(m.companies[0].name, "Pixar Animation Studios");
  ASSERT_EQ(m.countries.size(), 1u);
  EXPECT_EQ(m.countries[0].code, "US");
  EXPECT_EQ(m.countries[0].name, "United States of America");
  EXPECT_EQ(m.release_date, 9433);  // 25 * 365 + 6 leap days + 302 days into 1995
  EXPECT_EQ(m.year, 1995);
  EXPECT_EQ(m.revenue, 373554033);
  EXPECT_EQ(m.runtime, 81.0);
  ASSERT_EQ(m.languages.size(), 1u);
  EXPECT_EQ(m.languages[0].code, "en");
  EXPECT_EQ(m.languages[0].name, "English");
  EXPECT_EQ(m.status, "Released");
  EXPECT_EQ(m.tagline, std::nullopt);
  EXPECT_EQ(m.title, "Toy Story");
  EXPECT_EQ(m.video, false);
  EXPECT_EQ(m.vote_average, 7.7);
  EXPECT_EQ(m.vote_count, 5415);
}

TEST(Validate, ExcerptIsTheFirst200BytesOfTheRawRecord) {
  const auto fields = toy_story_with({{"id", "abc"}});
  const auto result = run(fields, 2, kToyStoryLine);
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].excerpt, kToyStoryLine.substr(0, 200));
}

TEST(Validate, LineComesFromTheRecord) {
  const auto result = run(toy_story_with({{"runtime", "x"}}), 4711);
  ASSERT_TRUE(result.movie);
  EXPECT_EQ(result.movie->line, 4711u);
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].line, 4711u);
}

// --- rejections ----------------------------------------------------------------

TEST(Validate, InvalidIdHasAllDiagnosticFields) {
  const auto fields = toy_story_with({{"id", "1997-08-20"}});
  const auto result = run(fields, 7, "raw text");
  EXPECT_FALSE(result.movie);
  ASSERT_EQ(result.diagnostics.size(), 1u);
  const Diagnostic& d = result.diagnostics[0];
  EXPECT_EQ(d.severity, Severity::Error);
  EXPECT_EQ(d.reason, Reason::InvalidId);
  EXPECT_EQ(d.line, 7u);
  EXPECT_EQ(d.movie_id, std::nullopt);
  EXPECT_EQ(d.column, "id");
  EXPECT_EQ(d.message, "id '1997-08-20' is not a positive integer");
  EXPECT_EQ(d.excerpt, "raw text");
}

TEST(Validate, InvalidIdCases) {
  for (const char* id : {"", "0", "000", "-5", "+5", " 5", "5 ", "5.0", "1e3", "0x10", "abc",
                         "9223372036854775808"}) {
    SCOPED_TRACE(id);
    expect_rejected(toy_story_with({{"id", id}}), Reason::InvalidId, "id", std::nullopt);
  }
}

TEST(Validate, IdMessages) {
  EXPECT_EQ(run(toy_story_with({{"id", ""}})).diagnostics.at(0).message, "id is empty");
  EXPECT_EQ(run(toy_story_with({{"id", "0"}})).diagnostics.at(0).message,
            "id '0' is not a positive integer");
  EXPECT_EQ(run(toy_story_with({{"id", "99999999999999999999"}})).diagnostics.at(0).message,
            "id '99999999999999999999' does not fit a 64-bit integer");
}

TEST(Validate, LargestIdIsAccepted) {
  EXPECT_EQ(expect_clean(toy_story_with({{"id", "9223372036854775807"}})).id,
            INT64_C(9223372036854775807));
}

TEST(Validate, InvalidBudgetCarriesTheMovieId) {
  for (const char* budget : {"", "-1", "1.5", "30000000.0", "1e6", " 1", "abc",
                             "9223372036854775808"}) {
    SCOPED_TRACE(budget);
    expect_rejected(toy_story_with({{"budget", budget}}), Reason::InvalidBudget, "budget", 862);
  }
  EXPECT_EQ(run(toy_story_with({{"budget", "-1"}})).diagnostics.at(0).message,
            "budget '-1' is not a non-negative integer");
}

TEST(Validate, ZeroBudgetMeansUnknownAndIsKept) {
  EXPECT_EQ(expect_clean(toy_story_with({{"budget", "0"}})).budget, 0);
}

TEST(Validate, InvalidRevenue) {
  for (const char* revenue : {"", "-1", "-0", "abc", "1e19", "1e400", "nan", "inf", " 5", "0x10"}) {
    SCOPED_TRACE(revenue);
    expect_rejected(toy_story_with({{"revenue", revenue}}), Reason::InvalidRevenue, "revenue",
                    862);
  }
  EXPECT_EQ(run(toy_story_with({{"revenue", "lots"}})).diagnostics.at(0).message,
            "revenue 'lots' is not a non-negative number");
}

TEST(Validate, RevenueWholeDecimalAndExponentAreValid) {
  EXPECT_EQ(expect_clean(toy_story_with({{"revenue", "373554033.0"}})).revenue, 373554033);
  EXPECT_EQ(expect_clean(toy_story_with({{"revenue", "1e6"}})).revenue, 1000000);
  EXPECT_EQ(expect_clean(toy_story_with({{"revenue", "0"}})).revenue, 0);
}

TEST(Validate, FractionalRevenueIsRoundedWithAWarning) {
  const Movie m = expect_one_warning(toy_story_with({{"revenue", "12.5"}}), Reason::InvalidRevenue,
                                     "revenue");
  EXPECT_EQ(m.revenue, 13);
  EXPECT_EQ(run(toy_story_with({{"revenue", "12.5"}})).diagnostics.at(0).message,
            "revenue '12.5' is not a whole number; rounded to 13");
  EXPECT_EQ(expect_one_warning(toy_story_with({{"revenue", "2.4"}}), Reason::InvalidRevenue,
                               "revenue")
                .revenue,
            2);
}

TEST(Validate, InvalidPopularity) {
  for (const char* popularity : {"-1", "-0", "abc", "nan", "inf", "1e400", "1,5", " 1"}) {
    SCOPED_TRACE(popularity);
    expect_rejected(toy_story_with({{"popularity", popularity}}), Reason::InvalidPopularity,
                    "popularity", 862);
  }
  EXPECT_EQ(run(toy_story_with({{"popularity", "-1"}})).diagnostics.at(0).message,
            "popularity '-1' is not a finite non-negative number");
}

TEST(Validate, PopularityExponentAndEmpty) {
  EXPECT_EQ(expect_clean(toy_story_with({{"popularity", "8.2e-05"}})).popularity, 0.000082);
  EXPECT_EQ(expect_clean(toy_story_with({{"popularity", ""}})).popularity, std::nullopt);
}

TEST(Validate, InvalidReleaseDate) {
  for (const char* date : {"2019-02-30", "1900-02-29", "2019-2-3", "1995/10/30", "0000-01-01",
                           "1995-10-30 ", "30-10-1995", "tomorrow"}) {
    SCOPED_TRACE(date);
    expect_rejected(toy_story_with({{"release_date", date}}), Reason::InvalidReleaseDate,
                    "release_date", 862);
  }
  EXPECT_EQ(run(toy_story_with({{"release_date", "2019-02-30"}})).diagnostics.at(0).message,
            "release_date '2019-02-30' is not a real calendar date");
  EXPECT_EQ(run(toy_story_with({{"release_date", "2019-2-3"}})).diagnostics.at(0).message,
            "release_date '2019-2-3' is not a date of the form YYYY-MM-DD");
}

TEST(Validate, ReleaseDateLeapDayAndEmpty) {
  const Movie leap = expect_clean(toy_story_with({{"release_date", "2000-02-29"}}));
  EXPECT_EQ(leap.release_date, 11016);  // 30 * 365 + 7 leap days + 59 days into 2000
  EXPECT_EQ(leap.year, 2000);
  const Movie undated = expect_clean(toy_story_with({{"release_date", ""}}));
  EXPECT_EQ(undated.release_date, std::nullopt);
  EXPECT_EQ(undated.year, std::nullopt);
  EXPECT_EQ(expect_clean(toy_story_with({{"release_date", "1969-12-31"}})).release_date, -1);
}

TEST(Validate, FirstFailingRuleWinsInTheDocumentedOrder) {
  const auto all_bad = toy_story_with({{"id", "x"}, {"budget", "x"}, {"revenue", "x"},
                                       {"popularity", "x"}, {"release_date", "x"}});
  expect_rejected(all_bad, Reason::InvalidId, "id", std::nullopt);
  expect_rejected(toy_story_with({{"budget", "x"}, {"revenue", "x"}, {"popularity", "x"},
                                  {"release_date", "x"}}),
                  Reason::InvalidBudget, "budget", 862);
  expect_rejected(toy_story_with({{"revenue", "x"}, {"popularity", "x"}, {"release_date", "x"}}),
                  Reason::InvalidRevenue, "revenue", 862);
  expect_rejected(toy_story_with({{"popularity", "x"}, {"release_date", "x"}}),
                  Reason::InvalidPopularity, "popularity", 862);
}

TEST(Validate, RejectedRowReportsNoWarnings) {
  // Fractional revenue and bad runtime, adult, title: all ignored once the date rejects.
  expect_rejected(toy_story_with({{"revenue", "12.5"}, {"runtime", "x"}, {"adult", "x"},
                                  {"title", "\xff"}, {"genres", "GATORADE"},
                                  {"release_date", "x"}}),
                  Reason::InvalidReleaseDate, "release_date", 862);
}

// --- nulled numbers and booleans -------------------------------------------------

TEST(Validate, MalformedRuntimeAndVoteAverageAreNulled) {
  for (const char* column : {"runtime", "vote_average"}) {
    for (const char* value : {"-1", "abc", "nan", "inf", "1e400", " 7"}) {
      SCOPED_TRACE(std::string(column) + "=" + value);
      const Movie m = expect_one_warning(toy_story_with({{column, value}}), Reason::InvalidNumber,
                                         column);
      EXPECT_EQ(std::string(column) == "runtime" ? m.runtime : m.vote_average, std::nullopt);
    }
  }
  EXPECT_EQ(run(toy_story_with({{"runtime", "abc"}})).diagnostics.at(0).message,
            "runtime 'abc' is not a finite non-negative number; set to null");
}

TEST(Validate, EmptyNumbersAreNullWithoutWarning) {
  const Movie m = expect_clean(toy_story_with({{"runtime", ""}, {"vote_average", ""},
                                               {"vote_count", ""}}));
  EXPECT_EQ(m.runtime, std::nullopt);
  EXPECT_EQ(m.vote_average, std::nullopt);
  EXPECT_EQ(m.vote_count, std::nullopt);
}

TEST(Validate, VoteCount) {
  EXPECT_EQ(expect_clean(toy_story_with({{"vote_count", "5415.0"}})).vote_count, 5415);
  EXPECT_EQ(expect_clean(toy_story_with({{"vote_count", "0"}})).vote_count, 0);
  for (const char* value : {"5415.5", "-1", "abc", "1e19", "9223372036854775808"}) {
    SCOPED_TRACE(value);
    EXPECT_EQ(expect_one_warning(toy_story_with({{"vote_count", value}}), Reason::InvalidNumber,
                                 "vote_count")
                  .vote_count,
              std::nullopt);
  }
  EXPECT_EQ(run(toy_story_with({{"vote_count", "5415.5"}})).diagnostics.at(0).message,
            "vote_count '5415.5' is not a non-negative whole number; set to null");
}

TEST(Validate, AdultAndVideo) {
  const Movie m = expect_clean(toy_story_with({{"adult", "True"}, {"video", ""}}));
  EXPECT_EQ(m.adult, true);
  EXPECT_EQ(m.video, std::nullopt);
  for (const char* column : {"adult", "video"}) {
    for (const char* value : {"true", "1", " - Written by \xc3\x98rn\xc3\xa5s"}) {
      SCOPED_TRACE(std::string(column) + "=" + value);
      const Movie bad = expect_one_warning(toy_story_with({{column, value}}),
                                           Reason::MalformedLiteral, column);
      EXPECT_EQ(std::string(column) == "adult" ? bad.adult : bad.video, std::nullopt);
    }
  }
  EXPECT_EQ(run(toy_story_with({{"adult", "true"}})).diagnostics.at(0).message,
            "adult 'true' is neither True nor False; set to null");
}

// --- text ------------------------------------------------------------------------

TEST(Validate, EmptyTextIsNull) {
  const Movie m = expect_clean(toy_story_with({{"imdb_id", ""}, {"title", ""}, {"overview", ""},
                                               {"homepage", ""}, {"status", ""}}));
  EXPECT_EQ(m.imdb_id, std::nullopt);
  EXPECT_EQ(m.title, std::nullopt);
  EXPECT_EQ(m.overview, std::nullopt);
  EXPECT_EQ(m.homepage, std::nullopt);
  EXPECT_EQ(m.status, std::nullopt);
}

TEST(Validate, IllFormedUtf8IsReplacedWithAWarningPerColumn) {
  const Movie m = expect_one_warning(toy_story_with({{"title", "Caf\xe9 Noir"}}),
                                     Reason::InvalidUtf8, "title");
  EXPECT_EQ(m.title, "Caf\xef\xbf\xbd Noir");  // U+FFFD

  const auto result =
      run(toy_story_with({{"overview", "a\xc0\xafz"}, {"tagline", "\xed\xa0\x80"}}));
  ASSERT_TRUE(result.movie);
  ASSERT_EQ(result.diagnostics.size(), 2u);
  expect_diagnostic(result.diagnostics[0], Severity::Warning, Reason::InvalidUtf8, 862, "overview");
  expect_diagnostic(result.diagnostics[1], Severity::Warning, Reason::InvalidUtf8, 862, "tagline");
  EXPECT_THAT(result.diagnostics[0].message, HasSubstr("U+FFFD"));
}

TEST(Validate, NonAsciiTextIsKept) {
  const Movie m =
      expect_clean(toy_story_with({{"original_title", "La Cit\xc3\xa9 des enfants perdus"}}));
  EXPECT_EQ(m.original_title, "La Cit\xc3\xa9 des enfants perdus");
}

// --- Python-literal lists ----------------------------------------------------------

TEST(Validate, EmptyListColumnsAreEmptyWithoutWarning) {
  const Movie m = expect_clean(toy_story_with({{"genres", ""}, {"production_companies", ""},
                                               {"production_countries", ""},
                                               {"spoken_languages", ""}}));
  EXPECT_TRUE(m.genres.empty());
  EXPECT_TRUE(m.companies.empty());
  EXPECT_TRUE(m.countries.empty());
  EXPECT_TRUE(m.languages.empty());
  EXPECT_TRUE(expect_clean(toy_story_with({{"genres", "[]"}})).genres.empty());
}

TEST(Validate, GatoradeListIsSalvaged) {
  const std::string gatorade = "[{'id': 35, 'name': 'Comedy'} GATORADE";
  const auto result = run(toy_story_with({{"genres", gatorade}}));
  ASSERT_TRUE(result.movie);
  ASSERT_EQ(result.movie->genres.size(), 1u);
  EXPECT_EQ(result.movie->genres[0].id, 35);
  EXPECT_EQ(result.movie->genres[0].name, "Comedy");
  ASSERT_EQ(result.diagnostics.size(), 1u);
  const Diagnostic& d = result.diagnostics[0];
  expect_diagnostic(d, Severity::Warning, Reason::MalformedLiteral, 862, "genres");
  EXPECT_THAT(d.message, StartsWith("genres is cut short by a parse error ("));
  EXPECT_THAT(d.message, HasSubstr(literal::parse(gatorade).message));
  EXPECT_THAT(d.message, HasSubstr("; kept the 1 entry before it"));
}

TEST(Validate, UnparseableListBecomesEmpty) {
  for (const char* value : {"GATORADE", "[{'id': 35", "{'id': 1, 'name': 'x'}", "35", "None",
                            "'Comedy'"}) {
    SCOPED_TRACE(value);
    EXPECT_TRUE(expect_one_warning(toy_story_with({{"production_companies", value}}),
                                   Reason::MalformedLiteral, "production_companies")
                    .companies.empty());
  }
  EXPECT_EQ(run(toy_story_with({{"genres", "{'id': 1, 'name': 'x'}"}})).diagnostics.at(0).message,
            "genres is not a list; set to an empty list");
  EXPECT_THAT(run(toy_story_with({{"genres", "GATORADE"}})).diagnostics.at(0).message,
              StartsWith("genres is not a valid Python literal ("));
}

TEST(Validate, UnusableEntriesAreSkippedOneWarningEach) {
  const auto result = run(toy_story_with(
      {{"genres",
        "[{'id': 16, 'name': 'Animation'}, 'oops', {'name': 'NoId'}, {'id': '35', 'name': "
        "'StrId'}, {'id': 18}, {'id': 99, 'name': None}, {'id': 80, 'name': 'Crime'}]"}}));
  ASSERT_TRUE(result.movie);
  ASSERT_EQ(result.movie->genres.size(), 2u);
  EXPECT_EQ(result.movie->genres[0].id, 16);
  EXPECT_EQ(result.movie->genres[1].id, 80);
  EXPECT_EQ(result.movie->genres[1].name, "Crime");
  ASSERT_EQ(result.diagnostics.size(), 5u);
  for (const auto& d : result.diagnostics) {
    expect_diagnostic(d, Severity::Warning, Reason::MalformedLiteral, 862, "genres");
  }
  EXPECT_EQ(result.diagnostics[0].message, "genres entry 2 is skipped: not a dict");
  EXPECT_EQ(result.diagnostics[1].message, "genres entry 3 is skipped: no integer 'id'");
  EXPECT_EQ(result.diagnostics[2].message, "genres entry 4 is skipped: no integer 'id'");
  EXPECT_EQ(result.diagnostics[3].message, "genres entry 5 is skipped: no string 'name'");
  EXPECT_EQ(result.diagnostics[4].message, "genres entry 6 is skipped: no string 'name'");
}

TEST(Validate, CountriesAndLanguagesNeedTheirCodes) {
  const auto result = run(toy_story_with(
      {{"production_countries",
        "[{'iso_3166_1': 'US', 'name': 'United States of America'}, {'name': 'Nowhere'}, "
        "{'iso_3166_1': '', 'name': 'Empty'}, {'iso_639_1': 'fr', 'name': 'France'}]"},
       {"spoken_languages",
        "[{'iso_639_1': 'gd', 'name': ''}, {'iso_3166_1': 'en', 'name': 'x'}]"}}));
  ASSERT_TRUE(result.movie);
  ASSERT_EQ(result.movie->countries.size(), 1u);
  EXPECT_EQ(result.movie->countries[0].code, "US");
  // An empty name is real data (the file lists languages that way) and is kept.
  ASSERT_EQ(result.movie->languages.size(), 1u);
  EXPECT_EQ(result.movie->languages[0].code, "gd");
  EXPECT_EQ(result.movie->languages[0].name, "");
  ASSERT_EQ(result.diagnostics.size(), 4u);
  for (std::size_t i = 0; i < 3; ++i) {
    expect_diagnostic(result.diagnostics[i], Severity::Warning, Reason::MalformedLiteral, 862,
                      "production_countries");
  }
  EXPECT_EQ(result.diagnostics[0].message,
            "production_countries entry 2 is skipped: no string 'iso_3166_1'");
  expect_diagnostic(result.diagnostics[3], Severity::Warning, Reason::MalformedLiteral, 862,
                    "spoken_languages");
  EXPECT_EQ(result.diagnostics[3].message,
            "spoken_languages entry 2 is skipped: no string 'iso_639_1'");
}

TEST(Validate, DoubleQuotedNamesWithApostrophes) {
  const Movie m = expect_clean(toy_story_with(
      {{"production_companies", "[{'name': \"Lions Gate Films' Shop\", 'id': 35}]"}}));
  ASSERT_EQ(m.companies.size(), 1u);
  EXPECT_EQ(m.companies[0].name, "Lions Gate Films' Shop");
}

TEST(Validate, DuplicatesWithinAMovieCountOnceSilently) {
  const Movie m = expect_clean(toy_story_with(
      {{"production_companies",
        "[{'name': 'Pixar', 'id': 3}, {'name': 'Disney', 'id': 2}, {'name': 'Pixar', 'id': 3}]"},
       {"production_countries",
        "[{'iso_3166_1': 'US', 'name': 'USA'}, {'iso_3166_1': 'US', 'name': 'USA'}]"}}));
  ASSERT_EQ(m.companies.size(), 2u);
  EXPECT_EQ(m.companies[0].id, 3);
  EXPECT_EQ(m.companies[1].id, 2);
  ASSERT_EQ(m.countries.size(), 1u);
}

TEST(Validate, DuplicateWithAnotherNameKeepsTheFirstAndWarns) {
  const auto result = run(toy_story_with(
      {{"genres", "[{'id': 35, 'name': 'Comedy'}, {'id': 35, 'name': 'Komödie'}]"},
       {"spoken_languages",
        "[{'iso_639_1': 'en', 'name': 'English'}, {'iso_639_1': 'en', 'name': 'Anglais'}]"}}));
  ASSERT_TRUE(result.movie);
  ASSERT_EQ(result.movie->genres.size(), 1u);
  EXPECT_EQ(result.movie->genres[0].name, "Comedy");
  ASSERT_EQ(result.movie->languages.size(), 1u);
  EXPECT_EQ(result.movie->languages[0].name, "English");
  ASSERT_EQ(result.diagnostics.size(), 2u);
  expect_diagnostic(result.diagnostics[0], Severity::Warning, Reason::ConflictingName, 862,
                    "genres");
  EXPECT_EQ(result.diagnostics[0].message,
            "genres lists 35 twice with different names: 'Comedy' (kept) and 'Komödie' "
            "(ignored)");
  expect_diagnostic(result.diagnostics[1], Severity::Warning, Reason::ConflictingName, 862,
                    "spoken_languages");
}

TEST(Validate, IllFormedUtf8InsideALiteralNameIsReplaced) {
  const auto result = run(toy_story_with({{"genres", "[{'id': 35, 'name': 'Com\xe9" "die'}]"}}));
  ASSERT_TRUE(result.movie);
  ASSERT_EQ(result.movie->genres.size(), 1u);
  EXPECT_EQ(result.movie->genres[0].name, "Com\xef\xbf\xbd" "die");
  ASSERT_EQ(result.diagnostics.size(), 1u);
  expect_diagnostic(result.diagnostics[0], Severity::Warning, Reason::InvalidUtf8, 862, "genres");
}

// --- belongs_to_collection ---------------------------------------------------------

TEST(Validate, CollectionWithNonePaths) {
  const Movie m = expect_clean(toy_story_with(
      {{"belongs_to_collection",
        "{'id': 7, 'name': 'Trilogy', 'poster_path': None, 'backdrop_path': '/b.jpg'}"}}));
  ASSERT_TRUE(m.collection);
  EXPECT_EQ(m.collection->id, 7);
  EXPECT_EQ(m.collection->name, "Trilogy");
  EXPECT_EQ(m.collection->poster_path, std::nullopt);
  EXPECT_EQ(m.collection->backdrop_path, "/b.jpg");
  EXPECT_FALSE(expect_clean(toy_story_with({{"belongs_to_collection", ""}})).collection);
}

TEST(Validate, MalformedCollectionIsNone) {
  for (const char* value : {"GATORADE", "[{'id': 7, 'name': 'x'}]", "{'name': 'No id'}",
                            "{'id': 7}", "{'id': '7', 'name': 'x'}",
                            "{'id': 7, 'name': 'x', 'poster_path': 3}", "{'id': 7, 'name': 'x'",
                            "0", "{'id': 7, 'name': 'x'} junk"}) {
    SCOPED_TRACE(value);
    EXPECT_FALSE(expect_one_warning(toy_story_with({{"belongs_to_collection", value}}),
                                    Reason::MalformedLiteral, "belongs_to_collection")
                     .collection);
  }
  EXPECT_EQ(run(toy_story_with({{"belongs_to_collection", "{'id': 7}"}})).diagnostics.at(0).message,
            "belongs_to_collection has no string 'name'; set to null");
}

// --- order, hash, repaired ----------------------------------------------------------

TEST(Validate, WarningsComeInColumnOrder) {
  const auto result = run(toy_story_with({{"vote_count", "x"},
                                          {"runtime", "x"},
                                          {"revenue", "1.5"},
                                          {"title", "\xff"},
                                          {"genres", "GATORADE"},
                                          {"adult", "x"}}));
  ASSERT_TRUE(result.movie);
  std::vector<std::string> columns;
  for (const auto& d : result.diagnostics) columns.push_back(d.column.value_or("?"));
  EXPECT_EQ(columns, (std::vector<std::string>{"adult", "genres", "revenue", "runtime", "title",
                                               "vote_count"}));
}

TEST(Validate, FieldsHashTellsRecordsApart) {
  const Movie a = expect_clean(toy_story_fields());
  const Movie same = expect_clean(toy_story_fields());
  const Movie other_overview = expect_clean(toy_story_with({{"overview", "Different."}}));
  // Moving a character from one field to the next must change the hash too.
  const Movie moved =
      expect_clean(toy_story_with({{"imdb_id", "tt011470"}, {"original_language", "9en"}}));
  EXPECT_EQ(a.fields_hash, same.fields_hash);
  EXPECT_NE(a.fields_hash, other_overview.fields_hash);
  EXPECT_NE(a.fields_hash, moved.fields_hash);
  EXPECT_NE(a.fields_hash, 0u);
}

TEST(Validate, RepairedRecordIsValidatedNormally) {
  auto fields = toy_story_with({{"overview", "first half\nsecond half"}});
  const std::string raw = join_fields(fields);
  const std::vector<std::string_view> views(fields.begin(), fields.end());
  csv::Record record;
  record.line = 10;
  record.end_line = 11;
  record.raw = raw;
  record.fields = views;
  record.repaired = true;
  record.second_line = 11;
  CollectingSink sink;
  const auto movie = validate(record, ColumnMap(kKaggleHeader, "x.csv"), sink);
  ASSERT_TRUE(movie);
  EXPECT_EQ(movie->overview, "first half\nsecond half");
  EXPECT_EQ(movie->line, 10u);
  EXPECT_TRUE(sink.diagnostics.empty());  // the job reports `repaired`, not validate()
}

}  // namespace
}  // namespace marquee::model

#include "generate/generator.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iterator>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace marquee::generate {
namespace {

// Written out by hand from the Kaggle file's first line.
constexpr std::string_view kKaggleHeader =
    "adult,belongs_to_collection,budget,genres,homepage,id,imdb_id,original_language,"
    "original_title,overview,popularity,poster_path,production_companies,"
    "production_countries,release_date,revenue,runtime,spoken_languages,status,tagline,"
    "title,video,vote_average,vote_count\r\n";

struct Generated {
  std::string text;
  Stats stats;
};

Generated generateText(std::uint64_t movies, std::uint64_t seed, bool defects = false) {
  Options options;
  options.movies = movies;
  options.seed = seed;
  options.defects = defects;
  std::ostringstream out;
  Generated generated;
  generated.stats = generate(options, out);
  generated.text = std::move(out).str();
  return generated;
}

// Test-only RFC 4180 reader, independent of src/csv. Records end only at
// CRLF; a bare LF outside quotes stays in the field, so a wrong line end
// shows up as a wrong field or record count.
using Rows = std::vector<std::vector<std::string>>;

Rows parseCsv(std::string_view text) {
  Rows rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  bool field_started = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c != '"') field += c;
      else if (i + 1 < text.size() && text[i + 1] == '"') field += text[++i];
      else quoted = false;
    } else if (c == '"' && !field_started) {
      quoted = field_started = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
      field_started = false;
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      row.push_back(std::move(field));
      rows.push_back(std::move(row));
      field.clear();
      row.clear();
      field_started = false;
      ++i;
    } else {
      field += c;
      field_started = true;
    }
  }
  if (field_started || !row.empty()) {
    row.push_back(std::move(field));
    rows.push_back(std::move(row));
  }
  return rows;
}

struct LineBreaks {
  std::size_t unquoted_crlf = 0;
  std::size_t unquoted_bare_lf = 0;
  std::size_t unquoted_bare_cr = 0;
  std::size_t quoted_crlf = 0;
  std::size_t quoted_bare_lf = 0;
};

LineBreaks countLineBreaks(std::string_view text) {
  LineBreaks breaks;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool crlf = c == '\r' && i + 1 < text.size() && text[i + 1] == '\n';
    if (c == '"') quoted = !quoted;  // a doubled quote toggles twice
    else if (crlf) ++(quoted ? breaks.quoted_crlf : breaks.unquoted_crlf), ++i;
    else if (c == '\n') ++(quoted ? breaks.quoted_bare_lf : breaks.unquoted_bare_lf);
    else if (c == '\r' && !quoted) ++breaks.unquoted_bare_cr;
  }
  return breaks;
}

std::size_t column(std::string_view name) {
  const Rows header = parseCsv(kKaggleHeader);
  for (std::size_t i = 0; i < header[0].size(); ++i) {
    if (header[0][i] == name) return i;
  }
  throw std::logic_error("no column " + std::string(name));
}

bool hasNonAscii(std::string_view text) {
  for (const char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return true;
  }
  return false;
}

std::size_t countOccurrences(std::string_view text, std::string_view needle) {
  std::size_t count = 0;
  for (std::size_t at = text.find(needle); at != std::string_view::npos; at = text.find(needle, at + 1)) ++count;
  return count;
}

TEST(Generate, SameSeedGivesIdenticalBytes) {
  const Generated first = generateText(3000, 42);
  const Generated second = generateText(3000, 42);
  EXPECT_EQ(first.text, second.text);
  EXPECT_EQ(first.stats.bytes, second.stats.bytes);
  EXPECT_EQ(first.stats.duplicates, second.stats.duplicates);
}

TEST(Generate, SameSeedWithDefectsGivesIdenticalBytes) {
  EXPECT_EQ(generateText(3000, 42, true).text, generateText(3000, 42, true).text);
}

TEST(Generate, DifferentSeedsGiveDifferentBytes) {
  const Generated first = generateText(200, 1);
  const Generated second = generateText(200, 2);
  EXPECT_NE(first.text, second.text);
  // Not just a different header or a handful of bytes: the records differ.
  EXPECT_NE(parseCsv(first.text)[1], parseCsv(second.text)[1]);
}

TEST(Generate, HeaderIsTheKaggleHeader) {
  const Generated generated = generateText(10, 3);
  EXPECT_EQ(generated.text.substr(0, kKaggleHeader.size()), kKaggleHeader);

  const char* data_dir = std::getenv("MARQUEE_DATA_DIR");
  const std::filesystem::path real = std::filesystem::path(data_dir ? data_dir : "") / "movies_metadata.head.csv";
  if (data_dir == nullptr || !std::filesystem::exists(real)) {
    GTEST_SKIP() << "real movies_metadata.head.csv absent (MARQUEE_DATA_DIR); compared with the written-out header only";
  }
  std::ifstream in(real, std::ios::binary);
  std::string real_header(kKaggleHeader.size(), '\0');
  in.read(real_header.data(), static_cast<std::streamsize>(real_header.size()));
  EXPECT_EQ(generated.text.substr(0, kKaggleHeader.size()), real_header);
}

TEST(Generate, ZeroMoviesWritesOnlyTheHeader) {
  const Generated generated = generateText(0, 5);
  EXPECT_EQ(generated.text, kKaggleHeader);
  EXPECT_EQ(generated.stats.records, 0U);
  EXPECT_EQ(generated.stats.bytes, kKaggleHeader.size());
  EXPECT_EQ(generated.stats.duplicates, 0U);
}

TEST(Generate, StatsCountRecordsBytesAndDuplicates) {
  const Generated generated = generateText(4500, 11);
  EXPECT_EQ(generated.stats.records, 4500U);
  EXPECT_EQ(generated.stats.bytes, generated.text.size());
  // Documented rate: one duplicate per full block of 1,000 records, and the
  // half block at the end holds one only if its position falls inside.
  EXPECT_GE(generated.stats.duplicates, 4U);
  EXPECT_LE(generated.stats.duplicates, 5U);

  const Rows rows = parseCsv(generated.text);
  ASSERT_EQ(rows.size(), 4501U);
  std::map<std::string, std::size_t> seen;
  std::uint64_t repeats = 0;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    if (seen[rows[r][column("id")]]++ > 0) ++repeats;
  }
  EXPECT_EQ(repeats, generated.stats.duplicates);
}

TEST(Generate, EveryRecordHas24FieldsAndEndsWithCrlf) {
  const Generated generated = generateText(20000, 8);
  const Rows rows = parseCsv(generated.text);
  ASSERT_EQ(rows.size(), 20001U);
  for (std::size_t r = 0; r < rows.size(); ++r) ASSERT_EQ(rows[r].size(), 24U) << "row " << r;

  const LineBreaks breaks = countLineBreaks(generated.text);
  EXPECT_EQ(breaks.unquoted_crlf, 20001U);
  EXPECT_EQ(breaks.unquoted_bare_lf, 0U);
  EXPECT_EQ(breaks.unquoted_bare_cr, 0U);
  EXPECT_GT(breaks.quoted_crlf, 0U) << "some overviews hold a CRLF";
  EXPECT_GT(breaks.quoted_bare_lf, 0U) << "some overviews hold a bare LF";
  EXPECT_EQ(generated.text.substr(generated.text.size() - 2), "\r\n");
}

TEST(Generate, HasTheKaggleQuirks) {
  const std::size_t movies = 20000;
  const Generated generated = generateText(movies, 9);
  const Rows rows = parseCsv(generated.text);
  ASSERT_EQ(rows.size(), movies + 1);
  std::size_t zero_budgets = 0, zero_revenues = 0, non_ascii_overviews = 0, empty_dates = 0;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    zero_budgets += rows[r][column("budget")] == "0";
    zero_revenues += rows[r][column("revenue")] == "0";
    non_ascii_overviews += hasNonAscii(rows[r][column("overview")]);
    empty_dates += rows[r][column("release_date")].empty();
  }
  EXPECT_GT(zero_budgets, movies * 4 / 10) << "most movies have no budget, as in the real file";
  EXPECT_GT(zero_revenues, movies * 4 / 10);
  EXPECT_GT(non_ascii_overviews, 0U);
  EXPECT_GT(empty_dates, 0U);
  EXPECT_LT(empty_dates, movies / 200);

  const std::string_view text = generated.text;
  // Quoted overviews: the field opens with a quote after the original title.
  EXPECT_GT(countOccurrences(text, "\"\""), 0U) << "doubled quotes inside quoted fields";
  // A company name with an apostrophe is repr'd in double quotes, which the
  // CSV doubles: "[{'name': ""Ringo's Films"", 'id': 7}]".
  EXPECT_GT(countOccurrences(text, "{'name': \"\""), 0U);
  EXPECT_GT(countOccurrences(text, "'backdrop_path': None}"), 0U);
  EXPECT_GT(countOccurrences(text, "e-05,") + countOccurrences(text, "e-06,"), 0U) << "exponent popularity";
  EXPECT_EQ(countOccurrences(text, " GATORADE"), 0U) << "defects are off by default";
}

TEST(Generate, DefectsAreOffByDefault) {
  EXPECT_FALSE(Options{}.defects);
  const Rows rows = parseCsv(generateText(3000, 4).text);
  ASSERT_EQ(rows.size(), 3001U);
  for (const auto& row : rows) ASSERT_EQ(row.size(), 24U);
}

std::vector<std::string> physicalLines(std::string_view text) {
  std::vector<std::string> lines;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t end = text.find("\r\n", at);
    lines.emplace_back(text.substr(at, end - at));
    at = end + 2;
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

std::size_t countMissingFrom(const std::vector<std::string>& sorted_lines, const std::vector<std::string>& other) {
  std::vector<std::string> missing;
  std::set_difference(sorted_lines.begin(), sorted_lines.end(), other.begin(), other.end(), std::back_inserter(missing));
  return missing.size();
}

TEST(Generate, DefectsReplaceSixRecordsPerThousandAndNothingElse) {
  const auto clean = physicalLines(generateText(1000, 21).text);
  const std::string defective_text = generateText(1000, 21, true).text;
  const auto defective = physicalLines(defective_text);
  // Six records change; the split one becomes two physical lines.
  EXPECT_EQ(countMissingFrom(clean, defective), 6U);
  EXPECT_EQ(countMissingFrom(defective, clean), 7U);
  EXPECT_EQ(countOccurrences(defective_text, " GATORADE"), 1U);
  EXPECT_EQ(countOccurrences(defective_text, "\r\n - Written by "), 1U);
}

// --- Checks by Python's csv and ast modules: an independent reader. ---

bool havePython() { return std::system("python3 -c 'import ast, csv' >/dev/null 2>&1") == 0; }

class TempFiles {
 public:
  TempFiles() {
    directory_ = std::filesystem::temp_directory_path() /
                 ("marquee_generate_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    std::filesystem::create_directories(directory_);
  }
  ~TempFiles() {
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
  }
  std::filesystem::path write(const std::string& name, std::string_view content) const {
    const auto path = directory_ / name;
    std::ofstream(path, std::ios::binary).write(content.data(), static_cast<std::streamsize>(content.size()));
    return path;
  }
  std::filesystem::path path(const std::string& name) const { return directory_ / name; }

 private:
  static inline int counter_ = 0;
  std::filesystem::path directory_;
};

// Runs `script csv_file` and reads its "key value" lines.
std::map<std::string, long long> runPython(std::string_view script, std::string_view csv_text) {
  TempFiles files;
  const auto script_path = files.write("check.py", script);
  const auto csv_path = files.write("movies_metadata.csv", csv_text);
  const auto result_path = files.path("result.txt");
  const std::string command = "python3 '" + script_path.string() + "' '" + csv_path.string() + "' > '" +
                              result_path.string() + "'";
  if (std::system(command.c_str()) != 0) throw std::runtime_error("python3 check failed: " + command);
  std::map<std::string, long long> result;
  std::ifstream in(result_path);
  std::string key;
  long long value;
  while (in >> key >> value) result[key] = value;
  return result;
}

// Reads the file with csv (newline='' as the docs require), checks the
// quoting by writing the rows back with QUOTE_MINIMAL and CRLF, and checks
// every literal column by ast.literal_eval and by repr() giving it back.
constexpr std::string_view kCleanCheck = R"py(
import ast, collections, csv, datetime, io, re, sys
GENRES = {28: 'Action', 12: 'Adventure', 16: 'Animation', 35: 'Comedy', 80: 'Crime',
          99: 'Documentary', 18: 'Drama', 10751: 'Family', 14: 'Fantasy', 36: 'History',
          27: 'Horror', 10402: 'Music', 9648: 'Mystery', 10749: 'Romance',
          878: 'Science Fiction', 10770: 'TV Movie', 53: 'Thriller', 10752: 'War',
          37: 'Western', 10769: 'Foreign'}
raw = open(sys.argv[1], 'rb').read()
rows = list(csv.reader(io.StringIO(raw.decode('utf-8'), newline='')))
header, data = rows[0], rows[1:]
col = {name: i for i, name in enumerate(header)}
out = collections.Counter()
out['records'] = len(data)
out['bad_width'] = sum(len(r) != 24 for r in data)
written = io.StringIO(newline='')
csv.writer(written, lineterminator='\r\n', quoting=csv.QUOTE_MINIMAL).writerows(rows)
out['roundtrip_equal'] = int(written.getvalue().encode('utf-8') == raw)
first = {}
for r in data:
    rid = r[col['id']]
    if not re.fullmatch(r'[1-9][0-9]*', rid): out['bad_id'] += 1
    if rid in first: out['dup_identical' if first[rid] == r else 'dup_differing'] += 1
    else: first[rid] = r
    if rid in first and first[rid] is not r and first[rid][col['title']] != r[col['title']]:
        out['bad_dup_title'] += 1

def literal(r, name, keys):
    value = r[col[name]]
    try: parsed = ast.literal_eval(value)
    except Exception: out['bad_literal_' + name] += 1; return []
    if repr(parsed) != value: out['bad_repr_' + name] += 1
    if not isinstance(parsed, list) or any(not isinstance(d, dict) or list(d) != keys for d in parsed):
        out['bad_shape_' + name] += 1; return []
    return parsed

for r in data:
    for g in literal(r, 'genres', ['id', 'name']):
        if GENRES.get(g['id']) != g['name']: out['bad_genre'] += 1
    companies = literal(r, 'production_companies', ['name', 'id'])
    if [c['id'] for c in companies] != sorted(c['id'] for c in companies): out['bad_company_order'] += 1
    for c in companies:
        if any(ord(ch) > 127 for ch in c['name']): out['company_nonascii'] += 1
        if "'" in c['name']: out['company_apostrophe'] += 1
        if "'" in c['name'] and '"' in c['name']: out['company_both_quotes'] += 1
    for c in literal(r, 'production_countries', ['iso_3166_1', 'name']):
        if not re.fullmatch('[A-Z]{2}', c['iso_3166_1']): out['bad_country'] += 1
    for l in literal(r, 'spoken_languages', ['iso_639_1', 'name']):
        if not re.fullmatch('[a-z]{2}', l['iso_639_1']): out['bad_language'] += 1
    coll = r[col['belongs_to_collection']]
    if coll:
        try:
            d = ast.literal_eval(coll)
            if repr(d) != coll: out['bad_repr_collection'] += 1
            if list(d) != ['id', 'name', 'poster_path', 'backdrop_path']: out['bad_shape_collection'] += 1
            if d['backdrop_path'] is None: out['collection_none'] += 1
            if "'" in d['name']: out['collection_apostrophe'] += 1
        except Exception: out['bad_literal_collection'] += 1
    date = r[col['release_date']]
    if date == '': out['date_empty'] += 1
    else:
        try:
            d = datetime.date.fromisoformat(date)
            if not (1900 <= d.year <= 2020) or not re.fullmatch(r'\d{4}-\d\d-\d\d', date): out['bad_date_range'] += 1
        except ValueError: out['bad_date'] += 1
    for name in ('budget', 'revenue', 'vote_count'):
        v = r[col[name]]
        if not re.fullmatch(r'0|[1-9][0-9]*', v): out['bad_' + name] += 1
    pop = r[col['popularity']]
    try:
        if float(pop) < 0 or repr(float(pop)) != pop: out['bad_popularity'] += 1
    except ValueError: out['bad_popularity'] += 1
    if 'e' in pop: out['popularity_exponent'] += 1
    if not re.fullmatch(r'|[0-9]+\.0', r[col['runtime']]): out['bad_runtime'] += 1
    va = r[col['vote_average']]
    if not re.fullmatch(r'[0-9]+\.[0-9]', va) or float(va) > 10: out['bad_vote_average'] += 1
    if r[col['status']] not in ('Released', 'Rumored', 'Post Production', ''): out['bad_status'] += 1
    for name in ('adult', 'video'):
        if r[col[name]] not in ('True', 'False'): out['bad_' + name] += 1
    if not re.fullmatch(r'tt[0-9]{7,}', r[col['imdb_id']]): out['bad_imdb_id'] += 1
    ov = r[col['overview']]
    if ',' in ov: out['overview_comma'] += 1
    if '"' in ov: out['overview_quote'] += 1
    if '\r\n' in ov: out['overview_crlf'] += 1
    if '\n' in ov.replace('\r\n', ''): out['overview_lf'] += 1
    if any(ord(ch) > 127 for ch in ov): out['overview_nonascii'] += 1
for k in sorted(out): print(k, out[k])
)py";

TEST(GenerateWithPython, CsvModuleReadsEveryRecordAndLiteral) {
  if (!havePython()) GTEST_SKIP() << "python3 is absent; the independent csv/ast checks cannot run";
  const std::size_t movies = 20000;
  const Generated generated = generateText(movies, 13);
  const auto result = runPython(kCleanCheck, generated.text);
  auto get = [&](const std::string& key) { return result.count(key) ? result.at(key) : 0LL; };

  EXPECT_EQ(get("records"), static_cast<long long>(movies));
  EXPECT_EQ(get("roundtrip_equal"), 1) << "quoting differs from Python's csv writer with QUOTE_MINIMAL";
  for (const auto& [key, value] : result) {
    if (key.rfind("bad_", 0) == 0) {
      EXPECT_EQ(value, 0) << key;
    }
  }
  EXPECT_EQ(get("dup_identical") + get("dup_differing"), static_cast<long long>(generated.stats.duplicates));
  EXPECT_GT(get("dup_identical"), 0);
  EXPECT_GT(get("dup_differing"), 0);
  for (const char* key : {"overview_comma", "overview_quote", "overview_crlf", "overview_lf", "overview_nonascii",
                          "company_nonascii", "company_apostrophe", "company_both_quotes", "collection_none",
                          "collection_apostrophe", "popularity_exponent", "date_empty"}) {
    EXPECT_GT(get(key), 0) << key;
  }
}

// Finds each kind of planted defect the way a reader meets it.
constexpr std::string_view kDefectCheck = R"py(
import ast, collections, csv, datetime, io, re, sys
raw = open(sys.argv[1], 'rb').read()
rows = list(csv.reader(io.StringIO(raw.decode('utf-8'), newline='')))[1:]
out = collections.Counter()
out['rows'] = len(rows)
DATE = re.compile(r'\d{4}-\d\d-\d\d')
def is_date(text):
    try: datetime.date.fromisoformat(text); return DATE.fullmatch(text) is not None
    except ValueError: return False
explained = set()
for i, r in enumerate(rows):
    if len(r) == 10 and i + 1 < len(rows) and len(rows[i + 1]) == 15 \
            and rows[i + 1][0].startswith(' - Written by ') and is_date(rows[i + 1][5]):
        out['split_record'] += 1
        explained.update((i, i + 1))
    if len(r) > 21 and '\r\n' in r[20]:
        out['stray_quote'] += 1
        explained.add(i)
    if len(r) != 24: continue
    genres = r[3]
    if genres.endswith(' GATORADE'):
        try: ast.literal_eval(genres); parsed_whole = True
        except Exception: parsed_whole = False
        kept = ast.literal_eval(genres[:-len(' GATORADE')] + ']')
        if not parsed_whole and len(kept) >= 1: out['genres_garbage'] += 1
    if DATE.fullmatch(r[14]) and not is_date(r[14]): out['invalid_date'] += 1
    if is_date(r[5]): out['date_as_id'] += 1
    if re.fullmatch(r'[0-9]+\.[0-9]+', r[15]) and float(r[15]) != int(float(r[15])): out['fractional_revenue'] += 1
out['unexplained_irregular_rows'] = sum(1 for i, r in enumerate(rows) if len(r) != 24 and i not in explained)
for k in sorted(out): print(k, out[k])
)py";

TEST(GenerateWithPython, DefectsArePlantedOncePerThousandRecords) {
  if (!havePython()) GTEST_SKIP() << "python3 is absent; the independent csv checks cannot run";
  const std::size_t movies = 5000;
  const Generated generated = generateText(movies, 17, true);
  const auto result = runPython(kDefectCheck, generated.text);
  auto get = [&](const std::string& key) { return result.count(key) ? result.at(key) : 0LL; };

  const long long per_kind = movies / 1000;
  EXPECT_EQ(get("split_record"), per_kind) << "10 fields then 15 fields";
  EXPECT_EQ(get("stray_quote"), per_kind) << "an unbalanced quote runs into the next line";
  EXPECT_EQ(get("genres_garbage"), per_kind);
  EXPECT_EQ(get("invalid_date"), per_kind);
  EXPECT_EQ(get("date_as_id"), per_kind);
  EXPECT_EQ(get("fractional_revenue"), per_kind);
  EXPECT_EQ(get("unexplained_irregular_rows"), 0);
  // Each split record reads as one extra row, each stray quote merges its
  // line with the next one (see docs/GENERATE.md for the rare case where
  // Python's merge runs further; this seed does not hit it).
  EXPECT_EQ(get("rows"), static_cast<long long>(movies) + per_kind - per_kind);
  EXPECT_EQ(generated.stats.records, movies);
}

TEST(GenerateWithPython, CleanFileHasNoDefects) {
  if (!havePython()) GTEST_SKIP() << "python3 is absent; the independent csv checks cannot run";
  const auto result = runPython(kDefectCheck, generateText(5000, 17).text);
  for (const auto& [key, value] : result) {
    if (key != "rows") {
      EXPECT_EQ(value, 0) << key;
    }
  }
  EXPECT_EQ(result.at("rows"), 5000);
}

}  // namespace
}  // namespace marquee::generate

#pragma once
// Builds each record's movie from (seed, index) alone, and plants the real
// file's defects (internal to src/generate).
#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "generate/block_layout.hpp"
#include "generate/csv_text.hpp"
#include "generate/generator.hpp"
#include "generate/movie_record.hpp"
#include "generate/random.hpp"
#include "generate/vocabulary.hpp"

namespace marquee::generate::detail {

// ---------------------------------------------------------------------------
// Field generators. Rates are per million unless named otherwise.

class MovieFactory {
 public:
  explicit MovieFactory(const Options& options)
      : seed_(options.seed),
        genre_weights_(vocab::kGenres, [](const auto& g) { return g.weight; }),
        country_weights_(vocab::kCountries, [](const auto& c) { return c.weight; }),
        original_language_weights_(vocab::kLanguages, [](const auto& l) { return l.original_weight; }),
        spoken_language_weights_(vocab::kLanguages, [](const auto& l) { return l.spoken_weight; }),
        ids_(makeScramblers(options)) {
    renderEntries();
    buildCompanyPool();
  }

  // The record at `index` as if it were plain: a pure function of (seed, index).
  void build(std::uint64_t index, Movie& movie) const {
    movie.defect = Slot::plain;
    movie.revenue_fraction = {};
    Rng text = streamRng(seed_, Stream::text, index);
    Rng meta = streamRng(seed_, Stream::meta, index);
    Rng audience = streamRng(seed_, Stream::audience, index);
    movie.id = 1 + ids_.movie(index);
    movie.imdb_id = "tt";
    appendPadded(movie.imdb_id, ids_.imdb(index), 7);
    makeTexts(text, index, movie);
    makeMeta(meta, index, movie);
    makeAudience(audience, movie);
  }

  void makeAudience(Rng& rng, Movie& movie) const {
    movie.popularity_micros = popularityMicros(rng);
    movie.vote_count = voteCount(rng);
    movie.vote_average_tenths = voteAverageTenths(rng, movie.vote_count);
  }

  void plantDefect(Slot slot, Rng& rng, Movie& movie) const {
    movie.defect = slot;
    switch (slot) {
      case Slot::split_overview:
        makeOverview(rng, movie.overview, /*plain=*/true);
        movie.overview += "\r\n - Written by ";
        movie.overview += rng.pick(vocab::kOverviewWriters);
        break;
      case Slot::genres_garbage:
        if (movie.genres == "[]") movie.genres = genre_entries_[1] + "]";  // Comedy
        movie.genres.pop_back();  // the closing bracket
        movie.genres += " GATORADE";
        break;
      case Slot::invalid_date:
        movie.release = invalidDate(rng);
        break;
      case Slot::non_numeric_id:
        movie.id_text.clear();
        appendDate(movie.id_text, validDate(rng));
        break;
      case Slot::stray_quote:
        makeTitle(rng, movie.title, /*plain=*/true);
        break;
      case Slot::fractional_revenue:
        if (movie.revenue == 0) movie.revenue = rng.between(100'000, 99'999'999);
        movie.revenue_fraction = rng.pick(kRevenueFractions);
        break;
      case Slot::plain:
      case Slot::duplicate:
        movie.defect = Slot::plain;
        break;
    }
  }

 private:
  static constexpr std::array<std::string_view, 3> kRevenueFractions{".5", ".25", ".75"};

 public:
  struct Scramblers {
    Scrambler movie;
    Scrambler imdb;
  };

  // Ids live in [1, 2^bits] with bits chosen so at most half the space is
  // used: sparse like TMDB's ids, unique by construction.
  static Scramblers makeScramblers(const Options& options) {  // public: PlainIds too
    Rng rng = streamRng(options.seed, Stream::ids, 0);
    const unsigned needed = static_cast<unsigned>(std::bit_width(options.movies)) + 1;
    const unsigned movie_bits = std::max(19U, needed);
    const unsigned imdb_bits = std::max(23U, needed);  // 2^23 - 1 still has 7 digits
    Scrambler movie(movie_bits, rng);
    Scrambler imdb(imdb_bits, rng);
    return {movie, imdb};
  }

 private:
  void renderEntries() {
    for (const auto& genre : vocab::kGenres) {
      std::string entry = "{'id': ";
      appendUint(entry, static_cast<std::uint64_t>(genre.id));
      genre_entries_.push_back(entry + ", 'name': " + pythonRepr(genre.name) + "}");
    }
    for (const auto& country : vocab::kCountries) {
      country_entries_.push_back("{'iso_3166_1': " + pythonRepr(country.code) +
                                 ", 'name': " + pythonRepr(country.name) + "}");
    }
    for (const auto& language : vocab::kLanguages) {
      language_entries_.push_back("{'iso_639_1': " + pythonRepr(language.code) +
                                  ", 'name': " + pythonRepr(language.name) + "}");
    }
  }

  // Every prefix x suffix name once, shuffled so the most used companies
  // (the low indexes) differ by seed; ids grow with the index, so sorting
  // picked indexes sorts by id as the real lists are.
  void buildCompanyPool() {
    Rng rng = streamRng(seed_, Stream::company_pool, 0);
    const std::size_t count = vocab::kCompanyPrefixes.size() * vocab::kCompanySuffixes.size();
    std::vector<std::size_t> order(count);
    for (std::size_t i = 0; i < count; ++i) order[i] = i;
    for (std::size_t i = count - 1; i > 0; --i) std::swap(order[i], order[rng.below(i + 1)]);
    std::uint64_t id = 0;
    for (const std::size_t combination : order) {
      const std::string name =
          std::string(vocab::kCompanyPrefixes[combination % vocab::kCompanyPrefixes.size()]) + " " +
          std::string(vocab::kCompanySuffixes[combination / vocab::kCompanyPrefixes.size()]);
      id += 1 + rng.below(24);
      std::string entry = "{'name': " + pythonRepr(name) + ", 'id': ";
      appendUint(entry, id);
      company_entries_.push_back(entry + "}");
    }
  }

  // --- text stream: titles, overview, tagline, homepage ---

  void makeTexts(Rng& rng, std::uint64_t index, Movie& movie) const {
    makeTitle(rng, movie.title, /*plain=*/false);
    makeOverview(rng, movie.overview, /*plain=*/false);
    makeTagline(rng, movie.tagline);
    makeHomepage(rng, index, movie);
  }

  static void appendTitleWords(Rng& rng, std::string& out, std::uint64_t count) {
    for (std::uint64_t i = 0; i < count; ++i) {
      if (i > 0) out += ' ';
      out += rng.pick(vocab::kTitleWords);
    }
  }

  // A plain title holds no comma or quote, for the defects that need one.
  static void makeTitle(Rng& rng, std::string& title, bool plain) {
    title.clear();
    const std::uint64_t pattern = plain ? rng.below(980) : rng.below(1000);
    if (pattern < 420) {
      appendTitleWords(rng, title, 1 + rng.below(3));
    } else if (pattern < 600) {
      title += "The ";
      appendTitleWords(rng, title, 1 + rng.below(2));
    } else if (pattern < 700) {
      appendTitleWords(rng, title, 1);
      title += " of the ";
      appendTitleWords(rng, title, 1);
    } else if (pattern < 780) {
      appendTitleWords(rng, title, 1 + rng.below(2));
      title += ": ";
      appendTitleWords(rng, title, 1 + rng.below(3));
    } else if (pattern < 830) {
      appendTitleWords(rng, title, 1 + rng.below(2));
      title += ' ';
      appendUint(title, rng.between(2, 5));
    } else if (pattern < 870) {
      title += pickName(rng);
      title += " and ";
      title += pickName(rng);
    } else if (pattern < 980) {
      appendTitleWords(rng, title, 3 + rng.below(2));
    } else if (pattern < 995) {  // "Paris, France"
      appendTitleWords(rng, title, 1 + rng.below(2));
      title += ", ";
      appendTitleWords(rng, title, 1 + rng.below(2));
    } else {  // The "Human" Factor
      title += "The \"";
      appendTitleWords(rng, title, 1);
      title += "\" ";
      appendTitleWords(rng, title, 1);
    }
  }

  // Mostly ASCII names; about one in seven is not, as real overviews mix them.
  static std::string_view pickName(Rng& rng) {
    constexpr std::size_t kAsciiNames = 30;
    return rng.chance(150'000) ? vocab::kNames[kAsciiNames + rng.below(vocab::kNames.size() - kAsciiNames)]
                               : vocab::kNames[rng.below(kAsciiNames)];
  }

  // Synopsis-like sentences: commas, a quoted title now and then, names with
  // non-ASCII letters, rarely a line break (CRLF, sometimes a bare LF).
  // A plain overview holds no comma, quote or line break.
  static void makeOverview(Rng& rng, std::string& overview, bool plain) {
    overview.clear();
    const std::uint64_t roll = rng.below(1'000'000);
    if (!plain && roll < 4'000) return;
    if (!plain && roll < 5'500) {
      overview = "No overview found.";
      return;
    }
    const std::uint64_t sentences = 1 + rng.below(4) + rng.below(3);
    const bool leads_with_title = !plain && rng.chance(110'000);
    const std::uint64_t line_break = plain ? 1'000'000 : rng.below(1'000'000);
    for (std::uint64_t s = 0; s < sentences; ++s) {
      if (s == 1 && line_break < 1'500) overview += "\r\n ";
      else if (s == 1 && line_break < 2'000) overview += '\n';
      else if (s > 0) overview += ' ';
      appendSentence(rng, overview, plain, s == 0 && leads_with_title);
    }
  }

  static void appendSentence(Rng& rng, std::string& out, bool plain, bool leads_with_title) {
    const std::uint64_t words = 6 + rng.below(14);
    const std::uint64_t name_at = rng.below(words * 3);
    if (leads_with_title) {  // "Stalingrad" follows the progress of ...
      out += '"';
      appendTitleWords(rng, out, 1 + rng.below(2));
      out += "\" ";
    }
    for (std::uint64_t w = 0; w < words; ++w) {
      if (w > 0) out += ' ';
      if (w == name_at) out += pickName(rng);
      else if (w == 0 && !leads_with_title) appendCapitalized(out, rng.pick(vocab::kOverviewWords));
      else out += rng.pick(vocab::kOverviewWords);
      if (!plain && w + 1 < words && rng.chance(60'000)) out += ',';
    }
    const std::uint64_t ending = rng.below(20);
    out += ending == 0 ? '!' : ending == 1 ? '?' : '.';
  }

  static void makeTagline(Rng& rng, std::string& tagline) {
    tagline.clear();
    if (rng.chance(250'000)) return;
    const std::uint64_t words = 3 + rng.below(7);
    const std::uint64_t comma_after = rng.chance(100'000) ? rng.below(words - 1) : words;
    const std::uint64_t quoted = rng.chance(15'000) ? rng.below(words) : words;
    for (std::uint64_t w = 0; w < words; ++w) {
      if (w > 0) tagline += ' ';
      if (w == quoted) {
        tagline += '"';
        tagline += rng.pick(vocab::kTitleWords);
        tagline += '"';
      } else if (w == 0) {
        appendCapitalized(tagline, rng.pick(vocab::kOverviewWords));
      } else {
        tagline += rng.pick(vocab::kOverviewWords);
      }
      if (w == comma_after) tagline += ',';
    }
    static constexpr std::array<std::string_view, 4> kEndings{".", "!", "...", "."};
    tagline += rng.pick(kEndings);
  }

  static void makeHomepage(Rng& rng, std::uint64_t index, Movie& movie) {
    movie.homepage.clear();
    if (!rng.chance(60'000)) return;
    movie.homepage = "http://www.";
    const std::size_t start = movie.homepage.size();
    for (const char c : movie.title) {
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) movie.homepage += c;
      else if (c >= 'A' && c <= 'Z') movie.homepage += static_cast<char>(c - 'A' + 'a');
    }
    if (movie.homepage.size() == start) {
      movie.homepage += "movie";
      appendUint(movie.homepage, index);
    }
    movie.homepage += ".com/";
  }

  // --- meta stream: lists, money, dates, flags ---

  void makeMeta(Rng& rng, std::uint64_t index, Movie& movie) const {
    movie.adult = rng.chance(200);
    movie.video = rng.chance(2'000);
    makeCollection(rng, index, movie.collection);
    makeMoney(rng, movie);
    makeGenres(rng, movie.genres);
    makeCompanies(rng, movie.companies);
    makeCountries(rng, movie.countries);
    makeLanguages(rng, movie);
    makeOriginalTitle(rng, movie);
    movie.poster_path.clear();
    if (!rng.chance(5'000)) appendImagePath(rng, movie.poster_path);
    movie.release = rng.chance(1'000) ? Date{} : validDate(rng);
    movie.runtime = runtime(rng);
    movie.status = status(rng);
  }

  static void appendImagePath(Rng& rng, std::string& out) {
    static constexpr std::string_view kAlphabet =
        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    out += '/';
    for (int part = 0; part < 3; ++part) {  // 62^9 < 2^64: nine letters per draw
      std::uint64_t bits = rng.next();
      for (int letter = 0; letter < 9; ++letter) {
        out += kAlphabet[bits % 62];
        bits /= 62;
      }
    }
    out += ".jpg";
  }

  // Neighbouring records share collections; a collection's name and images
  // follow from its id alone, so every member spells it the same way.
  void makeCollection(Rng& rng, std::uint64_t index, std::string& collection) const {
    collection.clear();
    if (!rng.chance(170'000)) return;
    const std::uint64_t group = (index + rng.below(16)) / 6;
    const std::uint64_t id = 1 + mix64(seed_ ^ (group * kGolden)) % 499'999;
    Rng detail = streamRng(seed_, Stream::collection, id);
    std::string name;
    appendTitleWords(detail, name, 1 + detail.below(2));
    name += " Collection";
    collection = "{'id': ";
    appendUint(collection, id);
    collection += ", 'name': ";
    collection += pythonRepr(name);
    collection += ", 'poster_path': ";
    appendImageOrNone(detail, 900'000, collection);
    collection += ", 'backdrop_path': ";
    appendImageOrNone(detail, 750'000, collection);
    collection += '}';
  }

  static void appendImageOrNone(Rng& rng, std::uint64_t per_million, std::string& out) {
    if (!rng.chance(per_million)) {
      out += "None";
      return;
    }
    out += '\'';
    appendImagePath(rng, out);
    out += '\'';
  }

  // Most movies have neither figure, as in the real file; budgets are round
  // numbers, revenues exact, and a revenue is likelier when a budget is known.
  void makeMoney(Rng& rng, Movie& movie) const {
    movie.budget = 0;
    movie.revenue = 0;
    if (rng.chance(440'000)) movie.budget = money(rng, budget_digits_.pick(rng) + 1, /*round=*/true);
    if (rng.chance(movie.budget > 0 ? 800'000 : 190'000)) {
      movie.revenue = money(rng, revenue_digits_.pick(rng) + 1, /*round=*/false);
    }
  }

  static std::uint64_t money(Rng& rng, std::size_t digits, bool round) {
    std::uint64_t low = 1;
    for (std::size_t d = 1; d < digits; ++d) low *= 10;
    std::uint64_t value = rng.between(low, low * 10 - 1);
    if (round && digits >= 5 && rng.chance(890'000)) {
      const std::uint64_t unit = low / (rng.chance(700'000) ? 10 : 100);
      value -= value % unit;
    }
    return value;
  }

  // Picks `count` distinct indexes by weight, giving up on a long run of
  // repeats (only possible for tiny tables) by taking the next free index.
  template <std::size_t Capacity>
  static std::size_t pickDistinct(Rng& rng, const WeightedIndex& weights, std::size_t count,
                                  std::array<std::size_t, Capacity>& picked) {
    count = std::min({count, Capacity, weights.size()});
    for (std::size_t n = 0; n < count; ++n) {
      std::size_t candidate = weights.pick(rng);
      for (int attempt = 0; contains(picked, n, candidate); ++attempt) {
        candidate = attempt < 32 ? weights.pick(rng) : (candidate + 1) % weights.size();
      }
      picked[n] = candidate;
    }
    return count;
  }

  template <std::size_t Capacity>
  static bool contains(const std::array<std::size_t, Capacity>& picked, std::size_t n, std::size_t value) {
    return std::find(picked.begin(), picked.begin() + static_cast<std::ptrdiff_t>(n), value) !=
           picked.begin() + static_cast<std::ptrdiff_t>(n);
  }

  // Insertion sort: the lists are a few entries long (and GCC 12 warns
  // falsely about std::sort on a prefix of a small std::array).
  static void sortPrefix(std::size_t* picked, std::size_t count) {
    for (std::size_t i = 1; i < count; ++i) {
      const std::size_t value = picked[i];
      std::size_t j = i;
      for (; j > 0 && picked[j - 1] > value; --j) picked[j] = picked[j - 1];
      picked[j] = value;
    }
  }

  template <std::size_t Capacity>
  static void appendList(std::string& out, const std::vector<std::string>& entries,
                         const std::array<std::size_t, Capacity>& picked, std::size_t count) {
    out = "[";
    for (std::size_t n = 0; n < count; ++n) {
      if (n > 0) out += ", ";
      out += entries[picked[n]];
    }
    out += ']';
  }

  void makeGenres(Rng& rng, std::string& genres) const {
    std::array<std::size_t, 8> picked{};
    const std::size_t count = pickDistinct(rng, genre_weights_, genre_counts_.pick(rng), picked);
    appendList(genres, genre_entries_, picked, count);
  }

  // Popularity is skewed: the product of two uniform draws favours low
  // indexes, so a few companies appear in many movies.
  void makeCompanies(Rng& rng, std::string& companies) const {
    std::array<std::size_t, 32> picked{};
    std::size_t count = company_counts_.pick(rng);
    if (count == company_counts_.size() - 1) count = rng.between(count, 26);
    const std::uint64_t pool = company_entries_.size();
    for (std::size_t n = 0; n < count; ++n) {
      std::size_t candidate;
      do candidate = static_cast<std::size_t>(rng.below(pool) * rng.below(pool) / pool);
      while (contains(picked, n, candidate));
      picked[n] = candidate;
    }
    sortPrefix(picked.data(), count);
    appendList(companies, company_entries_, picked, count);
  }

  void makeCountries(Rng& rng, std::string& countries) const {
    std::array<std::size_t, 8> picked{};
    const std::size_t count = pickDistinct(rng, country_weights_, country_counts_.pick(rng), picked);
    sortPrefix(picked.data(), count);
    appendList(countries, country_entries_, picked, count);
  }

  // The original language usually comes first among the spoken ones.
  void makeLanguages(Rng& rng, Movie& movie) const {
    const std::size_t original = original_language_weights_.pick(rng);
    movie.original_language = vocab::kLanguages[original].code;
    std::array<std::size_t, 8> picked{};
    std::size_t count = language_counts_.pick(rng);
    std::size_t first_free = 0;
    if (count > 0 && rng.chance(850'000)) {
      picked[0] = original;
      first_free = 1;
    }
    for (std::size_t n = first_free; n < count; ++n) {
      std::size_t candidate = spoken_language_weights_.pick(rng);
      while (contains(picked, n, candidate)) candidate = (candidate + 1) % vocab::kLanguages.size();
      picked[n] = candidate;
    }
    appendList(movie.languages, language_entries_, picked, count);
  }

  // Non-English movies mostly carry a title in their own language.
  static void makeOriginalTitle(Rng& rng, Movie& movie) {
    movie.original_title = movie.title;
    const auto foreign = std::find_if(vocab::kForeignWords.begin(), vocab::kForeignWords.end(),
                                      [&](const auto& words) { return words.code == movie.original_language; });
    if (foreign == vocab::kForeignWords.end() || !rng.chance(800'000)) return;
    movie.original_title.clear();
    const std::uint64_t words = 1 + rng.below(4);
    for (std::uint64_t w = 0; w < words; ++w) {
      if (w > 0 && foreign->spaced) movie.original_title += ' ';
      movie.original_title += rng.pick(foreign->words);
    }
  }

  // Recent decades dominate, as in TMDB; a few dates are the 1st of January.
  Date validDate(Rng& rng) const {
    const int decade = 1900 + 10 * static_cast<int>(decade_weights_.pick(rng));
    const int year = decade + static_cast<int>(rng.below(decade == 2010 ? 11 : 10));
    if (rng.chance(30'000)) return {year, 1, 1};
    const int month = static_cast<int>(rng.between(1, 12));
    return {year, month, static_cast<int>(rng.between(1, static_cast<std::uint64_t>(daysInMonth(year, month))))};
  }

  // Well-formed YYYY-MM-DD that is no calendar date: day 30 or 31 past the
  // month's end, or 29 February of a common year.
  static Date invalidDate(Rng& rng) {
    static constexpr std::array<std::array<int, 2>, 6> kMonthDay{{{2, 30}, {2, 31}, {4, 31}, {6, 31}, {9, 31}, {11, 31}}};
    int year = static_cast<int>(rng.between(1950, 2019));
    if (rng.below(7) == 0) {
      if (isLeapYear(year)) ++year;
      return {year, 2, 29};
    }
    const auto& month_day = rng.pick(kMonthDay);
    return {year, month_day[0], month_day[1]};
  }

  static int runtime(Rng& rng) {
    const std::uint64_t roll = rng.below(1'000'000);
    if (roll < 1'000) return -1;
    if (roll < 11'000) return 0;
    if (roll < 61'000) return static_cast<int>(rng.between(121, 240));
    if (roll < 81'000) return static_cast<int>(rng.between(5, 59));
    return static_cast<int>(70 + rng.below(16) + rng.below(16) + rng.below(16) + rng.below(16));
  }

  static std::string_view status(Rng& rng) {
    const std::uint64_t roll = rng.below(1'000'000);
    if (roll < 993'000) return "Released";
    if (roll < 998'000) return "Rumored";
    if (roll < 999'000) return "Post Production";
    return "";
  }

  // --- audience stream: popularity and votes ---

  std::uint64_t popularityMicros(Rng& rng) const {
    std::uint64_t low = 1;  // 1e-6 in millionths
    for (std::size_t decade = popularity_decades_.pick(rng); decade > 0; --decade) low *= 10;
    return rng.between(low, low * 10 - 1);
  }

  std::uint64_t voteCount(Rng& rng) const {
    const std::size_t digits = vote_count_digits_.pick(rng);
    if (digits == 0) return 0;
    std::uint64_t low = 1;
    for (std::size_t d = 1; d < digits; ++d) low *= 10;
    return rng.between(low, std::min<std::uint64_t>(low * 10 - 1, 14'075));
  }

  static int voteAverageTenths(Rng& rng, std::uint64_t vote_count) {
    if (vote_count == 0) return 0;
    if (vote_count < 5) return static_cast<int>(rng.between(10, 100));
    return static_cast<int>(32 + rng.below(21) + rng.below(21) + rng.below(21));
  }

  std::uint64_t seed_;
  WeightedIndex genre_weights_;
  WeightedIndex country_weights_;
  WeightedIndex original_language_weights_;
  WeightedIndex spoken_language_weights_;
  // Weights by count (index = number of entries), shaped after the real file.
  WeightedIndex genre_counts_{20, 200, 340, 270, 120, 35, 10, 5};
  // The last index stands for "13 to 26".
  WeightedIndex company_counts_{114, 340, 280, 160, 55, 20, 13, 5, 5, 3, 2, 1, 1, 1};
  WeightedIndex country_counts_{70, 750, 130, 34, 10, 5, 1};
  WeightedIndex language_counts_{40, 720, 160, 50, 20, 7, 2, 1};
  // Index + 1 = number of digits.
  WeightedIndex budget_digits_{6, 4, 3, 2, 12, 70, 310, 580, 20};
  WeightedIndex revenue_digits_{6, 5, 3, 2, 16, 57, 215, 496, 199, 1};
  // Decades from 1900 to 2010 (2010 covers 2010..2020).
  WeightedIndex decade_weights_{2, 6, 14, 30, 35, 45, 55, 65, 90, 130, 220, 250};
  // Index = power of ten of millionths: 0 -> [1e-6, 1e-5), 8 -> [100, 1000).
  WeightedIndex popularity_decades_{2, 4, 10, 170, 220, 1390, 6270, 1930, 4};
  // Index = number of digits (0: no votes).
  WeightedIndex vote_count_digits_{30, 200, 420, 290, 59, 1};
  Scramblers ids_;
  std::vector<std::string> genre_entries_;
  std::vector<std::string> country_entries_;
  std::vector<std::string> language_entries_;
  std::vector<std::string> company_entries_;
};

}  // namespace marquee::generate::detail

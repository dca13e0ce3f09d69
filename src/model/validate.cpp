#include "model/validate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "common/utf8.hpp"
#include "literal/parser.hpp"
#include "model/numbers.hpp"
#include "table/cell.hpp"

namespace marquee::model {
namespace {

using C = InputColumn;

// Values quoted in messages are cut short: the excerpt already carries the raw
// text, the message only has to say which value was wrong.
constexpr std::size_t kQuotedValueMax = 80;

std::string quoted(std::string_view value) {
  const std::string clean = utf8::sanitize(value);
  const std::string_view cut = utf8::truncate(clean, kQuotedValueMax);
  return fmt::format("'{}{}'", cut, cut.size() < clean.size() ? "..." : "");
}

std::string_view column_name(C column) {
  return input_column_names()[static_cast<std::size_t>(column)];
}

// FNV-1a, fed with each field's length and bytes so that moving bytes from one
// field to the next changes the hash.
class FieldHasher {
 public:
  void add(std::string_view field) {
    std::uint64_t length = field.size();
    for (int i = 0; i < 8; ++i, length >>= 8) add_byte(static_cast<unsigned char>(length));
    for (char c : field) add_byte(static_cast<unsigned char>(c));
  }
  std::uint64_t value() const { return hash_; }

 private:
  void add_byte(unsigned char byte) {
    hash_ ^= byte;
    hash_ *= 1099511628211ULL;
  }
  std::uint64_t hash_ = 14695981039346656037ULL;
};

const std::string* string_at(const literal::Value& dict, std::string_view key) {
  const literal::Value* value = dict.find(key);
  return value ? value->as_string() : nullptr;
}

const std::int64_t* int_at(const literal::Value& dict, std::string_view key) {
  const literal::Value* value = dict.find(key);
  return value ? value->as_int() : nullptr;
}

// One list entry, before deduplication: the key (id or code) and the name.
struct Entry {
  std::int64_t id = 0;
  std::string code;
  std::string name;
};

// What makes an entry of a list column usable, and how its key is compared.
struct ListShape {
  std::string_view code_key;  // empty: the key is the int 'id'
  bool by_code() const { return !code_key.empty(); }
};

// Validates one record; reports problems in column order (see validate.hpp).
class RowValidator {
 public:
  RowValidator(const csv::Record& record, const ColumnMap& columns, DiagnosticSink& sink)
      : record_(record), columns_(columns), sink_(sink) {}

  std::optional<Movie> run() {
    if (!check_rejections()) return std::nullopt;
    read_kept_row();
    movie_.line = record_.line;
    movie_.fields_hash = hash_fields();
    return std::move(movie_);
  }

 private:
  // --- plumbing -------------------------------------------------------------

  // A record shorter than the header cannot come from the reader; treating the
  // missing fields as empty keeps a caller's mistake from reading out of bounds.
  std::string_view field(C column) const {
    const std::size_t position = columns_[column];
    return position < record_.fields.size() ? record_.fields[position] : std::string_view{};
  }

  void report(Severity severity, Reason reason, C column, std::string message) {
    Diagnostic diagnostic{severity, reason, record_.line, std::nullopt,
                          std::string(column_name(column)), std::move(message),
                          utf8::excerpt(record_.raw)};
    if (id_known_) diagnostic.movie_id = movie_.id;
    sink_.report(std::move(diagnostic));
  }

  bool reject(Reason reason, C column, std::string message) {
    report(Severity::Error, reason, column, std::move(message));
    return false;
  }

  void warn(Reason reason, C column, std::string message) {
    report(Severity::Warning, reason, column, std::move(message));
  }

  std::uint64_t hash_fields() const {
    // The 24 known columns in a fixed order: the same data under another
    // column order hashes the same.
    FieldHasher hasher;
    for (std::size_t column = 0; column < kInputColumnCount; ++column) {
      hasher.add(field(static_cast<C>(column)));
    }
    return hasher.value();
  }

  // --- rejections, in the documented order -----------------------------------

  bool check_rejections() {
    return check_id() && check_budget() && check_revenue() && check_popularity() &&
           check_release_date();
  }

  bool check_id() {
    const std::string_view text = field(C::Id);
    if (text.empty()) return reject(Reason::InvalidId, C::Id, "id is empty");
    const auto id = parse_unsigned_int64(text);
    if (!id && is_ascii_digits(text)) {
      return reject(Reason::InvalidId, C::Id,
                    fmt::format("id {} does not fit a 64-bit integer", quoted(text)));
    }
    if (!id || *id == 0) {
      return reject(Reason::InvalidId, C::Id,
                    fmt::format("id {} is not a positive integer", quoted(text)));
    }
    movie_.id = *id;
    id_known_ = true;
    return true;
  }

  bool check_budget() {
    const std::string_view text = field(C::Budget);
    if (text.empty()) {
      return reject(Reason::InvalidBudget, C::Budget,
                    "budget is empty; expected a non-negative integer (0 = unknown)");
    }
    const auto budget = parse_unsigned_int64(text);
    if (!budget) {
      const char* why = is_ascii_digits(text) ? "does not fit a 64-bit integer"
                                              : "is not a non-negative integer";
      return reject(Reason::InvalidBudget, C::Budget,
                    fmt::format("budget {} {}", quoted(text), why));
    }
    movie_.budget = *budget;
    return true;
  }

  bool check_revenue() {
    const std::string_view text = field(C::Revenue);
    if (text.empty()) {
      return reject(Reason::InvalidRevenue, C::Revenue,
                    "revenue is empty; expected a non-negative number (0 = unknown)");
    }
    const auto revenue = parse_non_negative_rounded(text);
    if (!revenue) {
      const char* why = is_decimal_number(text) ? "does not fit a 64-bit integer"
                                                : "is not a non-negative number";
      return reject(Reason::InvalidRevenue, C::Revenue,
                    fmt::format("revenue {} {}", quoted(text), why));
    }
    movie_.revenue = revenue->value;
    // Reported later, in column order, and only if the row is kept.
    if (!revenue->exact) {
      revenue_warning_ = fmt::format("revenue {} is not a whole number; rounded to {}",
                                     quoted(text), revenue->value);
    }
    return true;
  }

  bool check_popularity() {
    const std::string_view text = field(C::Popularity);
    if (text.empty()) return true;  // unknown
    const auto popularity = parse_non_negative_double(text);
    if (!popularity) {
      const char* why = is_decimal_number(text) ? "is too large to be a finite number"
                                                : "is not a finite non-negative number";
      return reject(Reason::InvalidPopularity, C::Popularity,
                    fmt::format("popularity {} {}", quoted(text), why));
    }
    movie_.popularity = *popularity;
    return true;
  }

  bool check_release_date() {
    const std::string_view text = field(C::ReleaseDate);
    if (text.empty()) return true;  // unknown
    const auto shape = parse_date_shape(text);
    if (!shape) {
      return reject(Reason::InvalidReleaseDate, C::ReleaseDate,
                    fmt::format("release_date {} is not a date of the form YYYY-MM-DD",
                                quoted(text)));
    }
    if (!is_calendar_date(*shape)) {
      return reject(Reason::InvalidReleaseDate, C::ReleaseDate,
                    fmt::format("release_date {} is not a real calendar date", quoted(text)));
    }
    movie_.release_date = table::days_from_civil(shape->year, shape->month, shape->day);
    movie_.year = shape->year;
    return true;
  }

  // --- the kept row, column by column in the Kaggle order --------------------

  void read_kept_row() {
    movie_.adult = read_bool(C::Adult);
    movie_.collection = read_collection();
    movie_.genres = read_named_refs(C::Genres);
    movie_.homepage = read_text(C::Homepage);
    movie_.imdb_id = read_text(C::ImdbId);
    movie_.original_language = read_text(C::OriginalLanguage);
    movie_.original_title = read_text(C::OriginalTitle);
    movie_.overview = read_text(C::Overview);
    movie_.poster_path = read_text(C::PosterPath);
    movie_.companies = read_named_refs(C::ProductionCompanies);
    movie_.countries = read_code_refs(C::ProductionCountries, "iso_3166_1");
    if (revenue_warning_) warn(Reason::InvalidRevenue, C::Revenue, std::move(*revenue_warning_));
    movie_.runtime = read_double(C::Runtime);
    movie_.languages = read_code_refs(C::SpokenLanguages, "iso_639_1");
    movie_.status = read_text(C::Status);
    movie_.tagline = read_text(C::Tagline);
    movie_.title = read_text(C::Title);
    movie_.video = read_bool(C::Video);
    movie_.vote_average = read_double(C::VoteAverage);
    movie_.vote_count = read_count(C::VoteCount);
  }

  std::optional<bool> read_bool(C column) {
    const std::string_view text = field(column);
    if (text.empty()) return std::nullopt;
    if (text == "True") return true;
    if (text == "False") return false;
    warn(Reason::MalformedLiteral, column,
         fmt::format("{} {} is neither True nor False; set to null", column_name(column),
                     quoted(text)));
    return std::nullopt;
  }

  std::optional<double> read_double(C column) {
    const std::string_view text = field(column);
    if (text.empty()) return std::nullopt;
    if (const auto value = parse_non_negative_double(text)) return value;
    warn(Reason::InvalidNumber, column,
         fmt::format("{} {} is not a finite non-negative number; set to null",
                     column_name(column), quoted(text)));
    return std::nullopt;
  }

  std::optional<std::int64_t> read_count(C column) {
    const std::string_view text = field(column);
    if (text.empty()) return std::nullopt;
    if (const auto value = parse_non_negative_integral(text)) return value;
    warn(Reason::InvalidNumber, column,
         fmt::format("{} {} is not a non-negative whole number; set to null",
                     column_name(column), quoted(text)));
    return std::nullopt;
  }

  std::optional<std::string> read_text(C column) {
    const std::string_view text = field(column);
    if (text.empty()) return std::nullopt;
    return clean_text(std::string(text), column, column_name(column));
  }

  // `value` as valid UTF-8; `what` names it in the warning.
  std::string clean_text(std::string value, C column, std::string_view what) {
    if (utf8::is_valid(value)) return value;
    warn(Reason::InvalidUtf8, column,
         fmt::format("{} has ill-formed UTF-8; invalid bytes replaced by U+FFFD", what));
    return utf8::sanitize(value);
  }

  // --- Python-literal columns -------------------------------------------------

  // The entries of a list column, or nothing (reported) when it is not a list.
  std::optional<literal::List> parse_list(C column) {
    const std::string_view text = field(column);
    if (text.empty()) return std::nullopt;
    literal::ParseResult parsed = literal::parse(text);
    const std::string_view name = column_name(column);
    if (parsed.outcome == literal::Outcome::Failed) {
      warn(Reason::MalformedLiteral, column,
           fmt::format("{} is not a valid Python literal ({}); set to an empty list", name,
                       utf8::sanitize(parsed.message)));
      return std::nullopt;
    }
    literal::List* list = std::get_if<literal::List>(&parsed.value.data);
    if (!list) {
      warn(Reason::MalformedLiteral, column,
           fmt::format("{} is not a list; set to an empty list", name));
      return std::nullopt;
    }
    if (parsed.outcome == literal::Outcome::Salvaged) {
      warn(Reason::MalformedLiteral, column,
           fmt::format("{} is cut short by a parse error ({}); kept the {} {} before it", name,
                       utf8::sanitize(parsed.message), list->size(),
                       list->size() == 1 ? "entry" : "entries"));
    }
    return std::move(*list);
  }

  // The key and name of entry `number` (1-based), or nothing (reported).
  std::optional<Entry> read_entry(const literal::Value& value, std::size_t number, C column,
                                  const ListShape& shape) {
    const std::string_view name = column_name(column);
    const auto skip = [&](std::string_view why) {
      warn(Reason::MalformedLiteral, column,
           fmt::format("{} entry {} is skipped: {}", name, number, why));
      return std::nullopt;
    };
    if (!value.as_dict()) return skip("not a dict");
    Entry entry;
    if (shape.by_code()) {
      const std::string* code = string_at(value, shape.code_key);
      if (!code || code->empty()) return skip(fmt::format("no string '{}'", shape.code_key));
      entry.code = clean_text(*code, column, fmt::format("{} entry {} code", name, number));
    } else {
      const std::int64_t* id = int_at(value, "id");
      if (!id) return skip("no integer 'id'");
      entry.id = *id;
    }
    // An empty name is kept: spoken_languages lists real codes with name ''.
    const std::string* entry_name = string_at(value, "name");
    if (!entry_name) return skip("no string 'name'");
    entry.name = clean_text(*entry_name, column, fmt::format("{} entry {} name", name, number));
    return entry;
  }

  // Usable entries, distinct by key, in order of first listing.
  std::vector<Entry> read_entries(C column, const ListShape& shape) {
    std::vector<Entry> entries;
    const auto list = parse_list(column);
    if (!list) return entries;
    for (std::size_t i = 0; i < list->size(); ++i) {
      auto entry = read_entry((*list)[i], i + 1, column, shape);
      if (entry) add_distinct(entries, std::move(*entry), column, shape);
    }
    return entries;
  }

  // A repeated key counts once (the documented rule, so no warning), unless
  // it carries another name: then the first name wins and that is reported.
  void add_distinct(std::vector<Entry>& entries, Entry entry, C column, const ListShape& shape) {
    const auto same_key = [&](const Entry& seen) {
      return shape.by_code() ? seen.code == entry.code : seen.id == entry.id;
    };
    const auto seen = std::find_if(entries.begin(), entries.end(), same_key);
    if (seen == entries.end()) {
      entries.push_back(std::move(entry));
      return;
    }
    if (seen->name != entry.name) {
      const std::string key = shape.by_code() ? quoted(entry.code) : std::to_string(entry.id);
      warn(Reason::ConflictingName, column,
           fmt::format("{} lists {} twice with different names: {} (kept) and {} (ignored)",
                       column_name(column), key, quoted(seen->name), quoted(entry.name)));
    }
  }

  std::vector<NamedRef> read_named_refs(C column) {
    std::vector<NamedRef> refs;
    for (Entry& entry : read_entries(column, ListShape{})) {
      refs.push_back(NamedRef{entry.id, std::move(entry.name)});
    }
    return refs;
  }

  std::vector<CodeRef> read_code_refs(C column, std::string_view code_key) {
    std::vector<CodeRef> refs;
    for (Entry& entry : read_entries(column, ListShape{code_key})) {
      refs.push_back(CodeRef{std::move(entry.code), std::move(entry.name)});
    }
    return refs;
  }

  std::optional<Collection> read_collection() {
    constexpr C column = C::BelongsToCollection;
    const std::string_view text = field(column);
    if (text.empty()) return std::nullopt;
    const auto malformed = [&](std::string_view why) {
      warn(Reason::MalformedLiteral, column,
           fmt::format("belongs_to_collection {}; set to null", why));
      return std::nullopt;
    };
    const literal::ParseResult parsed = literal::parse(text);
    if (parsed.outcome == literal::Outcome::Failed) {
      return malformed(fmt::format("is not a valid Python literal ({})",
                                   utf8::sanitize(parsed.message)));
    }
    if (parsed.outcome == literal::Outcome::Salvaged) {
      return malformed(
          fmt::format("has text after its value ({})", utf8::sanitize(parsed.message)));
    }
    const literal::Value& value = parsed.value;
    if (!value.as_dict()) return malformed("is not a dict");
    const std::int64_t* id = int_at(value, "id");
    if (!id) return malformed("has no integer 'id'");
    const std::string* name = string_at(value, "name");
    if (!name) return malformed("has no string 'name'");
    std::optional<std::string> poster_path, backdrop_path;
    if (!read_optional_path(value, "poster_path", poster_path)) {
      return malformed("has a 'poster_path' that is neither a string nor None");
    }
    if (!read_optional_path(value, "backdrop_path", backdrop_path)) {
      return malformed("has a 'backdrop_path' that is neither a string nor None");
    }
    Collection collection{*id, clean_text(*name, column, "belongs_to_collection name"),
                          std::move(poster_path), std::move(backdrop_path)};
    if (collection.poster_path) {
      collection.poster_path =
          clean_text(*collection.poster_path, column, "belongs_to_collection poster_path");
    }
    if (collection.backdrop_path) {
      collection.backdrop_path =
          clean_text(*collection.backdrop_path, column, "belongs_to_collection backdrop_path");
    }
    return collection;
  }

  // A string, None or absent (null) under `key`; false for any other type.
  static bool read_optional_path(const literal::Value& dict, std::string_view key,
                                 std::optional<std::string>& out) {
    const literal::Value* value = dict.find(key);
    if (!value || value->is_none()) return true;
    const std::string* text = value->as_string();
    if (!text) return false;
    out = *text;
    return true;
  }

  const csv::Record& record_;
  const ColumnMap& columns_;
  DiagnosticSink& sink_;
  Movie movie_;
  bool id_known_ = false;
  std::optional<std::string> revenue_warning_;
};

}  // namespace

std::optional<Movie> validate(const csv::Record& record, const ColumnMap& columns,
                              DiagnosticSink& sink) {
  return RowValidator(record, columns, sink).run();
}

}  // namespace marquee::model

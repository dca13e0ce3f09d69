#include "model/validate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <type_traits>
#include <utility>
#include <vector>

#include "common/utf8.hpp"
#include "literal/flat_dicts.hpp"
#include "literal/parser.hpp"
#include "model/limits.hpp"
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

// Hand-written hot path: every byte of every record is hashed, so this works
// a word at a time (a byte-wise FNV-1a cost more than the rest of validation).
// The hash only tells duplicates of one run apart, so any well-mixed 64-bit
// hash will do. Each field's length goes in first, so moving bytes from one
// field to the next changes the hash.
class FieldHasher {
 public:
  void add(std::string_view field) {
    mix(field.size());
    const char* p = field.data();
    std::size_t n = field.size();
    for (; n >= 8; p += 8, n -= 8) {
      std::uint64_t word;
      std::memcpy(&word, p, 8);
      mix(word);
    }
    if (n > 0) {
      std::uint64_t word = 0;
      std::memcpy(&word, p, n);
      mix(word);
    }
  }
  std::uint64_t value() const {  // splitmix64's finalizer
    std::uint64_t z = hash_;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

 private:
  void mix(std::uint64_t word) {
    hash_ = (hash_ ^ word) * 0x9e3779b97f4a7c15ULL;
    hash_ ^= hash_ >> 29;
  }
  std::uint64_t hash_ = 0x243f6a8885a308d3ULL;
};

// One dict of a literal column, as validation reads it: from the general
// parser's Value tree, or from the flat fast path (literal/flat_dicts.hpp).
// Both give the same answers for the same text.
enum class PathKind { Absent, Text, Other };  // a string, None/absent, or another type

class ValueDict {
 public:
  explicit ValueDict(const literal::Value& value) : value_(value) {}
  bool is_dict() const { return value_.as_dict() != nullptr; }
  const std::string* string_at(std::string_view key) const {
    const literal::Value* v = value_.find(key);
    return v ? v->as_string() : nullptr;
  }
  std::optional<std::string_view> text_at(std::string_view key) const {
    const std::string* s = string_at(key);
    if (!s) return std::nullopt;
    return std::string_view(*s);
  }
  std::optional<std::int64_t> int_at(std::string_view key) const {
    const literal::Value* v = value_.find(key);
    const std::int64_t* i = v ? v->as_int() : nullptr;
    if (!i) return std::nullopt;
    return *i;
  }
  PathKind path_at(std::string_view key, std::string_view& text) const {
    const literal::Value* v = value_.find(key);
    if (!v || v->is_none()) return PathKind::Absent;
    const std::string* s = v->as_string();
    if (!s) return PathKind::Other;
    text = *s;
    return PathKind::Text;
  }

 private:
  const literal::Value& value_;
};

class FlatDict {
 public:
  FlatDict(const literal::FlatDicts& dicts, std::size_t index) : dicts_(dicts), index_(index) {}
  static bool is_dict() { return true; }
  std::optional<std::string_view> text_at(std::string_view key) const {
    const literal::FlatValue* v = dicts_.find(index_, key);
    if (!v || v->kind != literal::FlatValue::Kind::String) return std::nullopt;
    return v->text;
  }
  std::optional<std::int64_t> int_at(std::string_view key) const {
    const literal::FlatValue* v = dicts_.find(index_, key);
    if (!v || v->kind != literal::FlatValue::Kind::Int) return std::nullopt;
    return v->integer;
  }
  PathKind path_at(std::string_view key, std::string_view& text) const {
    const literal::FlatValue* v = dicts_.find(index_, key);
    if (!v || v->kind == literal::FlatValue::Kind::None) return PathKind::Absent;
    if (v->kind != literal::FlatValue::Kind::String) return PathKind::Other;
    text = v->text;
    return PathKind::Text;
  }

 private:
  const literal::FlatDicts& dicts_;
  std::size_t index_;
};

// What makes an entry of a list column usable, and how its key is compared.
struct ListShape {
  std::string_view code_key;  // empty: the key is the int 'id'
  bool by_code() const { return !code_key.empty(); }
};

// One usable list entry, before deduplication: views into the literal text,
// or into `holder` when the text had to be sanitized.
struct EntryView {
  std::int64_t id = 0;
  std::string_view code;
  std::string_view name;
};

void assign(std::string& out, std::string_view text) { out.assign(text.data(), text.size()); }

// Validates one record into `movie_`, reusing its strings and vectors;
// reports problems in column order (see validate.hpp).
class RowValidator {
 public:
  RowValidator(const csv::Record& record, const ColumnMap& columns, DiagnosticSink& sink,
               Movie& movie)
      : record_(record), columns_(columns), sink_(sink), movie_(movie) {}

  bool run() {
    // Set only when the field holds a value.
    movie_.popularity.reset();
    movie_.release_date.reset();
    movie_.year.reset();
    if (!check_rejections()) return false;
    read_kept_row();
    movie_.line = record_.line;
    movie_.fields_hash = hash_fields();
    return true;
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
    if (*budget > kMaxMoney) {
      return reject(Reason::InvalidBudget, C::Budget,
                    fmt::format("budget {} is above the plausibility ceiling of {} (see docs/DATA_MODEL.md)",
                                quoted(text), kMaxMoney));
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
    if (revenue->value > kMaxMoney) {
      return reject(Reason::InvalidRevenue, C::Revenue,
                    fmt::format("revenue {} is above the plausibility ceiling of {} (see docs/DATA_MODEL.md)",
                                quoted(text), kMaxMoney));
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
    if (*popularity > kMaxPopularity) {
      return reject(Reason::InvalidPopularity, C::Popularity,
                    fmt::format("popularity {} is above the plausibility ceiling of {:g} (see docs/DATA_MODEL.md)",
                                quoted(text), kMaxPopularity));
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
    read_collection();
    read_named_refs(C::Genres, movie_.genres);
    read_text(C::Homepage, movie_.homepage);
    read_text(C::ImdbId, movie_.imdb_id);
    read_text(C::OriginalLanguage, movie_.original_language);
    read_text(C::OriginalTitle, movie_.original_title);
    read_text(C::Overview, movie_.overview);
    read_text(C::PosterPath, movie_.poster_path);
    read_named_refs(C::ProductionCompanies, movie_.companies);
    read_code_refs(C::ProductionCountries, "iso_3166_1", movie_.countries);
    if (revenue_warning_) warn(Reason::InvalidRevenue, C::Revenue, std::move(*revenue_warning_));
    movie_.runtime = read_double(C::Runtime);
    read_code_refs(C::SpokenLanguages, "iso_639_1", movie_.languages);
    read_text(C::Status, movie_.status);
    read_text(C::Tagline, movie_.tagline);
    read_text(C::Title, movie_.title);
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
    if (const auto value = parse_non_negative_integral(text)) {
      if (*value <= kMaxVoteCount) return value;
      warn(Reason::InvalidNumber, column,
           fmt::format("{} {} is above the plausibility ceiling of {}; set to null", column_name(column),
                       quoted(text), kMaxVoteCount));
      return std::nullopt;
    }
    warn(Reason::InvalidNumber, column,
         fmt::format("{} {} is not a non-negative whole number; set to null",
                     column_name(column), quoted(text)));
    return std::nullopt;
  }

  // Assigns into the slot's existing string, so its buffer is reused.
  void read_text(C column, std::optional<std::string>& slot) {
    const std::string_view text = field(column);
    if (text.empty()) {
      slot.reset();
      return;
    }
    std::string& out = slot ? *slot : slot.emplace();
    std::string holder;
    assign(out, clean(text, column, [&] { return std::string(column_name(column)); }, holder));
  }

  // `text` as valid UTF-8 (in `holder` when it had to be repaired); `what()`
  // names the value in the warning, and is only called when one is needed.
  template <class What>
  std::string_view clean(std::string_view text, C column, const What& what, std::string& holder) {
    if (utf8::is_valid(text)) return text;
    warn(Reason::InvalidUtf8, column,
         fmt::format("{} has ill-formed UTF-8; invalid bytes replaced by U+FFFD", what()));
    holder = utf8::sanitize(text);
    return holder;
  }

  // --- Python-literal columns -------------------------------------------------

  // Calls add(dict, number) for each entry of a list column. The flat fast
  // path reads the common shape; anything else goes to the general parser,
  // which reports what is wrong with the list itself.
  template <class Add>
  void for_each_entry(C column, const Add& add) {
    const std::string_view text = field(column);
    if (text.empty()) return;
    if (literal::parse_flat_dict_list(text, flat_)) {
      for (std::size_t i = 0; i < flat_.size(); ++i) add(FlatDict(flat_, i), i + 1);
      return;
    }
    const auto list = parse_list(column);
    if (!list) return;
    for (std::size_t i = 0; i < list->size(); ++i) add(ValueDict((*list)[i]), i + 1);
  }

  // The entries of a list column, or nothing (reported) when it is not a list.
  std::optional<literal::List> parse_list(C column) {
    const std::string_view text = field(column);
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
  template <class Dict>
  bool read_entry(const Dict& dict, std::size_t number, C column, const ListShape& shape,
                  EntryView& entry, std::string& code_holder, std::string& name_holder) {
    const std::string_view name = column_name(column);
    const auto skip = [&](std::string_view why) {
      warn(Reason::MalformedLiteral, column,
           fmt::format("{} entry {} is skipped: {}", name, number, why));
      return false;
    };
    if (!dict.is_dict()) return skip("not a dict");
    if (shape.by_code()) {
      const auto code = dict.text_at(shape.code_key);
      if (!code || code->empty()) return skip(fmt::format("no string '{}'", shape.code_key));
      entry.code = clean(*code, column, [&] { return fmt::format("{} entry {} code", name, number); },
                         code_holder);
    } else {
      const auto id = dict.int_at("id");
      if (!id) return skip("no integer 'id'");
      // The API addresses companies and genres by positive id (/v1/companies/{id}).
      if (*id <= 0) return skip(fmt::format("id {} is not a positive integer", *id));
      entry.id = *id;
    }
    // An empty name is kept: spoken_languages lists real codes with name ''.
    const auto entry_name = dict.text_at("name");
    if (!entry_name) return skip("no string 'name'");
    entry.name = clean(*entry_name, column,
                       [&] { return fmt::format("{} entry {} name", name, number); }, name_holder);
    return true;
  }

  // Usable entries, distinct by key, in order of first listing, assigned into
  // `refs` (Ref: NamedRef or CodeRef) over its existing elements.
  template <class Ref>
  void read_refs(C column, const ListShape& shape, std::vector<Ref>& refs) {
    std::size_t count = 0;
    for_each_entry(column, [&](const auto& dict, std::size_t number) {
      EntryView entry;
      std::string code_holder, name_holder;
      if (read_entry(dict, number, column, shape, entry, code_holder, name_holder)) {
        add_distinct(refs, count, entry, column, shape);
      }
    });
    refs.resize(count);
  }

  static std::string_view key_text(const CodeRef& ref) { return ref.code; }
  static std::int64_t key_id(const NamedRef& ref) { return ref.id; }

  // A repeated key counts once (the documented rule, so no warning), unless
  // it carries another name: then the first name wins and that is reported.
  template <class Ref>
  void add_distinct(std::vector<Ref>& refs, std::size_t& count, const EntryView& entry, C column,
                    const ListShape& shape) {
    const auto same_key = [&](const Ref& seen) {
      if constexpr (std::is_same_v<Ref, CodeRef>) {
        return std::string_view(seen.code) == entry.code;
      } else {
        return seen.id == entry.id;
      }
    };
    const auto end = refs.begin() + static_cast<std::ptrdiff_t>(count);
    const auto seen = std::find_if(refs.begin(), end, same_key);
    if (seen == end) {
      if (count == refs.size()) refs.emplace_back();
      Ref& ref = refs[count++];
      if constexpr (std::is_same_v<Ref, CodeRef>) {
        assign(ref.code, entry.code);
      } else {
        ref.id = entry.id;
      }
      assign(ref.name, entry.name);
      return;
    }
    if (std::string_view(seen->name) != entry.name) {
      const std::string key = shape.by_code() ? quoted(entry.code) : std::to_string(entry.id);
      warn(Reason::ConflictingName, column,
           fmt::format("{} lists {} twice with different names: {} (kept) and {} (ignored)",
                       column_name(column), key, quoted(seen->name), quoted(entry.name)));
    }
  }

  void read_named_refs(C column, std::vector<NamedRef>& refs) { read_refs(column, ListShape{}, refs); }

  void read_code_refs(C column, std::string_view code_key, std::vector<CodeRef>& refs) {
    read_refs(column, ListShape{code_key}, refs);
  }

  void read_collection() {
    constexpr C column = C::BelongsToCollection;
    const std::string_view text = field(column);
    if (text.empty()) {
      movie_.collection.reset();
      return;
    }
    if (literal::parse_flat_dict(text, flat_)) {
      read_collection_dict(FlatDict(flat_, 0));
      return;
    }
    const literal::ParseResult parsed = literal::parse(text);
    if (parsed.outcome == literal::Outcome::Failed) {
      return collection_malformed(fmt::format("is not a valid Python literal ({})",
                                              utf8::sanitize(parsed.message)));
    }
    if (parsed.outcome == literal::Outcome::Salvaged) {
      return collection_malformed(
          fmt::format("has text after its value ({})", utf8::sanitize(parsed.message)));
    }
    read_collection_dict(ValueDict(parsed.value));
  }

  void collection_malformed(std::string_view why) {
    warn(Reason::MalformedLiteral, C::BelongsToCollection,
         fmt::format("belongs_to_collection {}; set to null", why));
    movie_.collection.reset();
  }

  template <class Dict>
  void read_collection_dict(const Dict& dict) {
    constexpr C column = C::BelongsToCollection;
    if (!dict.is_dict()) return collection_malformed("is not a dict");
    const auto id = dict.int_at("id");
    if (!id) return collection_malformed("has no integer 'id'");
    if (*id <= 0) return collection_malformed(fmt::format("has id {}, not a positive integer", *id));
    const auto name = dict.text_at("name");
    if (!name) return collection_malformed("has no string 'name'");
    std::string_view poster, backdrop;
    const PathKind poster_kind = dict.path_at("poster_path", poster);
    if (poster_kind == PathKind::Other) {
      return collection_malformed("has a 'poster_path' that is neither a string nor None");
    }
    const PathKind backdrop_kind = dict.path_at("backdrop_path", backdrop);
    if (backdrop_kind == PathKind::Other) {
      return collection_malformed("has a 'backdrop_path' that is neither a string nor None");
    }
    Collection& collection = movie_.collection ? *movie_.collection : movie_.collection.emplace();
    collection.id = *id;
    std::string holder;
    assign(collection.name, clean(*name, column, [] { return "belongs_to_collection name"; }, holder));
    read_path(poster_kind, poster, collection.poster_path, "belongs_to_collection poster_path");
    read_path(backdrop_kind, backdrop, collection.backdrop_path,
              "belongs_to_collection backdrop_path");
  }

  void read_path(PathKind kind, std::string_view text, std::optional<std::string>& slot,
                 std::string_view what) {
    if (kind != PathKind::Text) {
      slot.reset();
      return;
    }
    std::string& out = slot ? *slot : slot.emplace();
    std::string holder;
    assign(out, clean(text, C::BelongsToCollection, [&] { return what; }, holder));
  }

  const csv::Record& record_;
  const ColumnMap& columns_;
  DiagnosticSink& sink_;
  Movie& movie_;
  bool id_known_ = false;
  std::optional<std::string> revenue_warning_;
  // The fast path's output, reused between records of the same thread.
  static thread_local literal::FlatDicts flat_;
};

thread_local literal::FlatDicts RowValidator::flat_;

}  // namespace

std::optional<Movie> validate(const csv::Record& record, const ColumnMap& columns,
                              DiagnosticSink& sink) {
  Movie movie;
  if (!RowValidator(record, columns, sink, movie).run()) return std::nullopt;
  return movie;
}

bool validate_into(const csv::Record& record, const ColumnMap& columns, DiagnosticSink& sink,
                   Movie& movie) {
  return RowValidator(record, columns, sink, movie).run();
}

}  // namespace marquee::model

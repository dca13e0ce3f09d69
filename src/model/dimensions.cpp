#include "model/dimensions.hpp"

#include <fmt/format.h>

namespace marquee::model {
namespace {

bool same(const Collection& a, const Collection& b) {
  return a.name == b.name && a.poster_path == b.poster_path && a.backdrop_path == b.backdrop_path;
}

void report_conflict(DiagnosticSink& sink, const Movie& movie, const char* column,
                     const std::string& what, const std::string& kept, const std::string& seen) {
  sink.report(Diagnostic{
      Severity::Warning, Reason::ConflictingName, movie.line, movie.id, std::string(column),
      fmt::format("{} is already named '{}'; keeping that name, not '{}'", what, kept, seen),
      utf8::excerpt(seen)});
}

// Inserts key -> name; on a different name for a known key, keeps the first
// and reports the conflict.
template <typename Key>
void add_name(std::map<Key, std::string>& names, const Key& key, const std::string& name,
              DiagnosticSink& sink, const Movie& movie, const char* column, const char* kind) {
  const auto [it, inserted] = names.try_emplace(key, name);
  if (!inserted && it->second != name) {
    report_conflict(sink, movie, column, fmt::format("{} {}", kind, key), it->second, name);
  }
}

}  // namespace

void Dimensions::add(const Movie& movie, DiagnosticSink& sink) {
  for (const NamedRef& c : movie.companies) {
    add_name(companies_, c.id, c.name, sink, movie, "production_companies", "company");
  }
  for (const NamedRef& g : movie.genres) {
    add_name(genres_, g.id, g.name, sink, movie, "genres", "genre");
  }
  for (const CodeRef& c : movie.countries) {
    add_name(countries_, c.code, c.name, sink, movie, "production_countries", "country");
  }
  for (const CodeRef& l : movie.languages) {
    add_name(languages_, l.code, l.name, sink, movie, "spoken_languages", "language");
  }
  if (movie.collection) {
    const auto [it, inserted] = collections_.try_emplace(movie.collection->id, *movie.collection);
    if (!inserted && !same(it->second, *movie.collection)) {
      report_conflict(sink, movie, "belongs_to_collection",
                      fmt::format("collection {} (with its poster and backdrop paths)", it->first),
                      it->second.name, movie.collection->name);
    }
  }
}

}  // namespace marquee::model

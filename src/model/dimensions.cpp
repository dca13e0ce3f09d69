#include "model/dimensions.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace marquee::model {
namespace {

bool same(const Collection& a, const Collection& b) {
  return a.name == b.name && a.poster_path == b.poster_path && a.backdrop_path == b.backdrop_path;
}

void report_conflict(DiagnosticSink& sink, const Movie& movie, const char* column,
                     const std::string& what, std::string_view kept, const std::string& seen) {
  sink.report(Diagnostic{
      Severity::Warning, Reason::ConflictingName, movie.line, movie.id, std::string(column),
      fmt::format("{} is already named '{}'; keeping that name, not '{}'", what, kept, seen),
      utf8::excerpt(seen)});
}

// Inserts key -> name; on a different name for a known key, keeps the first
// and reports the conflict.
template <typename Key, typename Index>
void add_name(std::map<Key, std::string>& names, Index& index, const Key& key,
              const std::string& name, DiagnosticSink& sink, const Movie& movie, const char* column,
              const char* kind) {
  if (const auto found = index.find(key); found != index.end()) {
    const std::string& kept = *found->second;
    if (kept != name) report_conflict(sink, movie, column, fmt::format("{} {}", kind, key), kept, name);
    return;
  }
  const auto [it, inserted] = names.try_emplace(key, name);
  index.emplace(key, &it->second);
}

}  // namespace

void Dimensions::add(const Movie& movie, DiagnosticSink& sink) {
  for (const NamedRef& c : movie.companies) {
    bool added = false;
    const std::string_view kept = companies_.add(c.id, c.name, added);
    if (!added && kept != c.name) {
      report_conflict(sink, movie, "production_companies", fmt::format("company {}", c.id), kept, c.name);
    }
  }
  for (const NamedRef& g : movie.genres) {
    add_name(genres_, genre_index_, g.id, g.name, sink, movie, "genres", "genre");
  }
  for (const CodeRef& c : movie.countries) {
    add_name(countries_, country_index_, c.code, c.name, sink, movie, "production_countries", "country");
  }
  for (const CodeRef& l : movie.languages) {
    add_name(languages_, language_index_, l.code, l.name, sink, movie, "spoken_languages", "language");
  }
  if (movie.collection) {
    const Collection& seen = *movie.collection;
    if (const auto found = collection_index_.find(seen.id); found != collection_index_.end()) {
      const Collection& kept = *found->second;
      if (!same(kept, seen)) {
        report_conflict(sink, movie, "belongs_to_collection",
                        fmt::format("collection {} (with its poster and backdrop paths)", seen.id),
                        kept.name, seen.name);
      }
    } else {
      const auto [it, inserted] = collections_.try_emplace(seen.id, seen);
      collection_index_.emplace(seen.id, &it->second);
    }
  }
}

std::string_view Dimensions::company_name(std::int64_t id) const {
  const std::string_view* name = companies_.find(id);
  if (name == nullptr) throw std::out_of_range(fmt::format("no company {}", id));
  return *name;
}

}  // namespace marquee::model

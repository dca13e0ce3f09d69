#pragma once
// The dimension tables (company, genre, country, language, collection), built
// as movies arrive. The first name seen for an id wins; a later, different
// name for the same id is reported as conflicting_name.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>

#include "model/diagnostic.hpp"
#include "model/movie.hpp"
#include "common/utf8.hpp"

namespace marquee::model {

class Dimensions {
 public:
  // Records the movie's companies, genres, countries, languages and
  // collection; reports a conflicting_name warning (line, movie id, column)
  // for each name that differs from the first one seen for its key.
  void add(const Movie& movie, DiagnosticSink& sink);

  // Ordered by key, so that iteration (and the tables) are deterministic.
  const std::map<std::int64_t, std::string>& companies() const { return companies_; }
  const std::map<std::int64_t, std::string>& genres() const { return genres_; }
  const std::map<std::string, std::string>& countries() const { return countries_; }
  const std::map<std::string, std::string>& languages() const { return languages_; }
  const std::map<std::int64_t, Collection>& collections() const { return collections_; }

  const std::string& company_name(std::int64_t id) const { return companies_.at(id); }
  const std::string& genre_name(std::int64_t id) const { return genres_.at(id); }

 private:
  std::map<std::int64_t, std::string> companies_, genres_;
  std::map<std::string, std::string> countries_, languages_;
  std::map<std::int64_t, Collection> collections_;
};

}  // namespace marquee::model

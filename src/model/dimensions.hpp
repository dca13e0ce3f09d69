#pragma once
// The dimension tables (company, genre, country, language, collection), built
// as movies arrive. The first name seen for an id wins; a later, different
// name for the same id is reported as conflicting_name.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <boost/unordered/unordered_flat_map.hpp>

#include "model/diagnostic.hpp"
#include "model/id_names.hpp"
#include "model/movie.hpp"
#include "common/utf8.hpp"

namespace marquee::model {

class Dimensions {
 public:
  Dimensions() = default;
  // The lookup indexes point into the maps, so a copy would point into the
  // original; moving keeps the maps' nodes where they are.
  Dimensions(const Dimensions&) = delete;
  Dimensions& operator=(const Dimensions&) = delete;
  Dimensions(Dimensions&&) = default;
  Dimensions& operator=(Dimensions&&) = default;

  // Records the movie's companies, genres, countries, languages and
  // collection; reports a conflicting_name warning (line, movie id, column)
  // for each name that differs from the first one seen for its key.
  void add(const Movie& movie, DiagnosticSink& sink);

  // Ordered by key, so that iteration (and the tables) are deterministic.
  const IdNames& companies() const { return companies_; }
  const std::map<std::int64_t, std::string>& genres() const { return genres_; }
  const std::map<std::string, std::string>& countries() const { return countries_; }
  const std::map<std::string, std::string>& languages() const { return languages_; }
  const std::map<std::int64_t, Collection>& collections() const { return collections_; }

  // Throws std::out_of_range for an unknown id.
  std::string_view company_name(std::int64_t id) const;
  const std::string& genre_name(std::int64_t id) const { return genres_.at(id); }

 private:
  IdNames companies_;  // millions at scale: compact (id_names.hpp)
  std::map<std::int64_t, std::string> genres_;
  std::map<std::string, std::string> countries_, languages_;
  std::map<std::int64_t, Collection> collections_;
  // Hand-written hot path: every movie looks up its companies, genres,
  // countries, languages and collection; these open-addressing indexes into
  // the ordered maps above answer without walking a tree (313,000
  // collections at 100x).
  boost::unordered_flat_map<std::int64_t, const std::string*> genre_index_;
  boost::unordered_flat_map<std::string, const std::string*> country_index_, language_index_;
  boost::unordered_flat_map<std::int64_t, const Collection*> collection_index_;
};

}  // namespace marquee::model

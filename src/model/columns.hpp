#pragma once
// The input columns of movies_metadata.csv, found by header name: another
// column order, or extra columns, give the same result.
#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace marquee::model {

enum class InputColumn : std::size_t {
  Adult, BelongsToCollection, Budget, Genres, Homepage, Id, ImdbId, OriginalLanguage,
  OriginalTitle, Overview, Popularity, PosterPath, ProductionCompanies, ProductionCountries,
  ReleaseDate, Revenue, Runtime, SpokenLanguages, Status, Tagline, Title, Video, VoteAverage,
  VoteCount,
};
inline constexpr std::size_t kInputColumnCount = 24;

// Header names, in the order of InputColumn (the Kaggle file's order).
const std::array<std::string_view, kInputColumnCount>& input_column_names();

// Position of each InputColumn in a given header.
class ColumnMap {
 public:
  // Throws marquee::InputError naming `source` and every missing column.
  ColumnMap(const std::vector<std::string>& header, const std::string& source);
  std::size_t operator[](InputColumn column) const {
    return positions_[static_cast<std::size_t>(column)];
  }

 private:
  std::array<std::size_t, kInputColumnCount> positions_{};
};

}  // namespace marquee::model

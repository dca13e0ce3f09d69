#include "model/columns.hpp"

#include <optional>

#include <fmt/format.h>

#include "common/error.hpp"

namespace marquee::model {
namespace {

// Header cells written by hand sometimes carry stray spaces; they do not make
// a different column.
std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

// The first header cell named `name`, if any.
std::optional<std::size_t> find_column(const std::vector<std::string>& header,
                                       std::string_view name) {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (trim(header[i]) == name) return i;
  }
  return std::nullopt;
}

}  // namespace

const std::array<std::string_view, kInputColumnCount>& input_column_names() {
  static constexpr std::array<std::string_view, kInputColumnCount> kNames = {
      "adult",         "belongs_to_collection", "budget",
      "genres",        "homepage",              "id",
      "imdb_id",       "original_language",     "original_title",
      "overview",      "popularity",            "poster_path",
      "production_companies", "production_countries", "release_date",
      "revenue",       "runtime",               "spoken_languages",
      "status",        "tagline",               "title",
      "video",         "vote_average",          "vote_count",
  };
  return kNames;
}

ColumnMap::ColumnMap(const std::vector<std::string>& header, const std::string& source) {
  // Collect every missing column before failing, so one run names them all.
  std::string missing;
  const auto& names = input_column_names();
  for (std::size_t column = 0; column < kInputColumnCount; ++column) {
    if (const auto position = find_column(header, names[column])) {
      positions_[column] = *position;
    } else {
      if (!missing.empty()) missing += ", ";
      missing += names[column];
    }
  }
  if (!missing.empty()) {
    throw InputError(source + ": header is missing required columns: " + missing);
  }
  // A second column of the same name would be silently ignored: refuse to
  // guess which of the two holds the data.
  for (std::size_t column = 0; column < kInputColumnCount; ++column) {
    for (std::size_t i = positions_[column] + 1; i < header.size(); ++i) {
      if (trim(header[i]) == names[column]) {
        throw InputError(fmt::format("{}: header names column '{}' twice (columns {} and {}); which one holds "
                                     "the data is ambiguous", source, names[column], positions_[column] + 1, i + 1));
      }
    }
  }
}

}  // namespace marquee::model

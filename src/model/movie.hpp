#pragma once
// The validated movie: what one accepted CSV record becomes.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace marquee::model {

struct NamedRef {        // a company or a genre as listed on a movie
  std::int64_t id = 0;
  std::string name;
};

struct CodeRef {         // a country (iso_3166_1) or a language (iso_639_1)
  std::string code;
  std::string name;
};

struct Collection {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::string> poster_path;
  std::optional<std::string> backdrop_path;
};

struct Movie {
  std::int64_t id = 0;
  std::uint64_t line = 0;  // physical line of the record it came from
  // Lineage: the input file the record came from; null means the builder's
  // (ModelBuilder::set_source_file). Set for movies carried over from
  // another run's tables (corrections), which keep their own file and line.
  std::shared_ptr<const std::string> source_file;
  std::uint64_t source_line = 0;  // with source_file; else `line` is written
  std::optional<std::string> imdb_id, title, original_title, original_language, overview,
      tagline, homepage, poster_path, status;
  std::optional<bool> adult, video;
  std::optional<std::int32_t> release_date;  // days since 1970-01-01
  std::optional<std::int32_t> year;          // calendar year of release_date
  std::int64_t budget = 0;                   // 0 = unknown
  std::int64_t revenue = 0;                  // 0 = unknown
  std::optional<double> popularity, runtime, vote_average;
  std::optional<std::int64_t> vote_count;
  std::optional<Collection> collection;
  // Distinct by id (or code), in order of first listing: a company or genre
  // listed twice on one movie counts once.
  std::vector<NamedRef> companies, genres;
  std::vector<CodeRef> countries, languages;
  // Hash of the record's raw field values, to tell whether a duplicate id
  // carries different data.
  std::uint64_t fields_hash = 0;
};

}  // namespace marquee::model

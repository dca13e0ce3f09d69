#pragma once
// The ratings stage of `marquee etl/run`: reads links.csv and ratings.csv (or
// ratings_small.csv) after the movies, streaming, and aggregates the ratings
// per TMDB movie. Memory grows with the links and the movies rated, never
// with the ratings (ratings.csv is 26 million rows).
//
// Every row that is not used is in the error log, its message naming the
// file (the log's `line` is the line in that file):
//   error  field_count / unterminated_quote / record_too_large  (CSV shape)
//   error  invalid_link          a movieId/imdbId/tmdbId that is not a number
//   info   duplicate_link        a movieId listed again; the first row wins
//   info   link_without_movie    tmdbId empty, or not a movie kept by this run
//   error  invalid_rating        rating not 0.5 to 5 in steps of 0.5
//   error  invalid_number        userId, movieId or timestamp not a number
//   error  unknown_movielens_id  a rating's movieId has no row in links.csv
//   info   rating_without_movie  a rating whose link leads to no kept movie
// Per file: records_read = kept + rejected + without_movie + duplicates, and
// the run fails when rejected > max_reject_ratio * records_read.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>

#include "csv/options.hpp"
#include "model/diagnostic.hpp"
#include "model/ratings.hpp"
#include "table/table_writer.hpp"

namespace marquee::job {

struct RatingsFiles {
  std::string ratings;  // ratings.csv or ratings_small.csv
  std::string links;    // links.csv
  // The members read when `ratings`/`links` is a dataset directory or zip.
  std::string ratings_member = "ratings.csv";
  bool given() const { return !ratings.empty() || !links.empty(); }
};

// The ratings of a dataset directory or zip (the movies' INPUT): ratings.csv
// if it is there (the full 26 million), else ratings_small.csv, with
// links.csv. Nothing (given() false) when INPUT is a plain file or either
// file is missing: then the run has no ratings, as before.
RatingsFiles find_ratings_files(const std::string& input);

struct RatingsFileCounts {
  std::string name;
  std::uint64_t size = 0;
  std::string sha256;
  std::uint64_t records_read = 0;
  std::uint64_t kept = 0;
  std::uint64_t rejected = 0;
  std::uint64_t without_movie = 0;
  std::uint64_t duplicates = 0;
};

class RatingsStage {
 public:
  // Opens both files and reads their headers, so that a missing file or
  // column fails the job (marquee::InputError) before any work. Throws
  // InputError when only one of the two files is given.
  RatingsStage(const RatingsFiles& files, csv::ReaderOptions csv, model::DiagnosticSink& log);
  ~RatingsStage();

  // Reads links.csv, then the ratings; `is_movie` tells the ids of the movies
  // this run kept.
  void read(const std::function<bool(std::int64_t)>& is_movie);
  // Each rated movie's aggregate (after read()), in no particular order.
  void for_each_rated(const std::function<void(std::int64_t, const model::RatingAggregate&)>& visit) const;
  // Why the run fails (the first file over the ratio), or nullopt.
  std::optional<std::string> too_many_rejects(double max_ratio) const;
  // Writes movie_rating and link; rows per table.
  std::vector<std::pair<std::string, std::uint64_t>> write_tables(table::TableSink& sink) const;
  // The manifest's "ratings" object (docs/ERROR_LOG.md).
  boost::json::object manifest() const;

  const RatingsFileCounts& links() const;
  const RatingsFileCounts& ratings() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace marquee::job

#pragma once
// `marquee generate`: a synthetic movies_metadata.csv in the exact Kaggle
// format (same 24 columns in the same order, CRLF line ends, Python-literal
// lists, quoted overviews with commas, quotes and line breaks, non-ASCII
// names, zero budgets and revenues, a few duplicate ids), deterministic from
// the seed on every platform (own PRNG and mappings, no std:: distributions).
#include <cstdint>
#include <memory>
#include <ostream>
#include <string>

namespace marquee::generate {

struct Options {
  std::uint64_t movies = 1000;  // records written (duplicates included)
  std::uint64_t seed = 1;
  // Also plant the full Kaggle file's known defects (a record split over two
  // physical lines, a list with trailing garbage, invalid dates/ids, a stray
  // quote), each documented in docs/GENERATE.md, for tests and the demo.
  bool defects = false;
};

struct Stats {
  std::uint64_t records = 0;
  std::uint64_t bytes = 0;
  std::uint64_t duplicates = 0;
};

// Writes the CSV (header included) to `out`.
Stats generate(const Options& options, std::ostream& out);

// The TMDB id and the IMDb number of the plain record at each index, for
// links.csv (generate/ratings_generator.hpp). A duplicate or defect slot
// writes another id, so its link leads to no movie, as some real ones do.
class PlainIds {
 public:
  explicit PlainIds(const Options& options);
  ~PlainIds();
  std::uint64_t tmdb(std::uint64_t index) const;
  std::uint64_t imdb(std::uint64_t index) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace marquee::generate

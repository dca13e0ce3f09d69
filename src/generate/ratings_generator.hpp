#pragma once
// `marquee generate --ratings N`: links.csv and ratings.csv in the MovieLens
// format of The Movies Dataset (headers movieId,imdbId,tmdbId and
// userId,movieId,rating,timestamp; CRLF), for the movies that generate()
// writes with the same Options, deterministic from the seed. For volume:
// the real ratings.csv has 26 million rows (docs/GENERATE.md).
#include <cstdint>
#include <ostream>

#include "generate/generator.hpp"

namespace marquee::generate {

// One link per movie index: movieId = index + 1, the plain record's TMDB id
// and IMDb number. Returns the rows written.
std::uint64_t generate_links(const Options& movies, std::ostream& out);

// `ratings` rows, grouped by user (about 100 per user, like MovieLens), each
// for a movieId of the links above drawn with a popularity skew; ratings 0.5
// to 5 in steps of 0.5, timestamps from 1995 to 2017. Returns the bytes.
std::uint64_t generate_ratings(const Options& movies, std::uint64_t ratings, std::ostream& out);

}  // namespace marquee::generate

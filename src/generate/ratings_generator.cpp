#include "generate/ratings_generator.hpp"

#include <charconv>
#include <string>

namespace marquee::generate {
namespace {

// splitmix64: enough for volume data; its own, so the bytes are the same on
// every platform.
class SplitMix {
 public:
  explicit SplitMix(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // [0, n), n > 0, by multiply-high.
  std::uint64_t below(std::uint64_t n) {
    return static_cast<std::uint64_t>((static_cast<unsigned __int128>(next()) * n) >> 64);
  }

 private:
  std::uint64_t state_;
};

void append(std::string& out, std::uint64_t value) {
  char digits[20];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(digits, end);
}

constexpr std::size_t kFlushBytes = 1 << 20;

}  // namespace

std::uint64_t generate_links(const Options& movies, std::ostream& out) {
  const PlainIds ids(movies);
  std::string buffer = "movieId,imdbId,tmdbId\r\n";
  for (std::uint64_t i = 0; i < movies.movies; ++i) {
    append(buffer, i + 1);
    buffer += ',';
    const std::string imdb = std::to_string(ids.imdb(i));
    if (imdb.size() < 7) buffer.append(7 - imdb.size(), '0');  // zero-padded like IMDb's tt0114709
    buffer += imdb;
    buffer += ',';
    append(buffer, ids.tmdb(i));
    buffer += "\r\n";
    if (buffer.size() >= kFlushBytes) {
      out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      buffer.clear();
    }
  }
  out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
  return movies.movies;
}

std::uint64_t generate_ratings(const Options& movies, std::uint64_t ratings, std::ostream& out) {
  SplitMix rng(movies.seed * 0x2545f4914f6cdd1dULL + 16);
  // Half stars 1..10 weighted like MovieLens (4.0 the most common, 0.5 rare).
  static constexpr unsigned kWeights[10] = {1, 3, 2, 7, 4, 20, 13, 28, 8, 14};
  std::string buffer = "userId,movieId,rating,timestamp\r\n";
  std::uint64_t bytes = 0, user = 1;
  const std::uint64_t count = movies.movies == 0 ? 0 : ratings;
  for (std::uint64_t r = 0; r < count; ++r) {
    if (rng.below(100) == 0) ++user;  // a new user every 100 ratings on average
    // u^3 skews toward the low indices: a few movies get most ratings.
    const double u = static_cast<double>(rng.below(1u << 30)) / static_cast<double>(1u << 30);
    const auto movie = static_cast<std::uint64_t>(u * u * u * static_cast<double>(movies.movies));
    unsigned ticket = static_cast<unsigned>(rng.below(100)), half = 0;
    while (ticket >= kWeights[half]) ticket -= kWeights[half++];
    append(buffer, user);
    buffer += ',';
    append(buffer, movie + 1);
    buffer += ',';
    append(buffer, (half + 1) / 2);
    buffer += (half + 1) % 2 ? ".5," : ".0,";
    append(buffer, 789652009 + rng.below(700'000'000));  // 1995-01-09 .. 2017-03
    buffer += "\r\n";
    if (buffer.size() >= kFlushBytes) {
      out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      bytes += buffer.size();
      buffer.clear();
    }
  }
  out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
  return bytes + buffer.size();
}

}  // namespace marquee::generate

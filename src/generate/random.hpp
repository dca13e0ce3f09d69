#pragma once
// The generator's randomness (internal to src/generate): its own generator
// and range mapping, so the same seed gives the same bytes everywhere.
#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <vector>

namespace marquee::generate::detail {

// ---------------------------------------------------------------------------
// Deterministic randomness: our own generator and our own range mapping, so
// the same seed gives the same bytes with any compiler and standard library.

constexpr std::uint64_t kGolden = 0x9E3779B97F4A7C15ULL;

inline std::uint64_t mix64(std::uint64_t x) {  // the splitmix64 finalizer
  x ^= x >> 30;
  x *= 0xBF58476D1CE4E5B9ULL;
  x ^= x >> 27;
  x *= 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

inline std::uint64_t multiplyHigh(std::uint64_t a, std::uint64_t b) {
#if defined(__SIZEOF_INT128__)
  __extension__ using Wide = unsigned __int128;
  return static_cast<std::uint64_t>((static_cast<Wide>(a) * b) >> 64);
#else
  const std::uint64_t a_lo = a & 0xFFFFFFFFU, a_hi = a >> 32;
  const std::uint64_t b_lo = b & 0xFFFFFFFFU, b_hi = b >> 32;
  const std::uint64_t lo_lo = a_lo * b_lo, hi_lo = a_hi * b_lo;
  const std::uint64_t lo_hi = a_lo * b_hi, hi_hi = a_hi * b_hi;
  const std::uint64_t cross = (lo_lo >> 32) + (hi_lo & 0xFFFFFFFFU) + lo_hi;
  return hi_hi + (hi_lo >> 32) + (cross >> 32);
#endif
}

// xoshiro256** seeded through splitmix64.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (auto& word : state_) {
      seed += kGolden;
      word = mix64(seed);
    }
  }

  std::uint64_t next() {
    const std::uint64_t result = std::rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t shifted = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= shifted;
    state_[3] = std::rotl(state_[3], 45);
    return result;
  }

  // [0, n) by multiply-high (Lemire) without rejection: the bias, below
  // n / 2^64, is irrelevant here, and one draw per value keeps streams aligned.
  std::uint64_t below(std::uint64_t n) { return multiplyHigh(next(), n); }
  std::uint64_t between(std::uint64_t low, std::uint64_t high) { return low + below(high - low + 1); }
  bool chance(std::uint64_t per_million) { return below(1'000'000) < per_million; }

  template <class T, std::size_t N>
  const T& pick(const std::array<T, N>& items) {
    return items[below(N)];
  }

 private:
  std::array<std::uint64_t, 4> state_{};
};

// Independent streams per purpose: a differing duplicate redraws only its
// audience figures, and everything else of the record stays identical.
enum class Stream : std::uint64_t {
  text = 1, meta, audience, layout, duplicate_source, duplicate_variant,
  defect, collection, company_pool, ids,
};

inline Rng streamRng(std::uint64_t seed, Stream stream, std::uint64_t index) {
  return Rng(mix64(mix64(seed ^ (static_cast<std::uint64_t>(stream) * kGolden)) + index));
}

// Picks an index with probability proportional to its weight.
class WeightedIndex {
 public:
  template <class Range, class WeightOf>
  WeightedIndex(const Range& items, WeightOf weight_of) {
    for (const auto& item : items) {
      total_ += weight_of(item);
      cumulative_.push_back(total_);
    }
  }
  explicit WeightedIndex(std::initializer_list<unsigned> weights)
      : WeightedIndex(weights, [](unsigned weight) { return weight; }) {}

  std::size_t pick(Rng& rng) const {
    const std::uint64_t ticket = rng.below(total_);
    return static_cast<std::size_t>(
        std::upper_bound(cumulative_.begin(), cumulative_.end(), ticket) - cumulative_.begin());
  }
  std::size_t size() const { return cumulative_.size(); }

 private:
  std::vector<std::uint64_t> cumulative_;
  std::uint64_t total_ = 0;
};

// A bijection on [0, 2^bits): odd multiplications and xor-shifts are each
// invertible modulo 2^bits, so distinct indexes give distinct ids.
class Scrambler {
 public:
  Scrambler(unsigned bits, Rng& rng)
      : mask_(bits >= 64 ? ~0ULL : (1ULL << bits) - 1),
        shift_((bits + 1) / 2),
        multiplier1_(rng.next() | 1),
        offset_(rng.next()),
        multiplier2_(rng.next() | 1) {}

  std::uint64_t operator()(std::uint64_t x) const {
    x = (x * multiplier1_ + offset_) & mask_;
    x ^= x >> shift_;
    x = (x * multiplier2_) & mask_;
    return x ^ (x >> shift_);
  }

 private:
  std::uint64_t mask_;
  unsigned shift_;
  std::uint64_t multiplier1_, offset_, multiplier2_;
};

}  // namespace marquee::generate::detail

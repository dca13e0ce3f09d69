#pragma once
// The rollups' keys and their hashes (internal to src/rollup; rollups.cpp
// is their one user).
#include <cstddef>
#include <cstdint>
#include <string>

#include <fmt/format.h>

namespace marquee::rollup::detail {

// ---- keys -------------------------------------------------------------------

// splitmix64's finalizer: std::hash<int64_t> is the identity on libstdc++,
// which would cluster (id, year) keys badly once combined.
inline std::size_t mix(std::uint64_t seed, std::uint64_t value) {
  std::uint64_t z = seed ^ (value + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2));
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return static_cast<std::size_t>(z ^ (z >> 31));
}

struct CompanyYear {
  std::int64_t company_id;
  std::int32_t year;
  auto operator<=>(const CompanyYear&) const = default;
  std::string describe() const { return fmt::format("company_id={}, year={}", company_id, year); }
};

struct GenreYear {
  std::int64_t genre_id;
  std::int32_t year;
  auto operator<=>(const GenreYear&) const = default;
  std::string describe() const { return fmt::format("genre_id={}, year={}", genre_id, year); }
};

// company_year's hash slot: the key and its dense index in 16 bytes (a map
// from CompanyYear to an index pads each slot to 24: 3 million keys at 1000x).
struct CompanyYearSlot {
  std::int64_t company_id;
  std::int32_t year;
  std::uint32_t index;  // not part of the key
};

struct SameCompanyYear {
  bool operator()(const CompanyYearSlot& a, const CompanyYearSlot& b) const {
    return a.company_id == b.company_id && a.year == b.year;
  }
};

struct KeyHash {
  std::size_t operator()(const CompanyYearSlot& k) const { return (*this)(CompanyYear{k.company_id, k.year}); }
  std::size_t operator()(const CompanyYear& k) const {
    return mix(mix(0, static_cast<std::uint64_t>(k.company_id)), static_cast<std::uint64_t>(k.year));
  }
  std::size_t operator()(const GenreYear& k) const {
    return mix(mix(1, static_cast<std::uint64_t>(k.genre_id)), static_cast<std::uint64_t>(k.year));
  }
};

// A company_year index and a genre index (or their ranks) in one key.
inline std::uint64_t pack(std::uint32_t high, std::uint32_t low) {
  return (static_cast<std::uint64_t>(high) << 32) | low;
}

}  // namespace marquee::rollup::detail

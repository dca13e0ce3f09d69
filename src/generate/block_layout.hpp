#pragma once
// Where a block's special records go (internal to src/generate).
#include <array>
#include <cstddef>
#include <cstdint>

#include "generate/random.hpp"

namespace marquee::generate::detail {

// ---------------------------------------------------------------------------
// Record positions: every block of kBlock records holds exactly one record of
// each special kind, at seed-derived positions kept kMinGap apart, so one
// defect never runs into another and a 1,000-record file already has them all.

enum class Slot : std::uint8_t {
  plain,
  duplicate,
  split_overview,
  genres_garbage,
  invalid_date,
  non_numeric_id,
  stray_quote,
  fractional_revenue,
};
constexpr std::array kSpecialSlots{
    Slot::duplicate,      Slot::split_overview, Slot::genres_garbage,     Slot::invalid_date,
    Slot::non_numeric_id, Slot::stray_quote,    Slot::fractional_revenue,
};
constexpr std::uint64_t kBlock = 1000;
constexpr std::uint64_t kFirstSpecial = 2;   // positions 0 and 1 are always plain
constexpr std::uint64_t kLastSpecial = 997;  // so neighbours across blocks stay apart too
constexpr std::uint64_t kMinGap = 3;

class BlockLayout {
 public:
  BlockLayout(std::uint64_t seed, std::uint64_t block) {
    Rng rng = streamRng(seed, Stream::layout, block);
    for (std::size_t kind = 0; kind < kSpecialSlots.size(); ++kind) {
      std::uint64_t position;
      do position = rng.between(kFirstSpecial, kLastSpecial);
      while (tooClose(position, kind));
      positions_[kind] = position;
    }
  }

  Slot slotAt(std::uint64_t position) const {
    for (std::size_t kind = 0; kind < kSpecialSlots.size(); ++kind) {
      if (positions_[kind] == position) return kSpecialSlots[kind];
    }
    return Slot::plain;
  }

 private:
  bool tooClose(std::uint64_t position, std::size_t placed) const {
    for (std::size_t kind = 0; kind < placed; ++kind) {
      const std::uint64_t other = positions_[kind];
      if ((position > other ? position - other : other - position) < kMinGap) return true;
    }
    return false;
  }

  std::array<std::uint64_t, kSpecialSlots.size()> positions_{};
};

}  // namespace marquee::generate::detail

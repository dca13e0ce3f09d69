#pragma once
// Sorts records by a byte key (record.hpp's sort keys) within a memory
// budget: past it, a sorted run goes to an unnamed spill file, and the runs
// are merged at the end. What the run-file writer needs to build an index
// or a WITHOUT ROWID table from rows that arrive in any order.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/spill_file.hpp"

namespace marquee::store::sqlite_file {

class RecordSorter {
 public:
  RecordSorter(std::size_t memory_budget, std::filesystem::path spill_dir);

  // `unique` leading bytes of `key` (0: none) must not equal those of the
  // entry before it in key order: drain() reports it.
  void add(std::string_view key, std::string_view record, std::uint32_t unique);
  std::uint64_t size() const { return count_; }

  // Visits every record in key order, once; `duplicate` is true when its
  // unique part equals the previous entry's.
  void drain(const std::function<void(std::string_view record, bool duplicate)>& visit);

 private:
  struct Entry {
    std::string_view key;
    std::string_view record;
    std::uint32_t unique;
  };
  class RunReader;
  void spill();
  void sort_memory();
  void prefetch(std::size_t index) const;
  Entry entry_at(std::uint64_t offset) const;

  std::size_t budget_;
  std::filesystem::path spill_dir_;
  // The first 16 bytes of an entry's key, as two big-endian words, beside
  // its offset: most comparisons never touch the arena.
  struct Slot {
    std::uint64_t high;
    std::uint64_t low;
    std::uint64_t offset;
  };
  bool before(const Slot& a, const Slot& b) const;

  std::string arena_;         // [key size][record size][unique][key][record]...
  std::vector<Slot> offsets_;  // entries in arena_
  std::string last_key_;      // the key added last
  bool in_order_ = true;      // every key so far came after the one before it
  std::optional<SpillFile> spill_;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> runs_;  // offset, size in spill_
  std::uint64_t count_ = 0;
};

}  // namespace marquee::store::sqlite_file

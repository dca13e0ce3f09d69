#include "store/sqlite_file/record_sorter.hpp"

#include <algorithm>
#include <cstring>
#include <queue>
#include <span>

namespace marquee::store::sqlite_file {
namespace {

constexpr std::size_t kHeader = 12;
constexpr std::size_t kReadChunk = 1 << 20;
constexpr std::size_t kMinReadChunk = 64 << 10;
constexpr std::size_t kPrefetch = 8;

std::uint32_t load32(const char* p) {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

void store32(std::string& out, std::uint32_t v) {
  char b[4];
  std::memcpy(b, &v, 4);
  out.append(b, 4);
}

bool duplicate_of(const std::optional<std::string>& previous, std::string_view key, std::uint32_t unique) {
  return unique != 0 && previous && previous->size() >= unique &&
         std::memcmp(previous->data(), key.data(), unique) == 0;
}

}  // namespace

// Reads one spilled run, entry by entry, a chunk at a time.
class RecordSorter::RunReader {
 public:
  RunReader(const SpillFile& file, std::uint64_t offset, std::uint64_t size, std::size_t chunk)
      : file_(file), next_(offset), end_(offset + size), chunk_(chunk) {}

  // The next entry, valid until the following call; false at the end.
  bool next(Entry& out) {
    if (!ensure(kHeader)) return false;
    const char* p = buffer_.data() + position_;
    const std::uint32_t key = load32(p);
    const std::uint32_t record = load32(p + 4);
    const std::uint32_t unique = load32(p + 8);
    if (!ensure(kHeader + key + record)) return false;  // a run is written whole; cannot happen
    const std::string_view entry = std::string_view(buffer_).substr(position_);
    out.key = entry.substr(kHeader, key);
    out.record = entry.substr(kHeader + key, record);
    out.unique = unique;
    position_ += kHeader + key + record;
    return true;
  }

 private:
  // At least `bytes` unread bytes in the buffer, reading more when needed
  // (which moves the unread ones to its front).
  bool ensure(std::size_t bytes) {
    if (buffer_.size() - position_ >= bytes) return true;
    buffer_.erase(0, position_);
    position_ = 0;
    while (buffer_.size() < bytes && next_ < end_) {
      const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(
          std::max(chunk_, bytes - buffer_.size()), end_ - next_));
      const std::size_t old = buffer_.size();
      buffer_.resize(old + n);
      file_.read(next_, std::as_writable_bytes(std::span(buffer_.data() + old, n)));
      next_ += n;
    }
    return buffer_.size() >= bytes;
  }

  const SpillFile& file_;
  std::uint64_t next_;
  std::uint64_t end_;
  std::size_t chunk_;
  std::string buffer_;
  std::size_t position_ = 0;
};

RecordSorter::RecordSorter(std::size_t memory_budget, std::filesystem::path spill_dir)
    : budget_(memory_budget), spill_dir_(std::move(spill_dir)) {}

RecordSorter::Entry RecordSorter::entry_at(std::uint64_t offset) const {
  const char* p = arena_.data() + offset;
  const std::uint32_t key = load32(p);
  const std::uint32_t record = load32(p + 4);
  return {std::string_view(p + kHeader, key), std::string_view(p + kHeader + key, record), load32(p + 8)};
}

std::uint64_t word(std::string_view key, std::size_t at) {
  std::uint64_t v = 0;
  for (std::size_t i = at; i < at + 8; ++i) v = (v << 8) | (i < key.size() ? static_cast<unsigned char>(key[i]) : 0u);
  return v;
}

bool RecordSorter::before(const Slot& a, const Slot& b) const {
  if (a.high != b.high) return a.high < b.high;
  if (a.low != b.low) return a.low < b.low;
  // Zero-padded words tie for keys that differ only past 16 bytes or in length.
  return entry_at(a.offset).key < entry_at(b.offset).key;
}

void RecordSorter::add(std::string_view key, std::string_view record, std::uint32_t unique) {
  if (arena_.capacity() < budget_ && count_ == 0) {
    // The whole budget at once: growing by doubling copied the arena each
    // time. Only the address space: pages are touched as entries come.
    arena_.reserve(budget_);
    offsets_.reserve(budget_ / (sizeof(Slot) + kHeader + 8));
  }
  // Rows often come in key order already (the rollups do); then nothing
  // needs sorting.
  if (in_order_ && count_ > 0 && !(last_key_ < key)) in_order_ = false;
  if (in_order_) last_key_.assign(key);
  offsets_.push_back({word(key, 0), word(key, 8), arena_.size()});
  store32(arena_, static_cast<std::uint32_t>(key.size()));
  store32(arena_, static_cast<std::uint32_t>(record.size()));
  store32(arena_, unique);
  arena_.append(key);
  arena_.append(record);
  ++count_;
  if (arena_.size() + offsets_.size() * sizeof(Slot) > budget_) spill();
}

// Entries are read in key order, all over the arena: asking for one a few
// places ahead hides most of each read's cache miss (the reads were a
// quarter of building a 1-million-row table's index).
void RecordSorter::prefetch(std::size_t index) const {
  if (index < offsets_.size()) __builtin_prefetch(arena_.data() + offsets_[index].offset);
}

void RecordSorter::sort_memory() {
  if (in_order_) return;
  std::sort(offsets_.begin(), offsets_.end(), [this](const Slot& a, const Slot& b) { return before(a, b); });
}

void RecordSorter::spill() {
  if (offsets_.empty()) return;
  if (!spill_) spill_.emplace(spill_dir_);
  sort_memory();
  std::string run;
  const std::uint64_t start = spill_->size();
  for (std::size_t i = 0; i < offsets_.size(); ++i) {
    prefetch(i + kPrefetch);
    const Entry e = entry_at(offsets_[i].offset);
    run.append(arena_, offsets_[i].offset, kHeader + e.key.size() + e.record.size());
    if (run.size() >= kReadChunk) {
      spill_->append(std::as_bytes(std::span(run.data(), run.size())));
      run.clear();
    }
  }
  spill_->append(std::as_bytes(std::span(run.data(), run.size())));
  runs_.emplace_back(start, spill_->size() - start);
  arena_.clear();  // keeps its memory for the next run: no new pages to fault in
  offsets_.clear();
}

void RecordSorter::drain(const std::function<void(std::string_view record, bool duplicate)>& visit) {
  std::optional<std::string> previous;
  const auto emit = [&](const Entry& e) {
    visit(e.record, duplicate_of(previous, e.key, e.unique));
    if (!previous) previous.emplace();
    previous->assign(e.key);
  };
  if (runs_.empty()) {
    sort_memory();
    for (std::size_t i = 0; i < offsets_.size(); ++i) {
      prefetch(i + kPrefetch);
      emit(entry_at(offsets_[i].offset));
    }
    arena_ = std::string();
    offsets_ = std::vector<Slot>();
    return;
  }
  spill();
  arena_ = std::string();  // the merge reads the runs back; the memory goes
  offsets_ = std::vector<Slot>();
  std::vector<RunReader> readers;
  std::vector<Entry> heads(runs_.size());
  readers.reserve(runs_.size());
  // The readers share the memory budget, a chunk each of at least 64 KiB:
  // a sorter's merge holds about max(budget, runs x 64 KiB) (runs = what it
  // sorted / budget), plus its largest entry.
  const std::size_t chunk = std::clamp<std::size_t>(budget_ / runs_.size(), kMinReadChunk, kReadChunk);
  for (const auto& [offset, size] : runs_) readers.emplace_back(*spill_, offset, size, chunk);
  const auto later = [&](std::size_t a, std::size_t b) { return heads[a].key > heads[b].key; };
  std::priority_queue<std::size_t, std::vector<std::size_t>, decltype(later)> queue(later);
  for (std::size_t i = 0; i < readers.size(); ++i) {
    if (readers[i].next(heads[i])) queue.push(i);
  }
  while (!queue.empty()) {
    const std::size_t i = queue.top();
    queue.pop();
    emit(heads[i]);
    if (readers[i].next(heads[i])) queue.push(i);
  }
}

}  // namespace marquee::store::sqlite_file

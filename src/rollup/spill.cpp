// The rollups past their memory budget: company_year and company_year_genre
// written to a scratch file as sorted parts, then merged into the tables
// (see rollup_state.hpp). A part is two runs of fixed-size records, each
// sorted by key; the merge reads every part through a small buffer, so
// memory is the buffers, not the totals.
#include <malloc.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <cstdint>
#include <functional>
#include <queue>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "rollup/rollup_state.hpp"

namespace marquee::rollup {

using namespace detail;
using table::Cell;

namespace {

// Budgets from which a spill trims the heap (each trim walks it; a tiny
// budget spills after every batch).
constexpr std::size_t kTrimAbove = std::size_t{16} << 20;

// The records never leave this process, so they are written as they are in
// memory.
struct SpilledCompanyYear {
  CompanyYear key;
  CompanyYearTotals totals;
};
struct GenreCountKey {
  CompanyYear company_year;
  std::int64_t genre_id;
  auto operator<=>(const GenreCountKey&) const = default;
};
struct SpilledGenreCount {
  GenreCountKey key;
  std::int64_t count;
};
static_assert(std::is_trivially_copyable_v<SpilledCompanyYear>);
static_assert(std::is_trivially_copyable_v<SpilledGenreCount>);

// A record with its padding zeroed: the bytes written are all defined.
template <class T>
T zeroed() {
  T record;
  std::memset(static_cast<void*>(&record), 0, sizeof record);
  return record;
}

SpilledCompanyYear spilled_record(const CompanyYear& key, const CompanyYearTotals& totals) {
  auto record = zeroed<SpilledCompanyYear>();
  record.key.company_id = key.company_id;
  record.key.year = key.year;
  record.totals = totals;
  return record;
}

SpilledGenreCount spilled_record(const CompanyYear& key, std::int64_t genre_id, std::int64_t count) {
  auto record = zeroed<SpilledGenreCount>();
  record.key.company_year.company_id = key.company_id;
  record.key.company_year.year = key.year;
  record.key.genre_id = genre_id;
  record.count = count;
  return record;
}

template <class T>
class PartWriter {
 public:
  explicit PartWriter(SpillFile& file) : file_(file), at_(file.size()) { buffer_.reserve(kBuffer); }
  void put(const T& record) {
    buffer_.push_back(record);
    if (buffer_.size() == kBuffer) flush();
  }
  // Where the records start and how many there are.
  std::pair<std::uint64_t, std::uint64_t> finish() {
    flush();
    return {at_, count_};
  }

 private:
  static constexpr std::size_t kBuffer = (1 << 20) / sizeof(T);
  void flush() {
    file_.append(std::as_bytes(std::span(buffer_)));
    count_ += buffer_.size();
    buffer_.clear();
  }
  SpillFile& file_;
  std::uint64_t at_, count_ = 0;
  std::vector<T> buffer_;
};

template <class T>
class PartReader {
 public:
  PartReader(const SpillFile& file, std::uint64_t at, std::uint64_t count, std::size_t buffer)
      : file_(&file), at_(at), left_(count), capacity_(buffer) {}
  const T* head() {
    if (next_ == buffer_.size()) refill();
    return next_ < buffer_.size() ? &buffer_[next_] : nullptr;
  }
  void pop() { ++next_; }

 private:
  void refill() {
    if (left_ == 0) {
      std::vector<T>().swap(buffer_);  // this part is done: its buffer goes too
      next_ = 0;
      return;
    }
    buffer_.resize(static_cast<std::size_t>(std::min<std::uint64_t>(capacity_, left_)));
    next_ = 0;
    if (buffer_.empty()) return;
    file_->read(at_, std::as_writable_bytes(std::span(buffer_)));
    at_ += buffer_.size() * sizeof(T);
    left_ -= buffer_.size();
  }
  const SpillFile* file_;
  std::uint64_t at_, left_;
  std::size_t capacity_;  // records
  std::vector<T> buffer_;
  std::size_t next_ = 0;
};

// Records a part's reader buffers: 16 KiB, less when that many parts' would
// pass the budget (the two company tables are merged at once), but at least
// one record. A tiny budget makes many parts and small reads, never more
// memory than the budget or one record a part.
template <class T>
std::size_t reader_buffer(std::size_t budget, std::size_t parts) {
  const std::size_t share = budget / (2 * std::max<std::size_t>(parts, 1)) / sizeof(T);
  return std::clamp<std::size_t>(share, 1, (16 << 10) / sizeof(T));
}

// Calls combine(key, record) for every record of every part in key order,
// the parts of one key in the order they were spilled, and done(key) after
// the last of each key.
template <class Record, class Combine, class Done>
void merge_parts(std::vector<PartReader<Record>>& parts, Combine&& combine, Done&& done) {
  using Key = decltype(Record::key);
  using Head = std::pair<Key, std::size_t>;  // ties go to the earlier part
  std::priority_queue<Head, std::vector<Head>, std::greater<>> heads;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (const Record* head = parts[i].head()) heads.emplace(head->key, i);
  }
  while (!heads.empty()) {
    const Key key = heads.top().first;
    while (!heads.empty() && heads.top().first == key) {
      const std::size_t i = heads.top().second;
      heads.pop();
      combine(key, *parts[i].head());
      parts[i].pop();
      if (const Record* head = parts[i].head()) heads.emplace(head->key, i);
    }
    done(key);
  }
}

}  // namespace

void Rollups::set_spill(const std::filesystem::path& dir, std::size_t memory_budget) {
  state_->spill_file.emplace(dir);
  state_->spill_budget = memory_budget;
}

std::size_t Rollups::spilled_parts() const { return state_->spilled.size(); }

// What company_year and company_year_genre hold now: hash slots (and their
// control bytes), totals, counts and the counting buffers.
std::size_t Rollups::State::company_year_bytes() const {
  return company_year_index.bucket_count() * (sizeof(CompanyYearSlot) + 1) +
         company_year_totals.size() * sizeof(CompanyYearTotals) + company_year_genre.bytes();
}

void Rollups::State::spill_if_over_budget() {
  if (spill_file && company_year_bytes() > spill_budget) spill();
}

void Rollups::State::spill() {
  sort_company_year_keys();
  SpilledPart part;
  PartWriter<SpilledCompanyYear> years(*spill_file);
  for (const std::uint32_t index : company_year_order_) years.put(spilled_record(company_year_keys_[index], company_year_totals[index]));
  std::tie(part.company_years_at, part.company_years) = years.finish();
  PartWriter<SpilledGenreCount> genres(*spill_file);
  for_each_genre_count([&](const CompanyYear& key, std::int64_t genre_id, std::int64_t count) {
    genres.put(spilled_record(key, genre_id, count));
  });
  std::tie(part.genre_counts_at, part.genre_counts) = genres.finish();
  spilled.push_back(part);
  // Forget it all, memory included: the next part starts from nothing.
  decltype(company_year_index)().swap(company_year_index);
  company_year_totals.clear();
  company_year_genre.clear();
  std::vector<CompanyYear>().swap(company_year_keys_);
  std::vector<std::uint32_t>().swap(company_year_order_);
  // Freed, but glibc keeps what other threads' allocations fragment (the
  // dimensions grow meanwhile): hand it back, or up to a budget of it stays
  // in the job's peak while the tables are written.
  if (spill_budget >= kTrimAbove) ::malloc_trim(0);
}

std::uint64_t Rollups::State::merge_company_year(table::TableSink& sink, const model::Dimensions& names) {
  std::vector<PartReader<SpilledCompanyYear>> parts;
  const std::size_t buffer = reader_buffer<SpilledCompanyYear>(spill_budget, spilled.size());
  for (const SpilledPart& part : spilled) parts.emplace_back(*spill_file, part.company_years_at, part.company_years, buffer);
  auto writer = sink.open(company_year_schema());
  CompanyYearRows rows(*writer, names, ratings);
  CompanyYearTotals totals;
  bool first = true;
  merge_parts(
      parts,
      [&](const CompanyYear& key, const SpilledCompanyYear& record) {
        if (first) {
          totals = record.totals;
          first = false;
        } else {
          totals.merge(record.totals, "company_year", key);
        }
      },
      [&](const CompanyYear& key) {
        rows.write(key, totals);
        first = true;
      });
  writer->finish();
  return writer->rows_written();
}

std::uint64_t Rollups::State::merge_company_year_genre(table::TableSink& sink, const model::Dimensions& names) {
  std::vector<PartReader<SpilledGenreCount>> parts;
  const std::size_t buffer = reader_buffer<SpilledGenreCount>(spill_budget, spilled.size());
  for (const SpilledPart& part : spilled) parts.emplace_back(*spill_file, part.genre_counts_at, part.genre_counts, buffer);
  auto writer = sink.open(company_year_genre_schema());
  std::int64_t count = 0;
  merge_parts(
      parts, [&](const GenreCountKey&, const SpilledGenreCount& record) { count += record.count; },
      [&](const GenreCountKey& key) {
        const Cell row[] = {key.company_year.company_id, key.company_year.year, key.genre_id,
                            name_of(names.genres(), key.genre_id, "genre"), count};
        writer->write_row(row);
        count = 0;
      });
  writer->finish();
  return writer->rows_written();
}

}  // namespace marquee::rollup

// Synthetic movies_metadata.csv. Everything about a record is a pure function
// of (seed, record index), so the output streams in constant memory and a
// duplicate can regenerate an earlier record instead of remembering it.
//
// Hand-written hot path: records are assembled with std::string appends and
// std::to_chars into one reusable buffer that is written in 1 MiB chunks; no
// streams, fmt or std:: distributions per field (see docs/GENERATE.md).
#include "generate/generator.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <condition_variable>
#include <initializer_list>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/error.hpp"
#include "generate/movie_factory.hpp"

namespace marquee::generate {
namespace {

using namespace detail;

constexpr std::string_view kHeader =
    "adult,belongs_to_collection,budget,genres,homepage,id,imdb_id,original_language,"
    "original_title,overview,popularity,poster_path,production_companies,"
    "production_countries,release_date,revenue,runtime,spoken_languages,status,tagline,"
    "title,video,vote_average,vote_count\r\n";

// ---------------------------------------------------------------------------
// The record sequence: which index is plain, a duplicate or a defect.

class Generator {
 public:
  explicit Generator(const Options& options) : options_(options), factory_(options) {}

  void produce(std::uint64_t index, Movie& movie, Stats& stats) {
    const Slot slot = slotOf(index);
    if (slot == Slot::duplicate) {
      produceDuplicate(index, movie);
      ++stats.duplicates;
      return;
    }
    factory_.build(index, movie);
    if (options_.defects && slot != Slot::plain && !strayAtEnd(slot, index)) {
      Rng rng = streamRng(options_.seed, Stream::defect, index);
      factory_.plantDefect(slot, rng, movie);
    }
  }

 private:
  Slot slotOf(std::uint64_t index) {
    const std::uint64_t block = index / kBlock;
    if (!layout_ || layout_block_ != block) {
      layout_.emplace(options_.seed, block);
      layout_block_ = block;
    }
    return layout_->slotAt(index % kBlock);
  }

  // A stray quote in the last record would swallow nothing but the end of
  // file; the defect is about one line costing one line, so skip it there.
  bool strayAtEnd(Slot slot, std::uint64_t index) const {
    return slot == Slot::stray_quote && index + 1 == options_.movies;
  }

  // Half the duplicates repeat the earlier row byte for byte; the other half
  // keep its id and text but differ in popularity and votes, as real ones do.
  void produceDuplicate(std::uint64_t index, Movie& movie) const {
    factory_.build(duplicateSource(index), movie);
    Rng variant = streamRng(options_.seed, Stream::duplicate_variant, index);
    if (variant.below(2) == 0) return;
    const std::uint64_t original_popularity = movie.popularity_micros;
    factory_.makeAudience(variant, movie);
    if (movie.popularity_micros == original_popularity) ++movie.popularity_micros;
  }

  // An earlier plain record (never a defect, whose id may not appear as such).
  std::uint64_t duplicateSource(std::uint64_t index) const {
    Rng rng = streamRng(options_.seed, Stream::duplicate_source, index);
    for (int attempt = 0; attempt < 16; ++attempt) {
      const std::uint64_t candidate = rng.below(index);
      const BlockLayout layout(options_.seed, candidate / kBlock);
      if (layout.slotAt(candidate % kBlock) == Slot::plain) return candidate;
    }
    return index - index % kBlock;  // position 0 of a block is always plain
  }

  Options options_;
  MovieFactory factory_;
  std::optional<BlockLayout> layout_;
  std::uint64_t layout_block_ = 0;
};

// Collects records in 1 MiB chunks and writes each on a second thread while
// the next one is generated: the kernel's copy into the page cache costs
// about as much CPU as generating, so overlapping them nearly halves the
// time. Chunks are written strictly in order; the bytes do not change.
class ChunkedOutput {
 public:
  explicit ChunkedOutput(std::ostream& out) : out_(out) {
    filling_.reserve(kChunk + kSlack);
    writing_.reserve(kChunk + kSlack);
    writer_ = std::thread([this] { writeChunks(); });
  }

  ~ChunkedOutput() { stopWriter(); }

  ChunkedOutput(const ChunkedOutput&) = delete;
  ChunkedOutput& operator=(const ChunkedOutput&) = delete;

  std::string& buffer() { return filling_; }

  void flushIfFull() {
    if (filling_.size() >= kChunk) handOff();
  }

  // Writes what is left and returns the number of bytes written.
  std::uint64_t finish() {
    handOff();
    stopWriter();
    if (failed_) throw Error(1, "generate: writing the CSV failed");
    out_.flush();
    if (!out_) throw Error(1, "generate: writing the CSV failed");
    return handed_off_;
  }

 private:
  static constexpr std::size_t kChunk = 1 << 20;
  static constexpr std::size_t kSlack = 64 * 1024;  // one record past the mark

  void handOff() {
    std::unique_lock lock(mutex_);
    writer_idle_.wait(lock, [this] { return !pending_; });
    if (failed_) throw Error(1, "generate: writing the CSV failed");
    handed_off_ += filling_.size();
    std::swap(filling_, writing_);  // writing_ comes back empty, capacity kept
    pending_ = true;
    lock.unlock();
    chunk_ready_.notify_one();
  }

  void writeChunks() {
    std::unique_lock lock(mutex_);
    for (;;) {
      chunk_ready_.wait(lock, [this] { return pending_ || stopping_; });
      if (!pending_) return;
      lock.unlock();
      const bool ok = writeChunk();
      lock.lock();
      failed_ = failed_ || !ok;
      pending_ = false;
      writer_idle_.notify_one();
    }
  }

  bool writeChunk() {
    try {
      out_.write(writing_.data(), static_cast<std::streamsize>(writing_.size()));
      writing_.clear();
      return static_cast<bool>(out_);
    } catch (...) {  // a stream with exceptions() set
      return false;
    }
  }

  void stopWriter() {
    if (!writer_.joinable()) return;
    {
      std::unique_lock lock(mutex_);
      writer_idle_.wait(lock, [this] { return !pending_; });
      stopping_ = true;
    }
    chunk_ready_.notify_one();
    writer_.join();
  }

  std::ostream& out_;
  std::string filling_;  // generator thread only
  std::string writing_;  // writer thread only while pending_
  std::uint64_t handed_off_ = 0;
  std::mutex mutex_;
  std::condition_variable chunk_ready_;
  std::condition_variable writer_idle_;
  bool pending_ = false;
  bool stopping_ = false;
  bool failed_ = false;
  std::thread writer_;
};

}  // namespace

struct PlainIds::Impl {
  MovieFactory::Scramblers ids;
};

PlainIds::PlainIds(const Options& options)
    : impl_(std::make_unique<Impl>(Impl{MovieFactory::makeScramblers(options)})) {}
PlainIds::~PlainIds() = default;
std::uint64_t PlainIds::tmdb(std::uint64_t index) const { return 1 + impl_->ids.movie(index); }
std::uint64_t PlainIds::imdb(std::uint64_t index) const { return impl_->ids.imdb(index); }

Stats generate(const Options& options, std::ostream& out) {
  Generator generator(options);
  ChunkedOutput output(out);
  Stats stats;
  Movie movie;
  output.buffer() += kHeader;
  for (std::uint64_t index = 0; index < options.movies; ++index) {
    generator.produce(index, movie, stats);
    appendMovie(output.buffer(), movie);
    output.flushIfFull();
  }
  stats.records = options.movies;
  stats.bytes = output.finish();
  return stats;
}

}  // namespace marquee::generate

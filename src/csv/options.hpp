#pragma once
#include <cstddef>

namespace marquee::csv {

inline constexpr std::size_t kDefaultMaxRecordBytes = std::size_t{16} << 20;
// Batches address a record's bytes with 32-bit offsets.
inline constexpr std::size_t kMaxRecordBytesCeiling = std::size_t{1} << 30;

struct ReaderOptions {
  char delimiter = ',';
  char quote = '"';
  // Bytes read from the source at a time.
  std::size_t block_size = 1 << 20;
  // A record (all its physical lines) may not exceed this many bytes: a
  // larger one is rejected whole (RecordTooLarge) and skipped without being
  // held, so memory stays bounded by about block_size + max_record_bytes. The
  // longest record of the real file is under 4 KiB; 16 MiB is far beyond any
  // real movie, yet small enough to hold.
  std::size_t max_record_bytes = kDefaultMaxRecordBytes;
  // Join a short record with the next one when together they make exactly one
  // record (see reader.hpp).
  bool repair_split_records = true;
};

}  // namespace marquee::csv

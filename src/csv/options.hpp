#pragma once
#include <cstddef>

namespace marquee::csv {

struct ReaderOptions {
  char delimiter = ',';
  char quote = '"';
  // Bytes read from the source at a time.
  std::size_t block_size = 1 << 20;
  // A record (all its physical lines) may not exceed this many bytes. A quote
  // that is still open after this many bytes is treated like one that never
  // closes (unterminated_quote), which keeps memory bounded and keeps one
  // stray quote from swallowing the rest of the file.
  std::size_t max_record_bytes = 1 << 20;
  // Join a short record with the next one when together they make exactly one
  // record (see reader.hpp).
  bool repair_split_records = true;
};

}  // namespace marquee::csv

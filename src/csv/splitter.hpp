#pragma once
// Cuts one CSV file into N part files at record boundaries, each starting
// with the header record, for sharded transforms (`marquee split`,
// docs/SCALE.md). Boundaries follow the reader's quote state
// (RecordSkipper), so a line break inside a quoted field is never a cut; and
// a cut is made only after a record with as many fields as the header, so a
// record broken by a stray line feed (which the reader joins back) is never
// cut apart either. Memory is bounded: bytes stream through, and only a
// record of up to 1 MiB is held to count its fields.
#include <cstdint>
#include <filesystem>
#include <vector>

#include "csv/scanner.hpp"

namespace marquee::csv {

struct SplitPart {
  std::filesystem::path path;
  std::uint64_t bytes = 0;    // header included
  std::uint64_t records = 0;  // records after the header (blank lines count)
  std::uint64_t first_line = 0;  // physical line of the input its first record starts on (0: none)
};

// Writes OUT_DIR/part-001.csv ... part-NNN.csv (N = parts, 1..999). Parts may
// hold only the header when the input has fewer cut points than parts.
// Throws InputError for an unreadable or empty input or an unwritable OUT_DIR.
std::vector<SplitPart> split_csv(const std::filesystem::path& input, std::size_t parts,
                                 const std::filesystem::path& out_dir, Dialect dialect = {});

}  // namespace marquee::csv

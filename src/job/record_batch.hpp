#pragma once
// The parallel ETL's unit of work: a run of consecutive CSV records, copied
// out of the reader, with everything that happened between them (rejected
// lines), and, once a worker has validated it, each record's outcome and
// diagnostics. Batches travel reader -> validation workers -> one in-order
// consumer, so every ordered decision (duplicates, first name wins, the error
// log's order, floating-point sums) stays sequential and the output is the
// same byte for byte whatever the number of threads.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "csv/reader.hpp"
#include "model/columns.hpp"
#include "model/diagnostic.hpp"
#include "model/movie.hpp"

namespace marquee::job {

struct RecordBatch {
  // --- filled by the reader ---------------------------------------------------
  struct Slice {
    std::uint32_t offset = 0;  // into `bytes`
    std::uint32_t size = 0;
  };
  struct RecordInfo {
    std::uint64_t line = 0, end_line = 0, byte_offset = 0, second_line = 0;
    bool repaired = false;
    Slice raw;
    std::uint32_t first_field = 0;  // index into `fields`
    std::uint32_t field_count = 0;
  };
  struct RejectedLine {
    std::size_t before_record = 0;  // reported before records[before_record]
    model::Diagnostic diagnostic;
  };

  std::uint64_t sequence = 0;
  bool last = false;               // no batch follows
  std::uint64_t bytes_read = 0;    // input bytes consumed once this batch was read
  std::string bytes;               // raw records, then field values not found verbatim in them
  std::vector<Slice> fields;
  std::vector<RecordInfo> records;
  std::vector<RejectedLine> rejected;

  // --- filled by a validation worker -------------------------------------------
  std::vector<model::Movie> movies;        // movies[i] valid iff accepted[i]
  std::vector<char> accepted;
  std::vector<model::Diagnostic> diagnostics;
  std::vector<std::uint32_t> diagnostics_end;  // record i's are [end[i-1], end[i])

  // --- filled by the first ordered stage ----------------------------------------
  std::vector<char> kept;  // accepted and not a duplicate: rows and rollups follow

  void clear_input();
  std::string_view view(Slice slice) const { return {bytes.data() + slice.offset, slice.size}; }
  // Record `index` as the reader gave it; `fields_out` backs its fields.
  csv::Record record(std::size_t index, std::vector<std::string_view>& fields_out) const;
};

// Copies `record` (raw bytes and field values) into `batch`.
void append_record(RecordBatch& batch, const csv::Record& record);

// Validates every record of the batch into its outcome fields. Pure: the
// result depends only on the batch's records, never on timing.
void validate_batch(RecordBatch& batch, const model::ColumnMap& columns);

}  // namespace marquee::job

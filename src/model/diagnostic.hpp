#pragma once
// What the error log records: every rejected row, every repaired row, every
// nulled or salvaged value, every duplicate. Stages report Diagnostics to a
// DiagnosticSink; the job writes them to errors.jsonl in input order.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace marquee::model {

enum class Severity {
  Error,    // row rejected
  Warning,  // value nulled or salvaged
  Info,     // row repaired, or a duplicate skipped
};

enum class Reason {
  FieldCount,
  UnterminatedQuote,
  RecordTooLarge,
  InvalidId,
  InvalidBudget,
  InvalidRevenue,
  InvalidPopularity,
  InvalidReleaseDate,
  InvalidNumber,
  MalformedLiteral,
  InvalidUtf8,
  DuplicateId,
  Repaired,
  ConflictingName,
  SumOverflow,
  // MovieLens ratings and links (model/ratings.hpp)
  InvalidRating,
  InvalidLink,
  DuplicateLink,
  LinkWithoutMovie,
  UnknownMovielensId,
  RatingWithoutMovie,
};

std::string_view to_string(Severity severity);
std::string_view to_string(Reason reason);  // e.g. "invalid_release_date"

struct Diagnostic {
  Severity severity;
  Reason reason;
  std::uint64_t line = 0;                 // physical line where the record starts
  std::optional<std::int64_t> movie_id;   // null if unknown
  std::optional<std::string> column;      // null if none
  std::string message;
  std::string excerpt;                    // <= 200 bytes of raw text, valid UTF-8
  // The input file's name when the run reads more than one (ratings, links);
  // null for the movies file, so its lines keep the shape they always had.
  std::optional<std::string> file = std::nullopt;
};

class DiagnosticSink {
 public:
  virtual ~DiagnosticSink() = default;
  virtual void report(Diagnostic diagnostic) = 0;
};

}  // namespace marquee::model

#pragma once
// Record -> Movie: the validation rules (docs/DATA_MODEL.md has them in full).
//
// Rejected rows (Severity::Error, no Movie):
//   invalid_id            id not a positive integer
//   invalid_budget        budget not a non-negative integer (0 = unknown)
//   invalid_revenue       revenue not a non-negative number ("1.0" is fine);
//                         a fractional value is rounded half away from zero
//                         with a warning
//   invalid_popularity    popularity not a finite non-negative number
//                         (exponent forms are fine; empty = unknown)
//   invalid_release_date  release_date neither empty nor a real YYYY-MM-DD
// Nulled values (Severity::Warning, the Movie is kept):
//   invalid_number        runtime, vote_average (finite >= 0), vote_count
//                         (non-negative integral)
//   malformed_literal     a list column that is salvaged or unparseable (an
//                         empty list results), a list entry without a usable
//                         id/code and name (skipped), belongs_to_collection
//                         unparseable (null), adult/video not True/False
//   invalid_utf8          a text value with ill-formed UTF-8 (bytes replaced
//                         by U+FFFD)
// An empty text field is null; an empty list column is an empty list.
#include <optional>

#include "csv/record.hpp"
#include "model/columns.hpp"
#include "model/diagnostic.hpp"
#include "model/movie.hpp"

namespace marquee::model {

// Validates one record. Reports every problem to `sink`, in column order, with
// line, movie id (when it parsed) and column. Returns the movie, or nullopt if
// the row is rejected (then exactly one Error diagnostic was reported: the
// first failing rule in the order above).
std::optional<Movie> validate(const csv::Record& record, const ColumnMap& columns,
                              DiagnosticSink& sink);

// The same, into `movie`, whose strings and vectors are reused: a caller that
// validates many records into one Movie allocates almost nothing. Returns
// false when the row is rejected (then `movie` holds no meaningful value).
bool validate_into(const csv::Record& record, const ColumnMap& columns, DiagnosticSink& sink,
                   Movie& movie);

}  // namespace marquee::model

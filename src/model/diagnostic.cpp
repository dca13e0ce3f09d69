#include "model/diagnostic.hpp"

namespace marquee::model {

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Info: return "info";
  }
  return "unknown";
}

// These names are the `reason` values of errors.jsonl: changing one breaks
// every consumer of the error log.
std::string_view to_string(Reason reason) {
  switch (reason) {
    case Reason::FieldCount: return "field_count";
    case Reason::UnterminatedQuote: return "unterminated_quote";
    case Reason::RecordTooLarge: return "record_too_large";
    case Reason::InvalidId: return "invalid_id";
    case Reason::InvalidBudget: return "invalid_budget";
    case Reason::InvalidRevenue: return "invalid_revenue";
    case Reason::InvalidPopularity: return "invalid_popularity";
    case Reason::InvalidReleaseDate: return "invalid_release_date";
    case Reason::InvalidNumber: return "invalid_number";
    case Reason::MalformedLiteral: return "malformed_literal";
    case Reason::InvalidUtf8: return "invalid_utf8";
    case Reason::DuplicateId: return "duplicate_id";
    case Reason::Repaired: return "repaired";
    case Reason::ConflictingName: return "conflicting_name";
    case Reason::SumOverflow: return "sum_overflow";
    case Reason::InvalidRating: return "invalid_rating";
    case Reason::InvalidLink: return "invalid_link";
    case Reason::DuplicateLink: return "duplicate_link";
    case Reason::LinkWithoutMovie: return "link_without_movie";
    case Reason::UnknownMovielensId: return "unknown_movielens_id";
    case Reason::RatingWithoutMovie: return "rating_without_movie";
  }
  return "unknown";
}

}  // namespace marquee::model

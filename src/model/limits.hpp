#pragma once
// Plausibility ceilings for the figures the rollups add up. Any int64 value
// parses, but the sums of a few of them need not fit: two budgets of 5e18
// would overflow a company's yearly total and fail the whole job over one
// odd record. Values above a ceiling are treated as data errors (the record
// is rejected, or the value nulled, with a reason in the error log), so that
// a valid record can never break a sum. With these ceilings an int64 total
// overflows only past 9.2 million movies at the ceiling in ONE company-year
// or genre-year; the rollups still check every addition and fail the job
// with a manifest and an error-log entry should that ever happen.
#include <cstdint>

namespace marquee::model {

// One trillion dollars: about 300 times the largest box office ever recorded.
inline constexpr std::int64_t kMaxMoney = 1'000'000'000'000;
// One billion votes: about 70,000 times the most-voted movie of the dataset.
inline constexpr std::int64_t kMaxVoteCount = 1'000'000'000;
// TMDB popularity scores stay below a few thousand.
inline constexpr double kMaxPopularity = 1e9;

}  // namespace marquee::model

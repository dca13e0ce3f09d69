#pragma once
// One generated movie's fields and their CSV record (internal to src/generate).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "generate/csv_text.hpp"

namespace marquee::generate::detail {

// ---------------------------------------------------------------------------
// One movie's field values, reused from record to record.

struct Date {
  int year = 0;  // 0: empty
  int month = 0;
  int day = 0;
};

struct Movie {
  std::uint64_t id = 0;
  bool adult = false;
  bool video = false;
  std::string collection;
  std::uint64_t budget = 0;
  std::string genres;
  std::string homepage;
  std::string imdb_id;
  std::string_view original_language;
  std::string original_title;
  std::string overview;
  std::uint64_t popularity_micros = 0;
  std::string poster_path;
  std::string companies;
  std::string countries;
  Date release;
  std::uint64_t revenue = 0;
  int runtime = -1;  // -1: empty
  std::string languages;
  std::string_view status;
  std::string tagline;
  std::string title;
  int vote_average_tenths = 0;
  std::uint64_t vote_count = 0;
  // Set only on a planted defect record.
  Slot defect = Slot::plain;
  std::string id_text;               // non_numeric_id: written instead of id
  std::string_view revenue_fraction; // fractional_revenue: ".5" and the like
};

bool isLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

inline int daysInMonth(int year, int month) {
  static constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && isLeapYear(year) ? 29 : kDays[month - 1];
}

inline void appendDate(std::string& out, const Date& date) {
  if (date.year == 0) return;
  appendPadded(out, date.year, 4);
  out += '-';
  appendPadded(out, date.month, 2);
  out += '-';
  appendPadded(out, date.day, 2);
}

inline void appendCapitalized(std::string& out, std::string_view word) {
  const std::size_t start = out.size();
  out += word;
  if (out[start] >= 'a' && out[start] <= 'z') out[start] = static_cast<char>(out[start] - 'a' + 'A');
}

inline void appendMovie(std::string& out, const Movie& movie) {
  out += movie.adult ? "True," : "False,";
  appendField(out, movie.collection);
  out += ',';
  appendUint(out, movie.budget);
  out += ',';
  appendField(out, movie.genres);
  out += ',';
  appendField(out, movie.homepage);
  out += ',';
  if (movie.defect == Slot::non_numeric_id) out += movie.id_text;
  else appendUint(out, movie.id);
  out += ',';
  out += movie.imdb_id;
  out += ',';
  out += movie.original_language;
  out += ',';
  appendField(out, movie.original_title);
  out += ',';
  // The split defect writes its line break unquoted, as the real file does.
  if (movie.defect == Slot::split_overview) out += movie.overview;
  else appendField(out, movie.overview);
  out += ',';
  appendPopularity(out, movie.popularity_micros);
  out += ',';
  out += movie.poster_path;
  out += ',';
  appendField(out, movie.companies);
  out += ',';
  appendField(out, movie.countries);
  out += ',';
  appendDate(out, movie.release);
  out += ',';
  appendUint(out, movie.revenue);
  out += movie.revenue_fraction;
  out += ',';
  if (movie.runtime >= 0) {
    appendUint(out, static_cast<std::uint64_t>(movie.runtime));
    out += ".0";
  }
  out += ',';
  appendField(out, movie.languages);
  out += ',';
  out += movie.status;
  out += ',';
  appendField(out, movie.tagline);
  out += ',';
  if (movie.defect == Slot::stray_quote) out += '"';  // opens and never closes
  appendField(out, movie.title);
  out += movie.video ? ",True," : ",False,";
  appendUint(out, static_cast<std::uint64_t>(movie.vote_average_tenths / 10));
  out += '.';
  out += static_cast<char>('0' + movie.vote_average_tenths % 10);
  out += ',';
  appendUint(out, movie.vote_count);
  out += "\r\n";
}

}  // namespace marquee::generate::detail

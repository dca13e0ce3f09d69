#include "store/sqlite_file/record.hpp"

#include <algorithm>
#include <bit>
#include <cctype>
#include <cmath>
#include <cstring>
#include <limits>

#include <fmt/format.h>

#include "store/connection.hpp"
#include "store/value_text.hpp"

namespace marquee::store::sqlite_file {
namespace {

bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

// A value as the record stores it: its serial type and what the body holds.
struct Value {
  std::uint64_t serial = 0;  // 0 = NULL
  std::int64_t integer = 0;
  double real = 0;
  std::string_view text;     // the original bytes (U+0000 not yet replaced); unset for a date
  std::size_t nuls = 0;      // U+0000 in `text`, each written as U+FFFD (3 bytes)
  char date[16];             // a Date column's text (in the Value itself: copies stay valid)
  std::size_t date_size = 0;

  std::string_view bytes() const { return date_size != 0 ? std::string_view(date, date_size) : text; }
};

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// The smallest serial type that holds `i` (its body size is body_size's).
std::uint64_t integer_serial(std::int64_t i) {
  const std::uint64_t u = i < 0 ? ~static_cast<std::uint64_t>(i) : static_cast<std::uint64_t>(i);
  if (i == 0 || i == 1) return 8 + static_cast<std::uint64_t>(i);
  if (u <= 127) return 1;
  if (u <= 32767) return 2;
  if (u <= 8388607) return 3;
  if (u <= 2147483647) return 4;
  if (u <= 0x00007fffffffffffULL) return 5;
  return 6;
}

// SQLite's sqlite3VdbeIntegerAffinity: a double that round-trips through an
// int64, other than the two extremes, is stored as that integer.
bool integral(double r, std::int64_t& out) {
  if (!(r > -9223372036854775808.0 && r < 9223372036854775808.0)) return false;
  const auto i = static_cast<std::int64_t>(r);
  if (static_cast<double>(i) != r || i == std::numeric_limits<std::int64_t>::min() ||
      i == std::numeric_limits<std::int64_t>::max()) {
    return false;
  }
  out = i;
  return true;
}

// detail::date_text's "{:04d}-{:02d}-{:02d}" (what SQLite's loader binds),
// without formatting through fmt for every row: the year zero-padded to 4
// characters, its sign included.
std::size_t format_date(std::int32_t days, char* out) {
  int year;
  unsigned month, day;
  table::civil_from_days(days, year, month, day);
  char digits[12];
  std::size_t n = 0;
  unsigned long magnitude = year < 0 ? static_cast<unsigned long>(-static_cast<long>(year))
                                     : static_cast<unsigned long>(year);
  do {
    digits[n++] = static_cast<char>('0' + magnitude % 10);
    magnitude /= 10;
  } while (magnitude != 0);
  std::size_t size = 0;
  if (year < 0) out[size++] = '-';
  for (std::size_t width = n + (year < 0 ? 1 : 0); width < 4; ++width) out[size++] = '0';
  while (n > 0) out[size++] = digits[--n];
  out[size++] = '-';
  out[size++] = static_cast<char>('0' + month / 10);
  out[size++] = static_cast<char>('0' + month % 10);
  out[size++] = '-';
  out[size++] = static_cast<char>('0' + day / 10);
  out[size++] = static_cast<char>('0' + day % 10);
  return size;
}

std::int64_t integer_of(const table::Cell& cell) {
  if (const auto* b = std::get_if<bool>(&cell)) return *b ? 1 : 0;
  if (const auto* i32 = std::get_if<std::int32_t>(&cell)) return *i32;
  return std::get<std::int64_t>(cell);
}

Value value_of(const table::Cell& cell, std::int64_t rowid, const RecordColumn& column) {
  Value v;
  if (column.cell == RecordColumn::kRowid) {
    v.integer = rowid;
    v.serial = 1;  // an integer; append_record picks its serial type
    return v;
  }
  if (column.cell == RecordColumn::kAbsent || std::holds_alternative<table::Null>(cell)) return v;
  switch (column.storage) {
    case Storage::Integer:
      v.integer = integer_of(cell);
      v.serial = 1;
      return v;
    case Storage::Real:
    case Storage::IntegralToInt:
    case Storage::IntegerAsReal: {
      // An integer in a REAL column is the double it converts to (SQLite
      // keeps 48-bit ones as integers on disk, but reads, compares and
      // enforces UNIQUE on them as doubles, as it does the others).
      const double r = column.storage == Storage::IntegerAsReal ? static_cast<double>(integer_of(cell))
                                                                : std::get<double>(cell);
      if (std::isnan(r)) return v;  // sqlite3_bind_double stores NaN as NULL
      if (column.storage != Storage::Real && integral(r, v.integer)) {
        v.serial = 1;
      } else {
        v.real = r;
        v.serial = 7;
      }
      return v;
    }
    case Storage::Text:
      if (const auto* days = std::get_if<std::int32_t>(&cell)) {
        v.date_size = format_date(*days, v.date);
      } else {
        v.text = std::get<std::string_view>(cell);
        if (std::memchr(v.text.data(), '\0', v.text.size()) != nullptr) {
          v.nuls = static_cast<std::size_t>(std::count(v.text.begin(), v.text.end(), '\0'));
        }
      }
      v.serial = 13 + 2 * (v.bytes().size() + 2 * v.nuls);
      return v;
  }
  return v;
}

// The low `bytes` bytes of `value`, most significant first: the last
// `bytes` of its big-endian form.
char* write_be(char* p, std::uint64_t value, std::size_t bytes) {
  const std::uint64_t big = std::endian::native == std::endian::little ? __builtin_bswap64(value) : value;
  char buf[8];
  std::memcpy(buf, &big, 8);
  std::memcpy(p, buf + 8 - bytes, bytes);
  return p + bytes;
}

void put_be(std::string& out, std::uint64_t value, std::size_t bytes) {
  char buf[8];
  out.append(buf, write_be(buf, value, bytes));
}

const table::Cell kNullCell{};

const table::Cell& cell_of(std::span<const table::Cell> row, const RecordColumn& column) {
  return column.cell < row.size() ? row[column.cell] : kNullCell;
}

void put_text(std::string& out, const Value& v, bool fold) {
  if (!fold && v.nuls == 0) {
    out.append(v.bytes());
    return;
  }
  for (const char c : v.bytes()) {
    if (c == '\0') {
      out += kReplacement;
    } else {
      out.push_back(fold && c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    }
  }
}

}  // namespace

Affinity affinity_of(std::string_view declared_type) {
  std::string t(declared_type);
  for (char& c : t) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (contains(t, "INT")) return Affinity::Integer;
  if (contains(t, "CHAR") || contains(t, "CLOB") || contains(t, "TEXT")) return Affinity::Text;
  if (t.empty() || contains(t, "BLOB")) return Affinity::Blob;
  if (contains(t, "REAL") || contains(t, "FLOA") || contains(t, "DOUB")) return Affinity::Real;
  return Affinity::Numeric;
}

Storage storage_of(table::Type type, Affinity affinity, std::string_view where) {
  const auto refuse = [&] {
    return DatabaseError(fmt::format("{}: a {} value in a column of this declared type would be converted "
                                     "by SQLite; the run-file writer does not do that conversion",
                                     where, table::type_name(type)));
  };
  switch (type) {
    case table::Type::Int32:
    case table::Type::Int64:
    case table::Type::Bool:
      if (affinity == Affinity::Text) throw refuse();
      return affinity == Affinity::Real ? Storage::IntegerAsReal : Storage::Integer;
    case table::Type::Double:
      if (affinity == Affinity::Text) throw refuse();
      return affinity == Affinity::Blob ? Storage::Real : Storage::IntegralToInt;
    case table::Type::Date:  // YYYY-MM-DD is never numeric text: stays text under every affinity
      return Storage::Text;
    case table::Type::String:
      if (affinity != Affinity::Text && affinity != Affinity::Blob) throw refuse();
      return Storage::Text;
  }
  throw refuse();
}

namespace {

// SQLite's varint into `out` (9 bytes at most); returns its size.
std::size_t encode_varint(char* out, std::uint64_t value) {
  if (value > 0x00ffffffffffffffULL) {  // nine bytes: the last carries eight bits
    out[8] = static_cast<char>(value & 0xff);
    value >>= 8;
    for (int i = 7; i >= 0; --i) {
      out[i] = static_cast<char>((value & 0x7f) | 0x80);
      value >>= 7;
    }
    return 9;
  }
  char buf[8];
  std::size_t n = 0;
  do {
    buf[n++] = static_cast<char>((value & 0x7f) | 0x80);
    value >>= 7;
  } while (value != 0);
  buf[0] = static_cast<char>(buf[0] & 0x7f);  // buf[0] is the last byte written out
  for (std::size_t i = 0; i < n; ++i) out[i] = buf[n - 1 - i];
  return n;
}

}  // namespace

void put_varint(std::string& out, std::uint64_t value) {
  if (value < 0x80) {  // most: serial types, small sizes
    out.push_back(static_cast<char>(value));
    return;
  }
  char buf[9];
  out.append(buf, encode_varint(buf, value));
}

std::size_t varint_size(std::uint64_t value) {
  if (value > 0x00ffffffffffffffULL) return 9;
  std::size_t n = 1;
  while (value >>= 7) ++n;
  return n;
}

namespace {

char* write_varint(char* p, std::uint64_t value) {
  if (value < 0x80) {
    *p = static_cast<char>(value);
    return p + 1;
  }
  return p + encode_varint(p, value);
}

char* write_text(char* p, const Value& v) {
  const std::string_view bytes = v.bytes();
  if (v.nuls == 0) {
    std::memcpy(p, bytes.data(), bytes.size());
    return p + bytes.size();
  }
  for (const char c : bytes) {
    if (c == '\0') {
      std::memcpy(p, kReplacement.data(), kReplacement.size());
      p += kReplacement.size();
    } else {
      *p++ = c;
    }
  }
  return p;
}

constexpr std::size_t kIntegerBytes[] = {0, 1, 2, 3, 4, 6, 8};

std::size_t body_size(std::uint64_t serial) {
  if (serial >= 12) return static_cast<std::size_t>((serial - 12) / 2);
  if (serial == 7) return 8;
  return serial <= 6 ? kIntegerBytes[serial] : 0;
}

}  // namespace

// Two passes: the serial types and sizes first, so that the record is
// written in place with one resize (appending byte by byte was a fifth of
// a load).
void append_record(std::string& out, std::span<const table::Cell> row, std::int64_t rowid,
                   std::span<const RecordColumn> columns) {
  static thread_local std::vector<Value> values;
  values.resize(columns.size());
  std::size_t types = 0;
  std::size_t bodies = 0;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    Value& v = values[i];
    v = value_of(cell_of(row, columns[i]), rowid, columns[i]);
    if (v.serial == 1) v.serial = integer_serial(v.integer);
    types += varint_size(v.serial);
    bodies += body_size(v.serial);
  }
  std::size_t header = types + 1;
  while (types + varint_size(header) != header) header = types + varint_size(header);
  const std::size_t start = out.size();
  out.resize(start + header + bodies);
  char* p = out.data() + start;
  p = write_varint(p, header);
  for (const Value& v : values) p = write_varint(p, v.serial);
  for (const Value& v : values) {
    if (v.serial >= 13) {
      p = write_text(p, v);
    } else if (v.serial == 7) {
      p = write_be(p, std::bit_cast<std::uint64_t>(v.real), 8);
    } else if (v.serial >= 1 && v.serial <= 6) {
      p = write_be(p, static_cast<std::uint64_t>(v.integer), kIntegerBytes[v.serial]);
    }
  }
}

bool append_sort_key(std::string& out, std::span<const table::Cell> row, std::int64_t rowid,
                     std::span<const RecordColumn> columns) {
  bool any_null = false;
  for (const RecordColumn& column : columns) {
    const Value v = value_of(cell_of(row, column), rowid, column);
    // The type byte orders NULL before values; a column known not to hold
    // NULL needs none, which keeps two integers within the sorter's
    // 16-byte prefix.
    const bool tagged = column.nullable && column.cell != RecordColumn::kRowid;
    if (v.serial == 0) {
      out.push_back('\x01');
      any_null = true;
    } else if (column.storage == Storage::Text && column.cell != RecordColumn::kRowid) {
      if (tagged) out.push_back('\x02');
      put_text(out, v, column.nocase);
      out.push_back('\0');  // no U+0000 remains, so shorter texts sort first, as in memcmp-then-length
    } else if (column.storage == Storage::Integer || column.cell == RecordColumn::kRowid) {
      if (tagged) out.push_back('\x02');
      put_be(out, static_cast<std::uint64_t>(v.integer) ^ (1ULL << 63), 8);
    } else {
      // A double column: every value is compared as the double it came
      // from (exact, whether the record holds it as an integer or not);
      // -0.0 equals 0.0 in SQLite, so they share a key.
      double r = v.serial == 7 ? v.real : static_cast<double>(v.integer);
      if (r == 0) r = 0;
      const auto bits = std::bit_cast<std::uint64_t>(r);
      if (tagged) out.push_back('\x02');
      put_be(out, (bits & (1ULL << 63)) != 0 ? ~bits : bits ^ (1ULL << 63), 8);
    }
  }
  return any_null;
}

}  // namespace marquee::store::sqlite_file

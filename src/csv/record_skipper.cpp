#include "csv/record_skipper.hpp"

#include <cstring>

namespace marquee::csv {
namespace {

// The first byte at or after `from` that is `a` or `b`, or `end`.
std::size_t find_either(std::string_view bytes, std::size_t from, char a, char b) {
  for (std::size_t i = from; i < bytes.size(); ++i) {
    if (bytes[i] == a || bytes[i] == b) return i;
  }
  return bytes.size();
}

std::size_t count_line_feeds(std::string_view bytes) {
  std::size_t count = 0;
  for (const char* p = bytes.data(), *end = bytes.data() + bytes.size();
       (p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)))) != nullptr; ++p) {
    ++count;
  }
  return count;
}

}  // namespace

// Byte by byte only at field boundaries; inside quotes it jumps with memchr,
// since that is where an oversized record spends almost all of its bytes.
RecordSkipper::Fed RecordSkipper::feed(std::string_view bytes) {
  const Fed fed = advance(bytes);
  if (fed.consumed > 0) ends_with_line_feed_ = bytes[fed.consumed - 1] == '\n';
  return fed;
}

RecordSkipper::Fed RecordSkipper::advance(std::string_view bytes) {
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    switch (state_) {
      case State::FieldStart:
        if (bytes[pos] == dialect_.quote) {
          state_ = State::Quoted;
          ++pos;
        } else {
          state_ = State::Unquoted;
        }
        break;
      case State::Unquoted: {
        const std::size_t at = find_either(bytes, pos, dialect_.delimiter, '\n');
        if (at == bytes.size()) return {bytes.size(), false};
        if (bytes[at] == '\n') {
          ++line_feeds_;
          return {at + 1, true};
        }
        state_ = State::FieldStart;
        pos = at + 1;
        break;
      }
      case State::Quoted: {
        const void* quote = std::memchr(bytes.data() + pos, dialect_.quote, bytes.size() - pos);
        const std::size_t at = quote ? static_cast<std::size_t>(static_cast<const char*>(quote) - bytes.data())
                                     : bytes.size();
        line_feeds_ += count_line_feeds(bytes.substr(pos, at - pos));
        if (at == bytes.size()) return {bytes.size(), false};
        state_ = State::QuoteInQuoted;
        pos = at + 1;
        break;
      }
      case State::QuoteInQuoted:
        if (bytes[pos] == dialect_.quote) {
          state_ = State::Quoted;
          ++pos;
        } else {
          state_ = State::Unquoted;  // closed: the byte is handled as unquoted text
        }
        break;
    }
  }
  return {bytes.size(), false};
}

}  // namespace marquee::csv

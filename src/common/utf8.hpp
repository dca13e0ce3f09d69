#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace marquee::utf8 {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool is_valid(std::string_view s);

// `s` with every ill-formed sequence replaced by U+FFFD.
std::string sanitize(std::string_view s);

// The longest prefix of `s` of at most `max_bytes` bytes that does not cut a
// multi-byte character; `s` itself should already be valid UTF-8.
std::string_view truncate(std::string_view s, std::size_t max_bytes);

// A short, valid UTF-8 excerpt of raw input for the error log: at most
// `max_bytes` bytes, ill-formed bytes replaced, never cutting a character.
std::string excerpt(std::string_view raw, std::size_t max_bytes = 200);

// Appends the UTF-8 encoding of `code_point`; returns false (appending
// nothing) for surrogates and values above U+10FFFF.
bool append_code_point(std::string& out, char32_t code_point);

}  // namespace marquee::utf8

#pragma once
// Parser for Python literals (the subset ast.literal_eval accepts that the
// dataset uses). Strings: single or double quotes, with escapes \' \" \\ \n
// \t \r \0 \a \b \f \v \xNN \uNNNN \UNNNNNNNN and backslash-newline; adjacent
// string literals are not concatenated. Numbers: ints (arbitrary sign), floats
// with fraction/exponent, inf/nan are not literals. Output strings are UTF-8.
// String prefixes u/U (no effect) and r/R (raw: no escapes) are accepted; an
// int outside int64 is an error; "(x)" is x, "(x,)" a one-entry list. Beyond
// Python: raw bytes (line breaks, ill-formed UTF-8) inside quotes are copied
// as they are, and repeated dict keys are kept (Value::find gives the last).
// Not supported: triple quotes, \N{...}, bytes, sets, a bare top-level tuple.
#include <cstddef>
#include <string>
#include <string_view>

#include "literal/value.hpp"

namespace marquee::literal {

enum class Outcome {
  Ok,         // the whole text is one literal (surrounding spaces allowed)
  Salvaged,   // a top-level list was cut short by garbage or an error; `value`
              // holds the complete entries parsed before it (at least one,
              // else Failed). Also: any complete value followed by non-space
              // text; `value` is that value.
  Failed,     // nothing usable; `value` is None
};

struct ParseResult {
  Outcome outcome = Outcome::Failed;
  Value value;
  std::size_t error_offset = 0;  // byte offset of the problem (not Ok)
  std::string message;           // what was wrong (not Ok), for the error log
};

// Parses `text`. Never throws on malformed input; nesting deeper than 64
// levels is an error (no stack overflow on hostile input).
ParseResult parse(std::string_view text);

}  // namespace marquee::literal

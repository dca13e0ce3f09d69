#pragma once
#include <string>

#include "common/error.hpp"

namespace marquee::parquet {

// A Parquet file that cannot be read: truncated, corrupt, or using a feature
// this reader refuses. The reader prefixes the message with the file name, so
// the decoders below it throw without one.
class ParquetError : public InputError {
 public:
  explicit ParquetError(const std::string& message) : InputError(message) {}
};

}  // namespace marquee::parquet

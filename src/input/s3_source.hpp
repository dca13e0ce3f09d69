#pragma once
// Internal to src/input: inputs in S3 (or any S3-compatible store).
//  - s3://BUCKET/KEY: the object as CSV, or, when its first bytes are a zip
//    signature (or KEY ends in .zip), the archive's member, read in place:
//    libzip reads the central directory and the member through ranged GETs,
//    nothing is downloaded to disk;
//  - s3://BUCKET/PREFIX/ (ending in '/'): PREFIX/movies_metadata.csv.
// Memory stays at one window of the object (objstore::RangedReader) plus
// libzip's own buffers.
#include <memory>
#include <string>

#include "input/byte_source.hpp"

namespace marquee::input {

std::unique_ptr<ByteSource> open_s3_source(const std::string& url, const std::string& member);

}  // namespace marquee::input

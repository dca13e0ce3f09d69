#pragma once
// Where the bytes of a CSV come from. The CSV reader sees only this interface,
// so a plain file, a zip member or (later) an S3 object look the same to it.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace marquee::input {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to `size` bytes into `buffer`; returns 0 only at end of input.
  // Throws marquee::InputError naming the source on a read failure.
  virtual std::size_t read(char* buffer, std::size_t size) = 0;
  // Human-readable name for messages and the manifest, e.g.
  // "data/the-movies-dataset.zip:movies_metadata.csv".
  virtual const std::string& name() const = 0;
  // Uncompressed size in bytes when known up front (for progress reporting).
  virtual std::optional<std::uint64_t> size() const = 0;
};

// Opens INPUT as `marquee etl` accepts it:
//  - a regular file: read as CSV (a file whose first bytes are a zip signature
//    is opened as an archive instead);
//  - a directory: its `movies_metadata.csv` (looked up by exact name);
//  - a .zip archive: the member named `movies_metadata.csv` (at any depth),
//    streamed straight from the archive, never extracted to disk;
//  - s3://BUCKET/KEY or s3://BUCKET/PREFIX/: the same, from S3 (s3_source.hpp).
// Throws marquee::InputError with a message naming the path (and member) when
// the path is missing, unreadable, not a valid archive, or lacks the member.
std::unique_ptr<ByteSource> open_input(const std::string& path,
                                       const std::string& member = "movies_metadata.csv");

// A source over bytes in memory (tests, benchmarks).
std::unique_ptr<ByteSource> memory_source(std::string data, std::string name = "<memory>");

}  // namespace marquee::input

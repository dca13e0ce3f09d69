#pragma once
// Page compression: ZSTD (libzstd), SNAPPY (libsnappy) or none.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "parquet/metadata.hpp"
#include "parquet/options.hpp"

namespace marquee::parquet {

format::Codec codec_of(Compression compression);

// Compresses pages with one codec, reusing its context between pages.
class Compressor {
 public:
  explicit Compressor(Compression compression, int zstd_level = 1);
  ~Compressor();
  Compressor(const Compressor&) = delete;
  Compressor& operator=(const Compressor&) = delete;
  // Replaces `out` with the compressed form of `in`.
  void compress(std::string_view in, std::string& out);
  Compression compression() const { return compression_; }

 private:
  Compression compression_;
  int zstd_level_;
  struct ZstdContext;
  std::unique_ptr<ZstdContext> zstd_;
};

// Decompresses pages; throws ParquetError for corrupt input, or when the
// data does not decompress to exactly `uncompressed_size` bytes. Refuses
// codecs other than UNCOMPRESSED, SNAPPY and ZSTD with a ParquetError naming them.
class Decompressor {
 public:
  Decompressor();
  ~Decompressor();
  Decompressor(const Decompressor&) = delete;
  Decompressor& operator=(const Decompressor&) = delete;
  void decompress(format::Codec codec, std::string_view in, std::size_t uncompressed_size, std::string& out);

 private:
  struct ZstdContext;
  std::unique_ptr<ZstdContext> zstd_;
};

bool codec_supported(format::Codec codec);

}  // namespace marquee::parquet

#include "parquet/compression.hpp"

#include <snappy.h>
#include <zstd.h>

#include "parquet/error.hpp"

namespace marquee::parquet {

format::Codec codec_of(Compression compression) {
  switch (compression) {
    case Compression::None: return format::Codec::Uncompressed;
    case Compression::Snappy: return format::Codec::Snappy;
    case Compression::Zstd: return format::Codec::Zstd;
  }
  return format::Codec::Uncompressed;
}

bool codec_supported(format::Codec codec) {
  return codec == format::Codec::Uncompressed || codec == format::Codec::Snappy || codec == format::Codec::Zstd;
}

struct Compressor::ZstdContext {
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ~ZstdContext() { ZSTD_freeCCtx(cctx); }
};

Compressor::Compressor(Compression compression, int zstd_level)
    : compression_(compression), zstd_level_(zstd_level) {
  if (compression_ == Compression::Zstd) {
    zstd_ = std::make_unique<ZstdContext>();
    if (zstd_->cctx == nullptr) throw std::bad_alloc();
  }
}

Compressor::~Compressor() = default;

void Compressor::compress(std::string_view in, std::string& out) {
  switch (compression_) {
    case Compression::None: out.assign(in); return;
    case Compression::Snappy: {
      out.resize(snappy::MaxCompressedLength(in.size()));
      std::size_t size = 0;
      snappy::RawCompress(in.data(), in.size(), out.data(), &size);
      out.resize(size);
      return;
    }
    case Compression::Zstd: {
      out.resize(ZSTD_compressBound(in.size()));
      const std::size_t size = ZSTD_compressCCtx(zstd_->cctx, out.data(), out.size(), in.data(), in.size(), zstd_level_);
      if (ZSTD_isError(size)) throw std::runtime_error(std::string("zstd compression failed: ") + ZSTD_getErrorName(size));
      out.resize(size);
      return;
    }
  }
}

struct Decompressor::ZstdContext {
  ZSTD_DCtx* dctx = ZSTD_createDCtx();
  ~ZstdContext() { ZSTD_freeDCtx(dctx); }
};

Decompressor::Decompressor() : zstd_(std::make_unique<ZstdContext>()) {
  if (zstd_->dctx == nullptr) throw std::bad_alloc();
}

Decompressor::~Decompressor() = default;

namespace {

[[noreturn]] void size_mismatch(format::Codec codec, std::size_t expected, unsigned long long actual) {
  throw ParquetError(std::string(format::codec_name(codec)) + " page decompresses to " + std::to_string(actual) +
                     " bytes, header says " + std::to_string(expected));
}

}  // namespace

void Decompressor::decompress(format::Codec codec, std::string_view in, std::size_t uncompressed_size,
                              std::string& out) {
  switch (codec) {
    case format::Codec::Uncompressed:
      if (in.size() != uncompressed_size) size_mismatch(codec, uncompressed_size, in.size());
      out.assign(in);
      return;
    case format::Codec::Snappy: {
      // The declared length is checked before anything is allocated for it.
      std::size_t length = 0;
      if (!snappy::GetUncompressedLength(in.data(), in.size(), &length)) {
        throw ParquetError("SNAPPY decompression failed: corrupt length header");
      }
      if (length != uncompressed_size) size_mismatch(codec, uncompressed_size, length);
      out.resize(length);
      if (!snappy::RawUncompress(in.data(), in.size(), out.data())) {
        throw ParquetError("SNAPPY decompression failed: corrupt data");
      }
      return;
    }
    case format::Codec::Zstd: {
      const unsigned long long declared = ZSTD_getFrameContentSize(in.data(), in.size());
      if (declared == ZSTD_CONTENTSIZE_ERROR) throw ParquetError("ZSTD decompression failed: not a zstd frame");
      // Only the first frame declares its size; several frames may follow.
      if (declared != ZSTD_CONTENTSIZE_UNKNOWN && declared > uncompressed_size) {
        size_mismatch(codec, uncompressed_size, declared);
      }
      out.resize(uncompressed_size);
      const std::size_t size = ZSTD_decompressDCtx(zstd_->dctx, out.data(), out.size(), in.data(), in.size());
      if (ZSTD_isError(size)) throw ParquetError(std::string("ZSTD decompression failed: ") + ZSTD_getErrorName(size));
      if (size != uncompressed_size) size_mismatch(codec, uncompressed_size, size);
      return;
    }
    default:
      throw ParquetError("unsupported compression codec " + std::string(format::codec_name(codec)) + " (" +
                         std::to_string(static_cast<int>(codec)) + ")");
  }
}

}  // namespace marquee::parquet

#pragma once
// Parquet value and level encodings (apache/parquet-format Encodings.md):
// PLAIN, and the RLE/bit-packed hybrid used for definition levels and
// dictionary indices. Hand-written: they are the writer's hot path.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

namespace marquee::parquet {

// Bits needed to store values up to `max_value` (0 for 0).
int bit_width(std::uint32_t max_value);

// ---- PLAIN, little-endian ----
// Inline: the writer calls them once per value. PLAIN is little-endian,
// as the machines Marquee builds for are, so a value's bytes are appended as
// they sit in memory.
namespace detail {
static_assert(std::endian::native == std::endian::little, "PLAIN encoding assumes a little-endian host");
template <typename Unsigned>
[[gnu::always_inline]] inline void append_le(std::string& out, Unsigned value) {
  char bytes[sizeof(Unsigned)];
  std::memcpy(bytes, &value, sizeof(Unsigned));
  out.append(bytes, sizeof(Unsigned));
}
}  // namespace detail

inline void append_plain_i32(std::string& out, std::int32_t value) {
  detail::append_le(out, static_cast<std::uint32_t>(value));
}
inline void append_plain_i64(std::string& out, std::int64_t value) {
  detail::append_le(out, static_cast<std::uint64_t>(value));
}
inline void append_plain_double(std::string& out, double value) {
  detail::append_le(out, std::bit_cast<std::uint64_t>(value));
}
inline void append_plain_byte_array(std::string& out, std::string_view value) {
  detail::append_le(out, static_cast<std::uint32_t>(value.size()));
  out.append(value);
}

// PLAIN booleans: one bit per value, least significant bit first.
class BoolPacker {
 public:
  void put(bool value);
  // Appends the packed bits (last byte zero-padded) and resets.
  void flush_to(std::string& out);
  std::size_t size_bytes() const { return bytes_.size() + (bits_ != 0 ? 1 : 0); }

 private:
  std::string bytes_;
  std::uint8_t current_ = 0;
  int bits_ = 0;
};

// Streaming RLE/bit-packed hybrid encoder with a fixed bit width. Runs of 8
// or more equal values become RLE runs; the rest are bit-packed in groups of
// 8 (the last group zero-padded), at most 63 groups per bit-packed run so
// its header stays one byte.
class RleEncoder {
 public:
  explicit RleEncoder(int bit_width);
  // Inline: definition levels take one per value written.
  void put(std::uint32_t value) {
    if (value == previous_) {
      ++repeat_count_;
      // From the 8th repeat on the run is RLE; the 7 before it sit in the
      // buffer and are dropped when the run is written.
      if (repeat_count_ >= 8) return;
    } else {
      if (repeat_count_ >= 8) write_rle_run();
      repeat_count_ = 1;
      previous_ = value;
    }
    buffered_[num_buffered_++] = value;
    if (num_buffered_ == 8) pack_buffered_group();
  }
  // Appends the encoded runs (without a length prefix) and resets.
  void flush_to(std::string& out);
  std::size_t estimated_size() const { return out_.size() + 8 + bit_width_; }
  int bit_width() const { return bit_width_; }

 private:
  void write_rle_run();
  void pack_buffered_group();
  void end_bit_packed_run();
  int bit_width_;
  int byte_width_;
  std::string out_;
  std::uint32_t buffered_[8] = {};
  int num_buffered_ = 0;
  std::uint32_t previous_ = 0;
  std::uint64_t repeat_count_ = 0;
  int bit_packed_groups_ = 0;
  std::ptrdiff_t bit_packed_header_ = -1;
};

// Decodes the RLE/bit-packed hybrid from a bounded buffer. Throws
// ParquetError when the runs end before the values asked for, or a value is
// wider than the bit width; never reads outside `data`.
class RleDecoder {
 public:
  RleDecoder() = default;
  RleDecoder(std::span<const std::uint8_t> data, int bit_width);
  std::uint32_t next();

 private:
  void load_run();
  std::uint32_t unpack(std::size_t bit_position) const;
  std::span<const std::uint8_t> data_;
  std::size_t pos_ = 0;
  int bit_width_ = 0;
  std::uint64_t rle_remaining_ = 0;
  std::uint32_t rle_value_ = 0;
  std::uint64_t packed_remaining_ = 0;
  std::size_t packed_bit_ = 0;  // bit offset of the next packed value in data_
};

// Reads PLAIN values from a bounded buffer; throws ParquetError past its end.
class PlainDecoder {
 public:
  PlainDecoder() = default;
  explicit PlainDecoder(std::span<const std::uint8_t> data) : data_(data) {}
  std::int32_t next_i32();
  std::int64_t next_i64();
  double next_double();
  std::string_view next_byte_array();
  bool next_bool();
  // Bytes not yet consumed (booleans: counted in whole bytes started).
  std::size_t remaining() const;

 private:
  const std::uint8_t* take(std::size_t size);
  std::span<const std::uint8_t> data_;
  std::size_t pos_ = 0;
  int bit_ = 0;  // next bit within data_[pos_] for booleans
};

}  // namespace marquee::parquet

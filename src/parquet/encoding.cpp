#include "parquet/encoding.hpp"

#include <bit>
#include <cstring>

#include "parquet/error.hpp"
#include "parquet/thrift_compact.hpp"

namespace marquee::parquet {

int bit_width(std::uint32_t max_value) { return 32 - std::countl_zero(max_value); }

namespace {

template <typename Unsigned>
Unsigned load_le(const std::uint8_t* p) {
  Unsigned value = 0;
  for (std::size_t i = 0; i < sizeof(Unsigned); ++i) value |= static_cast<Unsigned>(p[i]) << (8 * i);
  return value;
}

}  // namespace

// ---- BoolPacker ----

void BoolPacker::put(bool value) {
  current_ |= static_cast<std::uint8_t>(value) << bits_;
  if (++bits_ == 8) {
    bytes_.push_back(static_cast<char>(current_));
    current_ = 0;
    bits_ = 0;
  }
}

void BoolPacker::flush_to(std::string& out) {
  out.append(bytes_);
  if (bits_ != 0) out.push_back(static_cast<char>(current_));
  bytes_.clear();
  current_ = 0;
  bits_ = 0;
}

// ---- RleEncoder ----

RleEncoder::RleEncoder(int bit_width) : bit_width_(bit_width), byte_width_((bit_width + 7) / 8) {}

void RleEncoder::pack_buffered_group() {
  if (bit_packed_groups_ == 63) end_bit_packed_run();
  if (bit_packed_header_ < 0) {
    bit_packed_header_ = static_cast<std::ptrdiff_t>(out_.size());
    out_.push_back(0);  // filled in by end_bit_packed_run
  }
  // 8 values of bit_width_ bits fill exactly bit_width_ bytes, LSB first.
  std::uint64_t acc = 0;
  int acc_bits = 0;
  for (std::uint32_t v : buffered_) {
    acc |= static_cast<std::uint64_t>(v) << acc_bits;
    acc_bits += bit_width_;
    while (acc_bits >= 8) {
      out_.push_back(static_cast<char>(acc & 0xFF));
      acc >>= 8;
      acc_bits -= 8;
    }
  }
  num_buffered_ = 0;
  repeat_count_ = 0;
  ++bit_packed_groups_;
}

void RleEncoder::end_bit_packed_run() {
  if (bit_packed_header_ < 0) return;
  out_[static_cast<std::size_t>(bit_packed_header_)] = static_cast<char>((bit_packed_groups_ << 1) | 1);
  bit_packed_header_ = -1;
  bit_packed_groups_ = 0;
}

void RleEncoder::write_rle_run() {
  end_bit_packed_run();
  thrift::append_varint(out_, repeat_count_ << 1);
  for (int i = 0; i < byte_width_; ++i) out_.push_back(static_cast<char>(previous_ >> (8 * i)));
  repeat_count_ = 0;
  num_buffered_ = 0;
}

void RleEncoder::flush_to(std::string& out) {
  if (repeat_count_ >= 8) {
    write_rle_run();
  } else if (num_buffered_ > 0) {
    for (int i = num_buffered_; i < 8; ++i) buffered_[i] = 0;
    pack_buffered_group();
    end_bit_packed_run();
  } else {
    end_bit_packed_run();
  }
  out.append(out_);
  out_.clear();
  previous_ = 0;
  repeat_count_ = 0;
  num_buffered_ = 0;
}

// ---- RleDecoder ----

RleDecoder::RleDecoder(std::span<const std::uint8_t> data, int bit_width) : data_(data), bit_width_(bit_width) {
  if (bit_width < 0 || bit_width > 32) throw ParquetError("RLE bit width " + std::to_string(bit_width) + " out of range");
}

void RleDecoder::load_run() {
  std::uint64_t header = 0;
  for (int i = 0;; ++i) {
    if (pos_ >= data_.size()) throw ParquetError("RLE/bit-packed data ended before all values were read");
    if (i == 5) throw ParquetError("RLE run header too long");
    const std::uint8_t b = data_[pos_++];
    header |= static_cast<std::uint64_t>(b & 0x7F) << (7 * i);
    if ((b & 0x80) == 0) break;
  }
  if (header & 1) {
    const std::uint64_t values = (header >> 1) * 8;
    const std::uint64_t declared_bytes = (header >> 1) * static_cast<std::uint64_t>(bit_width_);
    const std::uint64_t available = std::min<std::uint64_t>(declared_bytes, data_.size() - pos_);
    // A truncated last run still yields the values whose bits are present.
    packed_remaining_ = bit_width_ == 0 ? values : std::min<std::uint64_t>(values, available * 8 / bit_width_);
    packed_bit_ = pos_ * 8;
    pos_ += available;
  } else {
    const int byte_width = (bit_width_ + 7) / 8;
    if (data_.size() - pos_ < static_cast<std::size_t>(byte_width)) {
      throw ParquetError("RLE run value past end of data");
    }
    std::uint64_t value = 0;
    for (int i = 0; i < byte_width; ++i) value |= static_cast<std::uint64_t>(data_[pos_ + i]) << (8 * i);
    pos_ += static_cast<std::size_t>(byte_width);
    if (bit_width_ < 32 && (value >> bit_width_) != 0) throw ParquetError("RLE run value wider than bit width");
    rle_value_ = static_cast<std::uint32_t>(value);
    rle_remaining_ = header >> 1;
  }
}

std::uint32_t RleDecoder::unpack(std::size_t bit_position) const {
  // At most 32 + 7 bits span 5 bytes; load_run guaranteed they lie inside data_.
  std::uint64_t acc = 0;
  const std::size_t first = bit_position / 8;
  const std::size_t last = (bit_position + static_cast<std::size_t>(bit_width_) - 1) / 8;
  for (std::size_t i = first; i <= last; ++i) acc |= static_cast<std::uint64_t>(data_[i]) << (8 * (i - first));
  acc >>= bit_position % 8;
  return static_cast<std::uint32_t>(acc & ((std::uint64_t{1} << bit_width_) - 1));
}

std::uint32_t RleDecoder::next() {
  while (rle_remaining_ == 0 && packed_remaining_ == 0) load_run();
  if (rle_remaining_ > 0) {
    --rle_remaining_;
    return rle_value_;
  }
  --packed_remaining_;
  if (bit_width_ == 0) return 0;
  const std::uint32_t value = unpack(packed_bit_);
  packed_bit_ += static_cast<std::size_t>(bit_width_);
  return value;
}

// ---- PlainDecoder ----

const std::uint8_t* PlainDecoder::take(std::size_t size) {
  if (data_.size() - pos_ < size) throw ParquetError("PLAIN data ended before all values were read");
  const std::uint8_t* p = data_.data() + pos_;
  pos_ += size;
  return p;
}

std::int32_t PlainDecoder::next_i32() { return static_cast<std::int32_t>(load_le<std::uint32_t>(take(4))); }
std::int64_t PlainDecoder::next_i64() { return static_cast<std::int64_t>(load_le<std::uint64_t>(take(8))); }
double PlainDecoder::next_double() { return std::bit_cast<double>(load_le<std::uint64_t>(take(8))); }

std::string_view PlainDecoder::next_byte_array() {
  const std::uint32_t length = load_le<std::uint32_t>(take(4));
  const std::uint8_t* p = take(length);
  return {reinterpret_cast<const char*>(p), length};
}

bool PlainDecoder::next_bool() {
  if (pos_ >= data_.size()) throw ParquetError("PLAIN data ended before all values were read");
  const bool value = (data_[pos_] >> bit_) & 1;
  if (++bit_ == 8) {
    bit_ = 0;
    ++pos_;
  }
  return value;
}

std::size_t PlainDecoder::remaining() const { return data_.size() - pos_ - (bit_ > 0 ? 1 : 0); }

}  // namespace marquee::parquet

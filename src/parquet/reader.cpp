#include "parquet/reader.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "parquet/column_reader.hpp"
#include "parquet/compression.hpp"
#include "parquet/schema_mapping.hpp"

namespace marquee::parquet {

namespace {

constexpr std::string_view kMagic = "PAR1";
constexpr std::string_view kEncryptedMagic = "PARE";
// Footers beyond this are refused rather than read into memory.
constexpr std::uint64_t kMaxFooterBytes = 64u << 20;
// Rows handed out per batch; bounded further by page boundaries.
constexpr std::size_t kBatchRows = 1024;

// A chunk starts at its dictionary page when it has one. Some writers set
// dictionary_page_offset to 0 for "none", so only a plausible one counts.
std::int64_t chunk_start(const format::ColumnMetaData& meta) {
  if (meta.dictionary_page_offset && *meta.dictionary_page_offset >= 4) {
    return std::min(*meta.dictionary_page_offset, meta.data_page_offset);
  }
  return meta.data_page_offset;
}

}  // namespace

// Random access to the file's bytes: a file descriptor, or a memory image.
class ParquetReader::Source {
 public:
  virtual ~Source() = default;
  virtual std::uint64_t size() const = 0;
  // Reads exactly [offset, offset + length), which the caller has checked
  // lies inside the file.
  virtual std::string read(std::uint64_t offset, std::size_t length) const = 0;
};

namespace {

class FileSource : public ParquetReader::Source {
 public:
  explicit FileSource(const std::filesystem::path& path) : path_(path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw ParquetError(path.string() + ": cannot open: " + std::strerror(errno));
    const off_t end = ::lseek(fd_, 0, SEEK_END);
    if (end < 0) {
      ::close(fd_);
      throw ParquetError(path.string() + ": cannot seek: " + std::strerror(errno));
    }
    size_ = static_cast<std::uint64_t>(end);
  }
  ~FileSource() override { ::close(fd_); }
  std::uint64_t size() const override { return size_; }
  std::string read(std::uint64_t offset, std::size_t length) const override {
    std::string out(length, '\0');
    std::size_t done = 0;
    while (done < length) {
      const ssize_t n = ::pread(fd_, out.data() + done, length - done, static_cast<off_t>(offset + done));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw ParquetError("read error: " + std::string(std::strerror(errno)));
      if (n == 0) throw ParquetError("file shrank while being read");
      done += static_cast<std::size_t>(n);
    }
    return out;
  }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
};

class MemorySource : public ParquetReader::Source {
 public:
  explicit MemorySource(std::string bytes) : bytes_(std::move(bytes)) {}
  std::uint64_t size() const override { return bytes_.size(); }
  std::string read(std::uint64_t offset, std::size_t length) const override { return bytes_.substr(offset, length); }

 private:
  std::string bytes_;
};

}  // namespace

ParquetReader::ParquetReader(const std::filesystem::path& path)
    : source_(std::make_unique<FileSource>(path)), name_(path.string()), table_name_(path.stem().string()) {
  open();
}

ParquetReader::ParquetReader(std::string bytes, std::string name)
    : source_(std::make_unique<MemorySource>(std::move(bytes))), name_(name), table_name_(std::move(name)) {
  open();
}

ParquetReader::~ParquetReader() = default;

void ParquetReader::fail(const std::string& what) const { throw ParquetError(name_ + ": " + what); }

void ParquetReader::open() {
  const std::uint64_t size = source_->size();
  if (size < 12) fail("truncated: " + std::to_string(size) + " bytes is too small for a Parquet file");
  try {
    if (source_->read(0, 4) != kMagic) fail("bad magic: not a Parquet file (no PAR1 at the start)");
    const std::string tail = source_->read(size - 8, 8);
    const std::string_view end_magic = std::string_view(tail).substr(4);
    if (end_magic == kEncryptedMagic) fail("unsupported feature: encrypted footer (PARE)");
    if (end_magic != kMagic) fail("bad magic at the end: truncated or not a Parquet file (no PAR1 at the end)");
    std::uint32_t footer_length = 0;
    for (int i = 0; i < 4; ++i) footer_length |= static_cast<std::uint32_t>(static_cast<unsigned char>(tail[i])) << (8 * i);
    if (footer_length == 0 || footer_length > size - 12) {
      fail("corrupt footer: length " + std::to_string(footer_length) + " does not fit in a file of " +
           std::to_string(size) + " bytes (truncated?)");
    }
    if (footer_length > kMaxFooterBytes) fail("footer of " + std::to_string(footer_length) + " bytes exceeds the limit");
    footer_start_ = size - 8 - footer_length;
    const std::string footer = source_->read(footer_start_, footer_length);
    try {
      metadata_ = format::parse_file_metadata(footer);
    } catch (const ParquetError& e) {
      fail(std::string("corrupt footer metadata: ") + e.what());
    }
    validate_metadata();
  } catch (const ParquetError& e) {
    if (std::string_view(e.what()).starts_with(name_ + ": ")) throw;
    fail(e.what());
  }
}

void ParquetReader::validate_metadata() {
  if (metadata_.encrypted) fail("unsupported feature: encrypted file");
  try {
    schema_ = from_parquet_schema(metadata_.schema, table_name_);
  } catch (const ParquetError& e) {
    fail(e.what());
  }
  if (metadata_.num_rows < 0) fail("corrupt metadata: negative row count");
  std::int64_t rows = 0;
  for (std::size_t g = 0; g < metadata_.row_groups.size(); ++g) {
    const format::RowGroup& group = metadata_.row_groups[g];
    const std::string where = "row group " + std::to_string(g) + ": ";
    if (group.num_rows < 0) fail("corrupt metadata: " + where + "negative row count");
    if (group.num_rows > metadata_.num_rows - rows) fail("corrupt metadata: row groups hold more rows than the file");
    rows += group.num_rows;
    if (group.columns.size() != schema_.columns.size()) {
      fail("corrupt metadata: " + where + std::to_string(group.columns.size()) + " column chunks for " +
           std::to_string(schema_.columns.size()) + " columns");
    }
    for (std::size_t c = 0; c < group.columns.size(); ++c) {
      const format::ColumnChunk& chunk = group.columns[c];
      const std::string column = where + "column '" + schema_.columns[c].name + "': ";
      if (chunk.encrypted) fail("unsupported feature: " + column + "encrypted column");
      if (chunk.file_path) fail("unsupported feature: " + column + "column data in another file");
      if (!chunk.meta_data) fail("corrupt metadata: " + column + "no column metadata");
      const format::ColumnMetaData& meta = *chunk.meta_data;
      if (meta.path_in_schema.size() != 1 || meta.path_in_schema[0] != schema_.columns[c].name) {
        fail("corrupt metadata: " + column + "path_in_schema does not name the column");
      }
      const std::int64_t start = chunk_start(meta);
      const auto footer_start = static_cast<std::int64_t>(footer_start_);
      if (start < 4 || meta.total_compressed_size < 0 || start > footer_start ||
          meta.total_compressed_size > footer_start - start) {
        fail("corrupt metadata: " + column + "column chunk at offset " + std::to_string(start) + ", " +
             std::to_string(meta.total_compressed_size) + " bytes, lies outside the data region (4.." +
             std::to_string(footer_start_) + ")");
      }
    }
  }
  if (rows != metadata_.num_rows) {
    fail("corrupt metadata: file says " + std::to_string(metadata_.num_rows) + " rows, row groups hold " +
         std::to_string(rows));
  }
}

std::optional<std::string> ParquetReader::key_value(std::string_view key) const {
  for (const format::KeyValue& kv : metadata_.key_value_metadata) {
    if (kv.key == key) return kv.value.value_or("");
  }
  return std::nullopt;
}

std::vector<std::unique_ptr<ColumnChunkReader>> ParquetReader::open_chunks(std::size_t index,
                                                                         Decompressor& decompressor) const {
  const format::RowGroup& group = metadata_.row_groups[index];
  std::vector<std::unique_ptr<ColumnChunkReader>> columns;
  for (std::size_t c = 0; c < schema_.columns.size(); ++c) {
    const format::ColumnMetaData& meta = *group.columns[c].meta_data;
    // validate_metadata() checked that the range lies inside the data region.
    std::string bytes = source_->read(static_cast<std::uint64_t>(chunk_start(meta)),
                                      static_cast<std::size_t>(meta.total_compressed_size));
    columns.push_back(std::make_unique<ColumnChunkReader>(schema_.columns[c], meta, std::move(bytes),
                                                          group.num_rows, decompressor));
  }
  return columns;
}

void ParquetReader::read_row_group(std::size_t index, const RowCallback& callback) {
  if (index >= metadata_.row_groups.size()) throw std::out_of_range("row group index out of range");
  const std::string where = "row group " + std::to_string(index) + ": ";
  Decompressor decompressor;
  std::vector<std::unique_ptr<ColumnChunkReader>> columns;
  try {
    columns = open_chunks(index, decompressor);
  } catch (const ParquetError& e) {
    fail(where + e.what());
  }
  // Column-major batch: column c's cells at batch[c * kBatchRows ...].
  const std::size_t width = columns.size();
  std::vector<table::Cell> batch(width * kBatchRows);
  std::vector<table::Cell> row(width);
  auto rows_left = static_cast<std::uint64_t>(metadata_.row_groups[index].num_rows);
  while (rows_left > 0) {
    std::size_t count = static_cast<std::size_t>(std::min<std::uint64_t>(kBatchRows, rows_left));
    try {
      for (auto& column : columns) count = std::min(count, column->available());
      for (std::size_t c = 0; c < width; ++c) columns[c]->read(count, &batch[c * kBatchRows]);
    } catch (const ParquetError& e) {
      fail(where + e.what());
    }
    for (std::size_t r = 0; r < count; ++r) {
      for (std::size_t c = 0; c < width; ++c) row[c] = batch[c * kBatchRows + r];
      callback(row);
    }
    rows_left -= count;
  }
  try {
    for (auto& column : columns) column->finish();
  } catch (const ParquetError& e) {
    fail(where + e.what());
  }
}

void ParquetReader::for_each_row(const RowCallback& callback) {
  for (std::size_t g = 0; g < metadata_.row_groups.size(); ++g) read_row_group(g, callback);
}

void ParquetReader::copy_to(table::TableWriter& writer) {
  for_each_row([&](std::span<const table::Cell> row) { writer.write_row(row); });
}

}  // namespace marquee::parquet

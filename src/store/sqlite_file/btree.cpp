#include "store/sqlite_file/btree.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include "store/connection.hpp"
#include "store/sqlite_file/record.hpp"

namespace marquee::store::sqlite_file {
namespace {

void put_be32(std::string& out, std::uint32_t v) {
  const char b[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
                     static_cast<char>(v)};
  out.append(b, 4);
}

void set_be16(std::string& page, std::size_t at, std::uint32_t v) {
  page[at] = static_cast<char>((v >> 8) & 0xff);
  page[at + 1] = static_cast<char>(v & 0xff);
}

void set_be32(std::string& page, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) page[at + i] = static_cast<char>((v >> (24 - 8 * i)) & 0xff);
}

std::uint32_t be32(std::string_view bytes) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[i]);
  return v;
}

// SQLite reserves no bytes at the end of our pages, so the usable size U is
// the page size. Cells shorter than 4 bytes still take 4 (cellSizePtr).
constexpr std::size_t kMinCell = 4;

}  // namespace

PageFile::PageFile(const std::filesystem::path& path, std::uint32_t page_size)
    : path_(path), page_size_(page_size) {
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    throw DatabaseError(fmt::format("cannot create run file {}: {}", path.string(), std::strerror(errno)));
  }
  try {
    writeback_thread_ = std::thread([this] { writeback_loop(); });
  } catch (...) {
    ::close(fd_);  // the destructor does not run for a constructor that throws
    throw;
  }
}

PageFile::~PageFile() {
  {
    const std::lock_guard lock(writeback_mutex_);
    closing_ = true;
  }
  writeback_wanted_.notify_one();
  if (writeback_thread_.joinable()) writeback_thread_.join();
  if (fd_ >= 0) ::close(fd_);
}

// So that the fsync which makes the file durable finds little left to
// write: it took a second for a 371 MB file written back all at once. Only
// a hint: an error here is the final fsync's to report.
void PageFile::writeback_loop() {
  std::unique_lock lock(writeback_mutex_);
  while (true) {
    writeback_wanted_.wait(lock, [this] { return writeback_ || closing_; });
    if (closing_) return;
    writeback_ = false;
    lock.unlock();
    ::sync_file_range(fd_, 0, 0, SYNC_FILE_RANGE_WRITE);
    lock.lock();
  }
}

std::uint32_t PageFile::allocate() {
  std::uint32_t number = next_.fetch_add(1);
  // The page holding byte 2^30 is SQLite's lock-byte page, which no B-tree
  // or overflow page may be (fileformat2, "The Lock-Byte Page"): it is left
  // as a hole of zeros. Files under 1 GiB have none.
  if (number == lock_byte_page()) number = next_.fetch_add(1);
  if (number == 0 || number > 4294967294u) {
    next_ = 4294967295u;  // stays refused
    throw DatabaseError(fmt::format("run file {}: more pages than a SQLite file can have", path_.string()));
  }
  return number;
}

void PageFile::write(std::uint32_t number, std::string_view page) {
  const auto offset = static_cast<off_t>(number - 1) * page_size_;
  std::size_t done = 0;
  while (done < page.size()) {
    const ssize_t n = ::pwrite(fd_, page.data() + done, page.size() - done, offset + static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      throw DatabaseError(fmt::format("cannot write run file {}: {}", path_.string(),
                                      n < 0 ? std::strerror(errno) : "no progress"));
    }
    done += static_cast<std::size_t>(n);
  }
  constexpr std::uint64_t kWritebackEvery = 8u << 20;
  if (unflushed_.fetch_add(page.size()) + page.size() >= kWritebackEvery) {
    unflushed_ = 0;
    {
      const std::lock_guard lock(writeback_mutex_);
      writeback_ = true;
    }
    writeback_wanted_.notify_one();
  }
}

PageBuilder::PageBuilder(std::uint32_t page_size, bool leaf, std::uint32_t header_offset)
    : page_size_(page_size), header_offset_(header_offset), header_size_(leaf ? 8 : 12) {}

bool PageBuilder::fits(std::size_t cell_size) const {
  const std::size_t used = header_offset_ + header_size_ + 2 * (ends_.size() + 1) + cells_.size() +
                           std::max(cell_size, kMinCell);
  return used <= page_size_;
}

void PageBuilder::add(std::string_view cell) {
  cells_.append(cell);
  if (cell.size() < kMinCell) cells_.append(kMinCell - cell.size(), '\0');
  ends_.push_back(static_cast<std::uint32_t>(cells_.size()));
  sizes_.push_back(static_cast<std::uint32_t>(cell.size()));
}

std::string PageBuilder::pop_last() {
  const std::uint32_t begin = ends_.size() > 1 ? ends_[ends_.size() - 2] : 0;
  std::string cell = cells_.substr(begin, sizes_.back());  // without the padding
  cells_.resize(begin);
  ends_.pop_back();
  sizes_.pop_back();
  return cell;
}

void PageBuilder::clear() {
  cells_.clear();
  ends_.clear();
  sizes_.clear();
}

const std::string& PageBuilder::render(std::uint8_t type, std::uint32_t right_child) const {
  std::string& page = page_;
  page.assign(page_size_, '\0');
  const std::size_t h = header_offset_;
  std::size_t content = page_size_;
  std::uint32_t begin = 0;
  for (std::size_t i = 0; i < ends_.size(); ++i) {
    const std::uint32_t size = ends_[i] - begin;
    content -= size;
    std::memcpy(page.data() + content, cells_.data() + begin, size);
    set_be16(page, h + header_size_ + 2 * i, static_cast<std::uint32_t>(content));
    begin = ends_[i];
  }
  page[h] = static_cast<char>(type);
  set_be16(page, h + 3, static_cast<std::uint32_t>(ends_.size()));
  set_be16(page, h + 5, content == 65536 ? 0 : static_cast<std::uint32_t>(content));
  if (header_size_ == 12) set_be32(page, h + 8, right_child);
  return page;
}

void append_payload(PageFile& file, std::string& cell, std::string_view payload, bool index) {
  const std::size_t u = file.page_size();
  const std::size_t max_local = index ? (u - 12) * 64 / 255 - 23 : u - 35;
  const std::size_t min_local = (u - 12) * 32 / 255 - 23;
  const std::size_t p = payload.size();
  if (p <= max_local) {
    cell.append(payload);
    return;
  }
  const std::size_t k = min_local + (p - min_local) % (u - 4);
  const std::size_t local = k <= max_local ? k : min_local;
  cell.append(payload.substr(0, local));
  std::string_view rest = payload.substr(local);
  std::uint32_t number = file.allocate();
  put_be32(cell, number);
  std::string page;
  while (!rest.empty()) {
    const std::size_t n = std::min(rest.size(), u - 4);
    const std::uint32_t next = rest.size() > n ? file.allocate() : 0;
    page.assign(u, '\0');
    set_be32(page, 0, next);
    std::memcpy(page.data() + 4, rest.data(), n);
    file.write(number, page);
    rest.remove_prefix(n);
    number = next;
  }
}

InteriorLevels::Level& InteriorLevels::level(std::size_t index) {
  while (levels_.size() <= index) levels_.emplace_back(file_.page_size());
  return levels_[index];
}

std::uint32_t InteriorLevels::write(const PageBuilder& page, std::uint32_t right) {
  const std::uint32_t number = file_.allocate();
  file_.write(number, page.render(type_, right));
  return number;
}

void InteriorLevels::push(std::size_t index, std::uint32_t child, std::string_view divider) {
  Level& l = level(index);
  if (l.held) {
    const std::uint32_t written = write(*l.held, l.held_right);
    l.held.reset();
    push(index + 1, written, l.pending);
  }
  std::string cell;
  put_be32(cell, child);
  cell.append(divider);
  if (l.current.fits(cell.size())) {
    l.current.add(cell);
    return;
  }
  // Full: `child` becomes this page's right child and `divider` goes up
  // with the page, once the next child shows the page is not the last.
  l.held.emplace(std::move(l.current));
  l.held_right = child;
  l.pending.assign(divider);
  l.current = PageBuilder(file_.page_size(), false);
}

std::uint32_t InteriorLevels::finish(std::size_t index, std::uint32_t last_child) {
  if (index >= levels_.size()) return last_child;
  Level& l = levels_[index];
  if (l.held) {
    // The last child came right after a full page: give the new page the
    // held page's last cell, so that neither is left without one.
    const std::string last = l.held->pop_last();
    const std::uint32_t written = write(*l.held, be32(last));
    l.held.reset();
    push(index + 1, written, std::string_view(last).substr(4));
    std::string cell;
    put_be32(cell, l.held_right);
    cell += l.pending;
    l.current.add(cell);
  }
  const std::uint32_t written = write(l.current, last_child);
  return finish(index + 1, written);
}

TableTree::TableTree(PageFile& file)
    : file_(file), leaf_(file.page_size(), true), interior_(file, 0x05) {}

void TableTree::add(std::int64_t rowid, std::string_view record) {
  cell_.clear();
  put_varint(cell_, record.size());
  put_varint(cell_, static_cast<std::uint64_t>(rowid));
  append_payload(file_, cell_, record, false);
  if (!leaf_.fits(cell_.size())) {
    const std::uint32_t number = file_.allocate();
    file_.write(number, leaf_.render(0x0d));
    std::string divider;
    put_varint(divider, static_cast<std::uint64_t>(last_rowid_));
    interior_.push(0, number, divider);
    leaf_.clear();
  }
  leaf_.add(cell_);
  last_rowid_ = rowid;
}

std::uint32_t TableTree::finish() {
  const std::uint32_t number = file_.allocate();
  file_.write(number, leaf_.render(0x0d));
  return interior_.finish(0, number);
}

IndexTree::IndexTree(PageFile& file)
    : file_(file), leaf_(file.page_size(), true), held_(file.page_size(), true), interior_(file, 0x02) {}

void IndexTree::add(std::string_view record) {
  if (holding_) {
    const std::uint32_t number = file_.allocate();
    file_.write(number, held_.render(0x0a));
    held_.clear();
    holding_ = false;
    interior_.push(0, number, pending_);
  }
  cell_.clear();
  put_varint(cell_, record.size());
  append_payload(file_, cell_, record, true);
  if (leaf_.fits(cell_.size())) {
    leaf_.add(cell_);
    return;
  }
  // Full: this entry is the divider after the leaf, once another follows.
  std::swap(leaf_, held_);  // leaf_ is now the empty spare
  holding_ = true;
  pending_ = cell_;
}

std::uint32_t IndexTree::finish() {
  if (holding_) {
    // The last entry did not fit the last leaf: the leaf's own last entry
    // becomes the divider, and the last entry starts the new leaf.
    const std::string last = held_.pop_last();
    const std::uint32_t number = file_.allocate();
    file_.write(number, held_.render(0x0a));
    holding_ = false;
    interior_.push(0, number, last);
    leaf_.add(pending_);
  }
  const std::uint32_t number = file_.allocate();
  file_.write(number, leaf_.render(0x0a));
  return interior_.finish(0, number);
}

}  // namespace marquee::store::sqlite_file

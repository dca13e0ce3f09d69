#pragma once
// SQLite B-trees built bottom-up from keys that arrive in order
// (https://www.sqlite.org/fileformat2.html, "B-tree Pages"): every page is
// filled once and written once, where SQLite's own inserts search the tree
// for every row. TableTree is a rowid table (a B+tree: rows in the leaves,
// rowids as dividers); IndexTree an index or WITHOUT ROWID table (a B-tree:
// every entry stored once, some as dividers in interior pages). Payloads too
// large for a page go to overflow pages. Knows records only as bytes.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <deque>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace marquee::store::sqlite_file {

// The database file being written: page numbers handed out from 2 (page 1,
// the schema's, is written last by its owner); pages written at their
// offsets. Safe to share between threads building different trees.
class PageFile {
 public:
  PageFile(const std::filesystem::path& path, std::uint32_t page_size);
  ~PageFile();
  PageFile(const PageFile&) = delete;
  PageFile& operator=(const PageFile&) = delete;

  std::uint32_t page_size() const { return page_size_; }
  // Never the lock-byte page. Throws DatabaseError past SQLite's largest
  // page number (4294967294).
  std::uint32_t allocate();
  std::uint32_t lock_byte_page() const { return static_cast<std::uint32_t>((1u << 30) / page_size_) + 1; }
  // Pages handed out so far, page 1 included.
  std::uint32_t page_count() const { return next_.load() - 1; }
  // Writes `page` (page_size() bytes) as page `number`; throws DatabaseError.
  void write(std::uint32_t number, std::string_view page);
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  std::uint32_t page_size_;
  int fd_ = -1;
  std::atomic<std::uint32_t> next_{2};
  std::atomic<std::uint64_t> unflushed_{0};  // bytes written since writeback was last asked for
  // Starts the disk writing pages back as they come, off the writers'
  // threads (starting writeback can block while the disk is busy).
  void writeback_loop();
  std::mutex writeback_mutex_;
  std::condition_variable writeback_wanted_;
  bool writeback_ = false;
  bool closing_ = false;
  std::thread writeback_thread_;
};

// The cells of one page being filled, in key order.
class PageBuilder {
 public:
  PageBuilder(std::uint32_t page_size, bool leaf, std::uint32_t header_offset = 0);
  bool fits(std::size_t cell_size) const;
  void add(std::string_view cell);
  std::string pop_last();
  bool empty() const { return ends_.empty(); }
  void clear();  // keeps the memory: builders are reused page after page
  // The page's bytes, valid until the next render; `type` is 0x0d, 0x05,
  // 0x0a or 0x02.
  const std::string& render(std::uint8_t type, std::uint32_t right_child = 0) const;

 private:
  std::uint32_t page_size_;
  std::uint32_t header_offset_;
  std::uint32_t header_size_;
  std::string cells_;
  std::vector<std::uint32_t> ends_;   // where each cell ends in cells_, padded
  std::vector<std::uint32_t> sizes_;  // each cell's own size
  mutable std::string page_;
};

// Every level above the leaves, for both kinds of tree. A level hands a
// page up only once the next child has arrived, so that the last page of a
// level never ends up with no cell (SQLite requires one).
class InteriorLevels {
 public:
  InteriorLevels(PageFile& file, std::uint8_t type) : file_(file), type_(type) {}
  // At `level` (0: just above the leaves): a child page, then the divider
  // that follows it (a rowid varint, or an index entry's payload cell).
  void push(std::size_t level, std::uint32_t child, std::string_view divider);
  // The last child at `level`; closes it and the levels above; the root.
  std::uint32_t finish(std::size_t level, std::uint32_t last_child);

 private:
  struct Level {
    explicit Level(std::uint32_t page_size) : current(page_size, false) {}
    PageBuilder current;
    std::optional<PageBuilder> held;  // full, waiting for the next child
    std::uint32_t held_right = 0;
    std::string pending;  // the divider that goes up once `held` is written
  };
  std::uint32_t write(const PageBuilder& page, std::uint32_t right);
  Level& level(std::size_t index);

  PageFile& file_;
  std::uint8_t type_;
  std::deque<Level> levels_;  // references stay valid as levels are added
};

// A rowid table: rows in ascending rowid order.
class TableTree {
 public:
  explicit TableTree(PageFile& file);
  void add(std::int64_t rowid, std::string_view record);
  std::uint32_t finish();  // the root page

 private:
  PageFile& file_;
  PageBuilder leaf_;
  InteriorLevels interior_;
  std::int64_t last_rowid_ = 0;
  std::string cell_;
};

// An index or WITHOUT ROWID table: records in SQLite's key order.
class IndexTree {
 public:
  explicit IndexTree(PageFile& file);
  void add(std::string_view record);
  std::uint32_t finish();  // the root page

 private:
  PageFile& file_;
  PageBuilder leaf_;
  PageBuilder held_;  // a full leaf waiting for the next entry, when holding
  bool holding_ = false;
  std::string pending_;
  InteriorLevels interior_;
  std::string cell_;
};

// Appends the part of a payload kept on its page, writing the rest to
// overflow pages (and their number after the local part), by SQLite's rule
// for a table leaf (`index` false) or an index page.
void append_payload(PageFile& file, std::string& cell, std::string_view payload, bool index);

}  // namespace marquee::store::sqlite_file

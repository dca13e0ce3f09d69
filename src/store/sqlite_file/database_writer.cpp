#include "store/sqlite_file/database_writer.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "store/connection.hpp"
#include "store/sqlite_file/record.hpp"
#include "store/sqlite_file/record_sorter.hpp"

namespace marquee::store::sqlite_file {
namespace {

std::size_t position_of(const std::vector<ColumnSpec>& columns, std::string_view name, std::string_view table) {
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == name) return i;
  }
  throw DatabaseError(fmt::format("run file table {} has no column {}", table, name));
}

bool is_null(const table::Cell& cell) {
  if (std::holds_alternative<table::Null>(cell)) return true;
  const auto* r = std::get_if<double>(&cell);
  return r != nullptr && std::isnan(*r);  // stored as NULL, as sqlite3_bind_double does
}

// An index being built: its entries' columns, and the sorter they go to.
struct IndexBuild {
  IndexBuild(const IndexSpec& index, std::size_t memory, const std::filesystem::path& spill_dir)
      : spec(&index), sorter(memory, spill_dir) {}
  const IndexSpec* spec;
  std::vector<RecordColumn> columns;
  std::size_t declared = 0;  // the first `declared` columns are the index's own (UNIQUE checks them)
  RecordSorter sorter;
};

class TableBuilder final : public table::TableWriter {
 public:
  TableBuilder(DatabaseWriter& owner, PageFile& file, const TableSpec& spec, const table::Schema& schema,
               const WriterOptions& options)
      : owner_(owner), file_(file), spec_(spec), schema_(schema), max_row_(options.max_row) {
    for (const table::Column& column : schema_.columns) position_of(spec_.columns, column.name, spec_.name);
    for (const ColumnSpec& column : spec_.columns) stored_.push_back(stored_column(column));
    for (const std::string& name : spec_.primary_key) stored_[position_of(spec_.columns, name, spec_.name)].nullable = false;
    const std::size_t spill_options = options.sort_memory;
    const auto spill_dir = file_.path().parent_path();
    if (!spec_.primary_key.empty()) {
      for (const std::string& name : spec_.primary_key) key_.push_back(position_of(spec_.columns, name, spec_.name));
      // The key's columns first, then the others (SQLite's convertToWithoutRowidTable).
      for (const std::size_t i : key_) record_columns_.push_back(stored_[i]);
      for (std::size_t i = 0; i < spec_.columns.size(); ++i) {
        if (std::find(key_.begin(), key_.end(), i) == key_.end()) record_columns_.push_back(stored_[i]);
      }
      key_columns_.assign(record_columns_.begin(), record_columns_.begin() + static_cast<long>(key_.size()));
      table_sorter_.emplace(spill_options, spill_dir);
    } else {
      record_columns_ = stored_;
      tree_.emplace(file_);
    }
    for (const IndexSpec& index : spec_.indexes) {
      indexes_.push_back(std::make_unique<IndexBuild>(index, spill_options, spill_dir));
      plan_index(*indexes_.back());
    }
  }

  void write_row(std::span<const table::Cell> row) override {
    try {
      add_row(row);
    } catch (...) {
      failed_ = true;  // a table missing a row is never finished as if complete
      throw;
    }
  }

  void finish() override {
    if (finished_) return;
    if (failed_) throw DatabaseError(fmt::format("run file table {}: finished after it failed", spec_.name));
    failed_ = true;  // until it is through: a second call must not report success
    std::uint32_t root = 0;
    if (tree_) {
      root = tree_->finish();
    } else {
      root = build(*table_sorter_, fmt::format("PRIMARY KEY ({})", fmt::join(spec_.primary_key, ", ")));
    }
    std::map<std::string, std::uint32_t> roots;
    for (const auto& index : indexes_) {
      roots[index->spec->name] = build(index->sorter, fmt::format("index {} ({})", index->spec->name,
                                                                  fmt::join(index->spec->columns, ", ")));
    }
    owner_.add_roots(spec_.name, root, std::move(roots));
    failed_ = false;
    finished_ = true;
  }

  std::uint64_t rows_written() const override { return rows_; }
  const table::Schema& schema() const override { return schema_; }

 private:
  void add_row(std::span<const table::Cell> row) {
    table::check_row(schema_, row);
    ++rows_;
    if (rows_ % 4096 == 0 && owner_.abandoned()) {
      throw DatabaseError(fmt::format("run file table {}: abandoned at row {}, another table failed", spec_.name,
                                      rows_));
    }
    for (std::size_t i = 0; i < spec_.columns.size(); ++i) {
      const std::size_t cell = stored_[i].cell;
      if (!stored_[i].nullable && (cell == RecordColumn::kAbsent || is_null(row[cell]))) {
        throw DatabaseError(fmt::format("sqlite {}: loading {} row {}: NOT NULL constraint failed: {}.{}",
                                        file_.path().string(), spec_.name, rows_, spec_.name,
                                        spec_.columns[i].name));
      }
    }
    const auto rowid = static_cast<std::int64_t>(rows_);
    record_.clear();
    append_record(record_, row, rowid, record_columns_);
    if (record_.size() > max_row_) {
      throw DatabaseError(fmt::format("sqlite {}: loading {} row {}: the row takes {} bytes, over SQLite's "
                                      "limit of {}",
                                      file_.path().string(), spec_.name, rows_, record_.size(), max_row_));
    }
    if (tree_) {
      tree_->add(rowid, record_);
    } else {
      key_text_.clear();
      append_sort_key(key_text_, row, rowid, key_columns_);
      table_sorter_->add(key_text_, record_, static_cast<std::uint32_t>(key_text_.size()));
    }
    for (const auto& index : indexes_) add_entry(*index, row, rowid);
  }

  RecordColumn stored_column(const ColumnSpec& column) const {
    RecordColumn out;
    out.nullable = !column.not_null;  // present in the schema or not
    for (std::size_t i = 0; i < schema_.columns.size(); ++i) {
      if (schema_.columns[i].name == column.name) {
        out.cell = i;
        out.storage = storage_of(schema_.columns[i].type, affinity_of(column.declared_type),
                                 fmt::format("run file table {}, column {}", spec_.name, column.name));
      }
    }
    return out;
  }

  // An index's entries: its columns, then the rowid, or, in a WITHOUT
  // ROWID table, the key columns it does not already hold (SQLite's
  // sqlite3CreateIndex, isDupColumn).
  void plan_index(IndexBuild& index) {
    std::vector<std::size_t> used;
    for (std::size_t i = 0; i < index.spec->columns.size(); ++i) {
      const std::size_t at = position_of(spec_.columns, index.spec->columns[i], spec_.name);
      RecordColumn column = stored_[at];
      column.nocase = i < index.spec->nocase.size() && index.spec->nocase[i];
      // (A column no data comes for, as in a table created empty, is NULL throughout.)
      if (column.nocase && column.storage != Storage::Text && column.cell != RecordColumn::kAbsent) {
        throw DatabaseError(fmt::format("run file index {}: NOCASE on a column that is not text",
                                        index.spec->name));
      }
      if (!column.nocase) used.push_back(at);
      index.columns.push_back(column);
    }
    index.declared = index.columns.size();
    if (spec_.primary_key.empty()) {
      index.columns.push_back(RecordColumn{RecordColumn::kRowid, Storage::Integer, false});
      return;
    }
    for (const std::size_t at : key_) {
      if (std::find(used.begin(), used.end(), at) == used.end()) index.columns.push_back(stored_[at]);
    }
  }

  void add_entry(IndexBuild& index, std::span<const table::Cell> row, std::int64_t rowid) {
    key_text_.clear();
    const bool has_null =
        append_sort_key(key_text_, row, rowid, std::span(index.columns).first(index.declared));
    const auto unique = static_cast<std::uint32_t>(index.spec->unique && !has_null ? key_text_.size() : 0);
    append_sort_key(key_text_, row, rowid, std::span(index.columns).subspan(index.declared));
    record_.clear();
    append_record(record_, row, rowid, index.columns);
    index.sorter.add(key_text_, record_, unique);
  }

  std::uint32_t build(RecordSorter& sorter, const std::string& what) {
    IndexTree tree(file_);
    sorter.drain([&](std::string_view record, bool duplicate) {
      if (duplicate) {
        throw DatabaseError(fmt::format("sqlite {}: loading {}: UNIQUE constraint failed: {}",
                                        file_.path().string(), spec_.name, what));
      }
      tree.add(record);
    });
    return tree.finish();
  }

  DatabaseWriter& owner_;
  PageFile& file_;
  const TableSpec& spec_;
  table::Schema schema_;
  std::vector<RecordColumn> stored_;          // per table column
  std::vector<std::size_t> key_;              // primary key: positions in spec_.columns
  std::vector<RecordColumn> record_columns_;  // in the order records store them
  std::vector<RecordColumn> key_columns_;
  std::optional<TableTree> tree_;              // a rowid table
  std::optional<RecordSorter> table_sorter_;   // a WITHOUT ROWID table
  std::vector<std::unique_ptr<IndexBuild>> indexes_;
  std::size_t max_row_;
  std::uint64_t rows_ = 0;
  bool finished_ = false;
  bool failed_ = false;
  std::string record_;
  std::string key_text_;
};

void set_be(std::string& page, std::size_t at, std::uint64_t value, std::size_t bytes) {
  for (std::size_t i = 0; i < bytes; ++i) page[at + i] = static_cast<char>((value >> (8 * (bytes - 1 - i))) & 0xff);
}

}  // namespace

DatabaseWriter::DatabaseWriter(const std::filesystem::path& path, WriterOptions options)
    : options_(options), file_(path, options.page_size) {
  const std::uint32_t size = options.page_size;
  if (size < 512 || size > 65536 || (size & (size - 1)) != 0) {
    throw DatabaseError(fmt::format("run file {}: page size {} is not a power of two from 512 to 65536",
                                    path.string(), size));
  }
}

std::unique_ptr<table::TableWriter> DatabaseWriter::open(const TableSpec& table, const table::Schema& schema) {
  {
    const std::lock_guard lock(mutex_);
    opened_.insert(table.name);
  }
  return std::make_unique<TableBuilder>(*this, file_, table, schema, options_);
}

void DatabaseWriter::add_roots(const std::string& table, std::uint32_t root,
                               std::map<std::string, std::uint32_t> indexes) {
  const std::lock_guard lock(mutex_);
  roots_[table] = {root, std::move(indexes)};
}

void DatabaseWriter::finish(std::span<const TableSpec> tables) {
  for (const TableSpec& spec : tables) {
    if (roots_.contains(spec.name)) continue;
    if (opened_.contains(spec.name)) {
      throw DatabaseError(fmt::format("run file {}: table {} was opened but never finished",
                                      file_.path().string(), spec.name));
    }
    table::Schema none{spec.name, {}};
    open(spec, none)->finish();
  }
  // sqlite_schema: type, name, tbl_name, rootpage, sql; a table before its
  // indexes, as SQLite reads them back in order.
  const RecordColumn columns[] = {{0, Storage::Text, false}, {1, Storage::Text, false},
                                  {2, Storage::Text, false}, {3, Storage::Integer, false},
                                  {4, Storage::Text, false}};
  PageBuilder schema(file_.page_size(), true, 100);
  std::int64_t rowid = 0;
  std::string record;
  std::string cell;
  const auto add = [&](std::string_view type, const std::string& name, const std::string& table,
                       std::uint32_t root, const std::string& sql) {
    const table::Cell row[] = {type, std::string_view(name), std::string_view(table),
                               static_cast<std::int64_t>(root), std::string_view(sql)};
    record.clear();
    append_record(record, row, 0, columns);
    cell.clear();
    put_varint(cell, record.size());
    put_varint(cell, static_cast<std::uint64_t>(++rowid));
    cell += record;
    if (record.size() > file_.page_size() - 35 || !schema.fits(cell.size())) {
      throw DatabaseError(fmt::format("run file {}: the schema does not fit its first page",
                                      file_.path().string()));
    }
    schema.add(cell);
  };
  for (const TableSpec& spec : tables) {
    const auto& [root, indexes] = roots_.at(spec.name);
    add("table", spec.name, spec.name, root, spec.sql);
    for (const IndexSpec& index : spec.indexes) add("index", index.name, spec.name, indexes.at(index.name), index.sql);
  }
  std::string page = schema.render(0x0d);  // a copy: the header goes into it
  static constexpr char kMagic[] = "SQLite format 3";
  std::memcpy(page.data(), kMagic, sizeof kMagic);  // with its NUL
  set_be(page, 16, file_.page_size() == 65536 ? 1 : file_.page_size(), 2);
  page[18] = 1;  // legacy (rollback journal) file format, for writing and reading
  page[19] = 1;
  page[21] = 64;  // the payload fractions SQLite requires
  page[22] = 32;
  page[23] = 32;
  set_be(page, 24, 1, 4);  // file change counter
  set_be(page, 28, file_.page_count(), 4);
  set_be(page, 40, 1, 4);  // schema cookie
  set_be(page, 44, 4, 4);  // schema format 4: what SQLite has written since 3.3.0
  set_be(page, 56, 1, 4);  // UTF-8
  set_be(page, 92, 1, 4);  // version-valid-for: the page count above is current
  set_be(page, 96, SQLITE_VERSION_NUMBER, 4);
  file_.write(1, page);
}

}  // namespace marquee::store::sqlite_file

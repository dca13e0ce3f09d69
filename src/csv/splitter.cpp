#include "csv/splitter.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "common/error.hpp"
#include "csv/record_skipper.hpp"

namespace marquee::csv {
namespace {

constexpr std::size_t kChunk = std::size_t{4} << 20;
constexpr std::size_t kMaxHeldRecord = std::size_t{1} << 20;

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

std::size_t field_count(std::string_view record, Dialect dialect) {
  if (probe_line(record, 0, true).start != LineStart::Content) return 0;
  std::vector<FieldSlice> fields;
  const ScanResult r = scan_record(record, 0, true, dialect, fields);
  return r.outcome == ScanOutcome::Record ? fields.size() : 0;
}

class PartWriter {
 public:
  PartWriter(std::filesystem::path dir, std::size_t parts) : dir_(std::move(dir)), parts_(parts) {}

  void open(std::size_t index, std::string_view header) {
    if (file_ && std::fclose(file_.release()) != 0) fail();
    SplitPart part;
    part.path = dir_ / fmt::format("part-{:03}.csv", index + 1);
    file_.reset(std::fopen(part.path.c_str(), "wb"));
    if (!file_) throw InputError(fmt::format("{}: cannot create ({})", part.path.string(), std::strerror(errno)));
    done_.push_back(std::move(part));
    write(header);
  }

  void write(std::string_view bytes) {
    if (bytes.empty()) return;
    if (std::fwrite(bytes.data(), 1, bytes.size(), file_.get()) != bytes.size()) fail();
    done_.back().bytes += bytes.size();
  }

  SplitPart& current() { return done_.back(); }

  std::vector<SplitPart> finish() {
    if (file_ && std::fclose(file_.release()) != 0) fail();
    return std::move(done_);
  }

 private:
  [[noreturn]] void fail() {
    throw InputError(fmt::format("{}: write failed ({})", done_.back().path.string(), std::strerror(errno)));
  }

  std::filesystem::path dir_;
  std::size_t parts_;
  File file_;
  std::vector<SplitPart> done_;
};

}  // namespace

std::vector<SplitPart> split_csv(const std::filesystem::path& input, std::size_t parts,
                                 const std::filesystem::path& out_dir, Dialect dialect) {
  if (parts < 1 || parts > 999) throw InputError("--parts must be 1 to 999");
  std::error_code ec;
  const auto total = std::filesystem::file_size(input, ec);
  if (ec) throw InputError(fmt::format("{}: cannot read ({})", input.string(), ec.message()));
  if (total == 0) throw InputError(fmt::format("{}: the file is empty", input.string()));
  File in(std::fopen(input.c_str(), "rb"));
  if (!in) throw InputError(fmt::format("{}: cannot open ({})", input.string(), std::strerror(errno)));
  std::filesystem::create_directories(out_dir, ec);
  if (ec) throw InputError(fmt::format("{}: cannot create ({})", out_dir.string(), ec.message()));

  PartWriter out(out_dir, parts);
  std::string header, record;
  bool header_done = false, record_too_long = false;
  std::size_t header_fields = 0, part = 0;
  std::uint64_t offset = 0, line = 1;
  RecordSkipper skipper(dialect);
  std::string chunk(kChunk, '\0');

  auto end_record = [&] {
    line += skipper.line_feeds();
    if (!header_done) {
      if (record_too_long) throw InputError(fmt::format("{}: the header record is over 1 MiB", input.string()));
      header = record;
      header_fields = field_count(header, dialect);
      header_done = true;
      out.open(0, header);
    } else {
      out.write(record);
      if (out.current().records++ == 0) out.current().first_line = line - skipper.line_feeds();
      // Cut after this record when past the next target and it is whole.
      const std::uint64_t target = total * (part + 1) / parts;
      if (part + 1 < parts && offset >= target && !record_too_long && field_count(record, dialect) == header_fields)
        out.open(++part, header);
    }
    record.clear();
    record_too_long = false;
    skipper = RecordSkipper(dialect);
  };

  for (;;) {
    const std::size_t n = std::fread(chunk.data(), 1, chunk.size(), in.get());
    if (n == 0) {
      if (std::ferror(in.get())) throw InputError(fmt::format("{}: read failed", input.string()));
      break;
    }
    std::string_view rest(chunk.data(), n);
    while (!rest.empty()) {
      const RecordSkipper::Fed fed = skipper.feed(rest);
      const std::string_view bytes = rest.substr(0, fed.consumed);
      // A long record streams through; only short ones are held (to count fields).
      if (!record_too_long && record.size() + bytes.size() <= kMaxHeldRecord) {
        record.append(bytes);
      } else if (header_done) {
        if (!record_too_long) out.write(record);
        out.write(bytes);
        record.clear();
        record_too_long = true;
      } else {
        record_too_long = true;
      }
      offset += fed.consumed;
      rest.remove_prefix(fed.consumed);
      if (fed.ended) end_record();
    }
  }
  if (!record.empty() || record_too_long) end_record();  // the last record, without a line end
  // Parts the input had no cut point for hold the header alone.
  while (part + 1 < parts) out.open(++part, header);
  return out.finish();
}

}  // namespace marquee::csv

#include "job/ratings_job.hpp"

#include <filesystem>

#include <boost/json.hpp>
#include <boost/unordered/unordered_flat_map.hpp>
#include <fmt/format.h>

#include "common/error.hpp"
#include "common/sha256.hpp"
#include "common/utf8.hpp"
#include "csv/reader.hpp"
#include "input/byte_source.hpp"
#include "model/ratings.hpp"

namespace marquee::job {
namespace {

using model::Diagnostic;
using model::Reason;
using model::Severity;

// Hashes and counts the bytes the reader pulls, for the manifest.
class HashingSource : public input::ByteSource {
 public:
  explicit HashingSource(std::unique_ptr<input::ByteSource> inner) : inner_(std::move(inner)) {}
  std::size_t read(char* buffer, std::size_t size) override {
    const std::size_t n = inner_->read(buffer, size);
    hash_.update(buffer, n);
    bytes_ += n;
    return n;
  }
  const std::string& name() const override { return inner_->name(); }
  std::optional<std::uint64_t> size() const override { return inner_->size(); }
  std::uint64_t bytes() const { return bytes_; }
  std::string digest() { return hash_.hex_digest(); }

 private:
  std::unique_ptr<input::ByteSource> inner_;
  Sha256 hash_;
  std::uint64_t bytes_ = 0;
};

std::string_view shape_reason_text(const csv::InvalidRecord& bad) {
  switch (bad.kind) {
    case csv::InvalidKind::FieldCount: return "wrong number of fields";
    case csv::InvalidKind::UnterminatedQuote: return "a quote that never closes";
    case csv::InvalidKind::RecordTooLarge: return "record over --max-record-bytes";
  }
  return "unusable record";
}

Reason shape_reason(csv::InvalidKind kind) {
  switch (kind) {
    case csv::InvalidKind::FieldCount: return Reason::FieldCount;
    case csv::InvalidKind::UnterminatedQuote: return Reason::UnterminatedQuote;
    case csv::InvalidKind::RecordTooLarge: return Reason::RecordTooLarge;
  }
  return Reason::FieldCount;
}

// One input file: its reader, its bad-line policy and its counts.
class RatingsFile : public csv::InvalidRecordHandler {
 public:
  RatingsFile(const std::string& path, const std::string& member, csv::ReaderOptions options,
              model::DiagnosticSink& log)
      : source_(input::open_input(path, member)), log_(log) {
    // Numbers only: a short line is an error, never half of a split record.
    options.repair_split_records = false;
    reader_ = std::make_unique<csv::Reader>(source_, *this, options);
    // The file's name, not its path: the log and manifest read the same
    // wherever the data lives.
    counts_.name = std::filesystem::path(source_.name()).filename().string();
  }

  void on_invalid(const csv::InvalidRecord& bad) override {
    ++counts_.records_read;
    ++counts_.rejected;
    log_.report(Diagnostic{Severity::Error, shape_reason(bad.kind), bad.line, std::nullopt, std::nullopt,
                           fmt::format("{}: line {} rejected: {} ({} fields, expected {})", counts_.name,
                                       bad.line, shape_reason_text(bad), bad.field_count,
                                       bad.expected_fields),
                           utf8::excerpt(bad.raw_line), counts_.name});
  }

  // Calls `row` for every record of the right width.
  template <typename Row>
  void for_each(const Row& row) {
    csv::Record record;
    while (reader_->next(record)) {
      ++counts_.records_read;
      row(record);
    }
    counts_.size = source_.bytes();
    counts_.sha256 = source_.digest();
  }

  // Logs one unused row; errors count as rejected, infos as `info_count`.
  void report(Severity severity, Reason reason, const csv::Record& record, std::optional<std::int64_t> movie_id,
              std::optional<std::string> column, std::string message) {
    log_.report(Diagnostic{severity, reason, record.line, movie_id, std::move(column),
                           fmt::format("{}: {}", counts_.name, message), utf8::excerpt(record.raw),
                           counts_.name});
  }

  const std::vector<std::string>& header() const { return reader_->header(); }
  RatingsFileCounts& counts() { return counts_; }
  const RatingsFileCounts& counts() const { return counts_; }

 private:
  HashingSource source_;
  model::DiagnosticSink& log_;
  std::unique_ptr<csv::Reader> reader_;
  RatingsFileCounts counts_;
};

template <typename Columns>
Columns require_columns(const RatingsFile& file,
                        std::optional<Columns> (*find)(std::span<const std::string>, std::string&)) {
  std::string missing;
  const auto columns = find(file.header(), missing);
  if (!columns) throw InputError(fmt::format("{}: no column '{}' in the header", file.counts().name, missing));
  return *columns;
}

// Where a movieId's link leads: its line in links.csv and the kept movie, if any.
struct LinkTarget {
  std::uint64_t line = 0;
  std::optional<std::int64_t> tmdb_id;  // null: the link leads to no kept movie
};

boost::json::object file_json(const RatingsFileCounts& c, bool with_duplicates) {
  boost::json::object o{{"name", c.name},
                        {"size", c.size},
                        {"sha256", c.sha256},
                        {"records_read", c.records_read},
                        {"kept", c.kept},
                        {"rejected", c.rejected},
                        {"without_movie", c.without_movie}};
  if (with_duplicates) o["duplicates"] = c.duplicates;
  return o;
}

// True when the dataset directory or zip `input` holds `member`.
bool has_member(const std::string& input, const std::string& member) {
  if (std::filesystem::is_directory(input)) return std::filesystem::is_regular_file(std::filesystem::path(input) / member);
  try {
    input::open_input(input, member);
    return true;
  } catch (const InputError&) {
    return false;
  }
}

}  // namespace

RatingsFiles find_ratings_files(const std::string& input) {
  std::error_code error;
  const bool dataset = std::filesystem::is_directory(input, error) ||
                       std::filesystem::path(input).extension() == ".zip";
  if (!dataset || !has_member(input, "links.csv")) return {};
  for (const char* member : {"ratings.csv", "ratings_small.csv"}) {
    if (has_member(input, member)) return {input, input, member};
  }
  return {};
}

struct RatingsStage::Impl {
  Impl(const RatingsFiles& files, const csv::ReaderOptions& csv, model::DiagnosticSink& log)
      : links(files.links, "links.csv", csv, log),
        ratings(files.ratings, files.ratings_member, csv, log),
        link_columns(require_columns<model::LinkColumns>(links, model::link_columns)),
        rating_columns(require_columns<model::RatingColumns>(ratings, model::rating_columns)) {}

  void read_links(const std::function<bool(std::int64_t)>& is_movie);
  void read_ratings();

  RatingsFile links;
  RatingsFile ratings;
  model::LinkColumns link_columns;
  model::RatingColumns rating_columns;
  boost::unordered_flat_map<std::int64_t, LinkTarget> targets;
  std::vector<model::Link> kept_links;  // in file order
  model::RatingAggregator aggregator;
};

void RatingsStage::Impl::read_links(const std::function<bool(std::int64_t)>& is_movie) {
  RatingsFileCounts& c = links.counts();
  links.for_each([&](const csv::Record& record) {
    model::RowError error;
    auto link = model::parse_link(record.fields, link_columns, error);
    if (!link) {
      ++c.rejected;
      links.report(Severity::Error, error.reason, record, std::nullopt, error.column, error.message);
      return;
    }
    if (const auto it = targets.find(link->movielens_id); it != targets.end()) {
      ++c.duplicates;
      links.report(Severity::Info, Reason::DuplicateLink, record, link->tmdb_id, "movieId",
                   fmt::format("movieId {} is listed again (first at line {}); the first row is kept",
                               link->movielens_id, it->second.line));
      return;
    }
    LinkTarget& target = targets[link->movielens_id];
    target.line = record.line;
    if (!link->tmdb_id || !is_movie(*link->tmdb_id)) {
      ++c.without_movie;
      links.report(Severity::Info, Reason::LinkWithoutMovie, record, link->tmdb_id, "tmdbId",
                   link->tmdb_id ? fmt::format("movieId {}: tmdbId {} is not a movie of this run; its ratings "
                                               "are not counted", link->movielens_id, *link->tmdb_id)
                                 : fmt::format("movieId {}: tmdbId is empty; its ratings are not counted",
                                               link->movielens_id));
      return;
    }
    ++c.kept;
    target.tmdb_id = link->tmdb_id;
    kept_links.push_back(std::move(*link));
  });
}

void RatingsStage::Impl::read_ratings() {
  RatingsFileCounts& c = ratings.counts();
  const std::string links_name = links.counts().name;
  ratings.for_each([&](const csv::Record& record) {
    model::RowError error;
    const auto rating = model::parse_rating(record.fields, rating_columns, error);
    if (!rating) {
      ++c.rejected;
      ratings.report(Severity::Error, error.reason, record, std::nullopt, error.column, error.message);
      return;
    }
    const auto it = targets.find(rating->movielens_id);
    if (it == targets.end()) {
      ++c.rejected;
      ratings.report(Severity::Error, Reason::UnknownMovielensId, record, std::nullopt, "movieId",
                     fmt::format("movieId {} has no usable row in {}", rating->movielens_id, links_name));
      return;
    }
    if (!it->second.tmdb_id) {
      ++c.without_movie;
      ratings.report(Severity::Info, Reason::RatingWithoutMovie, record, std::nullopt, "movieId",
                     fmt::format("movieId {} (line {} of {}) leads to no movie of this run; rating not counted",
                                 rating->movielens_id, it->second.line, links_name));
      return;
    }
    ++c.kept;
    aggregator.add(*it->second.tmdb_id, *rating);
  });
}

RatingsStage::RatingsStage(const RatingsFiles& files, csv::ReaderOptions csv, model::DiagnosticSink& log) {
  if (files.ratings.empty() || files.links.empty()) {
    throw InputError(files.ratings.empty() ? "--links needs --ratings (ratings.csv or ratings_small.csv)"
                                           : "--ratings needs --links (links.csv)");
  }
  impl_ = std::make_unique<Impl>(files, csv, log);
}

RatingsStage::~RatingsStage() = default;

void RatingsStage::read(const std::function<bool(std::int64_t)>& is_movie) {
  impl_->read_links(is_movie);
  impl_->read_ratings();
}

void RatingsStage::for_each_rated(
    const std::function<void(std::int64_t, const model::RatingAggregate&)>& visit) const {
  impl_->aggregator.for_each(visit);
}

std::optional<std::string> RatingsStage::too_many_rejects(double max_ratio) const {
  for (const RatingsFileCounts* c : {&links(), &ratings()}) {
    if (c->records_read > 0 &&
        static_cast<double>(c->rejected) > max_ratio * static_cast<double>(c->records_read)) {
      return fmt::format("{}: {} of {} records rejected ({:.4f}%), above --max-reject-ratio {}", c->name,
                         c->rejected, c->records_read,
                         100.0 * static_cast<double>(c->rejected) / static_cast<double>(c->records_read),
                         max_ratio);
    }
  }
  return std::nullopt;
}

std::vector<std::pair<std::string, std::uint64_t>> RatingsStage::write_tables(table::TableSink& sink) const {
  std::vector<std::pair<std::string, std::uint64_t>> rows;
  {
    auto writer = sink.open(model::movie_rating_schema());
    for (const auto& [movie_id, a] : impl_->aggregator.sorted()) {
      const table::Cell row[] = {movie_id, static_cast<std::int64_t>(a.count), a.sum(), a.mean(),
                                 a.first_rated, a.last_rated};
      writer->write_row(row);
    }
    writer->finish();
    rows.emplace_back(writer->schema().name, writer->rows_written());
  }
  {
    auto writer = sink.open(model::link_schema());
    for (const model::Link& link : impl_->kept_links) {
      const table::Cell row[] = {link.movielens_id,
                                 link.imdb_id ? table::Cell(std::string_view(*link.imdb_id)) : table::Null{},
                                 *link.tmdb_id};
      writer->write_row(row);
    }
    writer->finish();
    rows.emplace_back(writer->schema().name, writer->rows_written());
  }
  return rows;
}

boost::json::object RatingsStage::manifest() const {
  return {{"links", file_json(links(), true)},
          {"ratings", file_json(ratings(), false)},
          {"movies_rated", impl_->aggregator.movies()}};
}

const RatingsFileCounts& RatingsStage::links() const { return impl_->links.counts(); }
const RatingsFileCounts& RatingsStage::ratings() const { return impl_->ratings.counts(); }

}  // namespace marquee::job

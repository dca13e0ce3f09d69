#include "job/etl_job.hpp"

#include <unistd.h>

#include <chrono>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

#include <fmt/format.h>

#include "common/atomic_file.hpp"
#include "common/path_guard.hpp"
#include "common/error.hpp"
#include "common/sha256.hpp"
#include "common/thread_role.hpp"
#include "common/utf8.hpp"
#include "csv/reader.hpp"
#include "input/byte_source.hpp"
#include "job/batch_pipeline.hpp"
#include "job/error_log.hpp"
#include "model/columns.hpp"
#include "model/model_builder.hpp"
#include "model/validate.hpp"
#include "rollup/rollups.hpp"
#include "table/csv_writer.hpp"

namespace marquee::job {
namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Hashes and counts the input bytes as the reader pulls them, so the manifest
// describes exactly the bytes that were parsed, at no extra pass.
class HashingSource : public input::ByteSource {
 public:
  explicit HashingSource(input::ByteSource& inner) : inner_(inner) {}
  std::size_t read(char* buffer, std::size_t size) override {
    const std::size_t n = inner_.read(buffer, size);
    hash_.update(buffer, n);
    bytes_ += n;
    return n;
  }
  const std::string& name() const override { return inner_.name(); }
  std::optional<std::uint64_t> size() const override { return inner_.size(); }
  std::uint64_t bytes() const { return bytes_; }
  std::string digest() { return hash_.hex_digest(); }

 private:
  input::ByteSource& inner_;
  Sha256 hash_;
  std::uint64_t bytes_ = 0;
};

// The CSV stage's bad-row policy: every line the reader gives up on becomes
// one rejected row in the error log. The reader runs ahead of the error log,
// so the diagnostic is kept in the batch being filled, at its place between
// the records.
std::string rejected_line_message(const csv::InvalidRecord& bad) {
  switch (bad.kind) {
    case csv::InvalidKind::FieldCount:
      return fmt::format("record has {} fields, expected {}; line {} rejected, reading resumes at the next line",
                         bad.field_count, bad.expected_fields, bad.line);
    case csv::InvalidKind::RecordTooLarge:
      return fmt::format("record of {} bytes (lines {}-{}) is over the record size limit of {} bytes; "
                         "rejected whole, reading resumes after it (raise the limit with --max-record-bytes)",
                         bad.record_bytes, bad.line, bad.end_line, bad.max_record_bytes);
    case csv::InvalidKind::UnterminatedQuote:
      if (bad.to_end_of_input) {
        return fmt::format("a quote opened in this record never closes, and the {} bytes from it to the end of "
                           "the input (lines {}-{}) are over the record size limit of {} bytes; all of them "
                           "rejected as this one record (--max-record-bytes)",
                           bad.record_bytes, bad.line, bad.end_line, bad.max_record_bytes);
      }
      return fmt::format("a quote opened in this record never closes; line {} rejected, reading resumes at the "
                         "next line", bad.line);
  }
  return {};
}

model::Reason rejected_line_reason(csv::InvalidKind kind) {
  switch (kind) {
    case csv::InvalidKind::FieldCount: return model::Reason::FieldCount;
    case csv::InvalidKind::UnterminatedQuote: return model::Reason::UnterminatedQuote;
    case csv::InvalidKind::RecordTooLarge: return model::Reason::RecordTooLarge;
  }
  return model::Reason::FieldCount;
}

model::Diagnostic rejected_line_diagnostic(const csv::InvalidRecord& bad) {
  return model::Diagnostic{model::Severity::Error, rejected_line_reason(bad.kind), bad.line,
                           std::nullopt, std::nullopt, rejected_line_message(bad), utf8::excerpt(bad.raw_line)};
}

class RejectedLinePolicy : public csv::InvalidRecordHandler {
 public:
  void fill_into(RecordBatch* batch) { batch_ = batch; }
  void on_invalid(const csv::InvalidRecord& bad) override {
    batch_->rejected.push_back({batch_->records.size(), rejected_line_diagnostic(bad)});
  }

 private:
  RecordBatch* batch_ = nullptr;
};

// A batch ends at whichever comes first. Small batches keep the records a
// batch carries from stage to stage in the cores' caches (1 MiB batches cost
// 15% more CPU than 64 KiB ones at 10x).
constexpr std::size_t kBatchBytes = 64 << 10;
constexpr std::size_t kBatchEvents = 4096;

// Reader stage: copies the next records (and the lines rejected between
// them) into a batch.
void fill_batch(csv::Reader& reader, RejectedLinePolicy& policy, RecordBatch& batch) {
  policy.fill_into(&batch);
  csv::Record record;
  while (batch.bytes.size() < kBatchBytes && batch.records.size() + batch.rejected.size() < kBatchEvents) {
    const csv::ReadResult read = reader.read(record);
    if (read == csv::ReadResult::End) {
      batch.last = true;
      break;
    }
    if (read == csv::ReadResult::Record) append_record(batch, record);
  }
  batch.bytes_read = reader.bytes_read();
  policy.fill_into(nullptr);
}

// Gives every diagnostic of the current record an excerpt of its raw text
// when the stage that reported it did not have one.
class RecordExcerptSink : public model::DiagnosticSink {
 public:
  explicit RecordExcerptSink(model::DiagnosticSink& inner) : inner_(inner) {}
  void set_record(std::string_view raw) { raw_ = raw; }
  void report(model::Diagnostic d) override {
    if (d.excerpt.empty()) d.excerpt = utf8::excerpt(raw_);
    inner_.report(std::move(d));
  }

 private:
  model::DiagnosticSink& inner_;
  std::string_view raw_;
};

// A directory that disappears unless published: tables are staged here and
// renamed into place only when complete.
class StagingDir {
 public:
  explicit StagingDir(const fs::path& parent)
      : path_(parent / fmt::format(".staging-tables-{}-{:08x}", ::getpid(), std::random_device{}())), guard_(path_) {
    fs::create_directories(path_);
  }
  const fs::path& path() const { return path_; }
  void publish_as(const fs::path& target) {
    fsync_directory(path_);
    fs::remove_all(target);
    fs::rename(path_, target);
    guard_.release();
    fsync_directory(target.parent_path());
  }

 private:
  fs::path path_;
  PathGuard guard_;
};

void report_repaired(model::DiagnosticSink& sink, const RecordBatch::RecordInfo& record,
                     std::optional<std::int64_t> movie_id) {
  sink.report(model::Diagnostic{
      model::Severity::Info, model::Reason::Repaired, record.line, movie_id, std::nullopt,
      fmt::format("record split over lines {} and {} (a line break in an unquoted field) was "
                  "joined back into one record",
                  record.line, record.second_line),
      ""});
}

// The first ordered stage: applies each record's outcome in input order (the
// error log, counts, duplicates, first names). The kept movies' rows and
// rollups follow in later ordered stages, so everything that depends on
// order stays sequential, and the output is the same whatever the threads.
class RecordConsumer {
 public:
  RecordConsumer(model::DiagnosticSink& log, RecordExcerptSink& diagnostics,
                 model::ModelBuilder& builder, Counts& counts)
      : log_(log), diagnostics_(diagnostics), builder_(builder), counts_(counts) {}

  void consume(RecordBatch& batch) {
    std::size_t rejected = 0;
    const std::size_t n = batch.records.size();
    batch.kept.assign(n, 0);
    for (std::size_t i = 0; i <= n; ++i) {
      for (; rejected < batch.rejected.size() && batch.rejected[rejected].before_record <= i; ++rejected) {
        ++counts_.records_read;
        ++counts_.rejected;
        log_.report(std::move(batch.rejected[rejected].diagnostic));
      }
      if (i < n) apply(batch, i);
    }
  }

 private:
  void apply(RecordBatch& batch, std::size_t i) {
    const RecordBatch::RecordInfo& record = batch.records[i];
    ++counts_.records_read;
    diagnostics_.set_record(batch.view(record.raw));
    for (std::uint32_t d = i == 0 ? 0 : batch.diagnostics_end[i - 1]; d < batch.diagnostics_end[i]; ++d) {
      diagnostics_.report(std::move(batch.diagnostics[d]));
    }
    const bool accepted = batch.accepted[i] != 0;
    const model::Movie& movie = batch.movies[i];
    if (record.repaired) {
      ++counts_.repaired;
      report_repaired(diagnostics_, record, accepted ? std::optional(movie.id) : std::nullopt);
    }
    if (!accepted) {
      ++counts_.rejected;
    } else {
      batch.kept[i] = builder_.admit(movie) ? 1 : 0;
    }
  }

  model::DiagnosticSink& log_;
  RecordExcerptSink& diagnostics_;
  model::ModelBuilder& builder_;
  Counts& counts_;
};

// Lets writers be opened from two threads, whatever the sink: each writer
// is then used by one thread only.
class SerializedOpenSink : public table::TableSink {
 public:
  explicit SerializedOpenSink(table::TableSink& inner) : inner_(inner) {}
  std::unique_ptr<table::TableWriter> open(const table::Schema& schema) override {
    std::lock_guard lock(mutex_);
    return inner_.open(schema);
  }
  std::string extension() const override { return inner_.extension(); }

 private:
  table::TableSink& inner_;
  std::mutex mutex_;
};

using TableRows = std::vector<std::pair<std::string, std::uint64_t>>;

// Runs the tasks at once, the first on the calling thread, the others on
// threads of their own that commit their files to `durable` too; rethrows the
// first error once all are done.
void run_concurrently(const std::vector<std::function<void()>>& tasks, DeferredSync& durable) {
  std::vector<std::exception_ptr> errors(tasks.size());
  std::vector<std::thread> threads;
  const auto run = [&](std::size_t i) {
    try {
      tasks[i]();
    } catch (...) {
      errors[i] = std::current_exception();
    }
  };
  for (std::size_t i = 1; i < tasks.size(); ++i) {
    try {
      threads.emplace_back([&, i] {
        set_thread_role("marquee-finish");
        DeferredSync::Join join(durable);
        run(i);
      });
    } catch (...) {  // no thread to be had: run it here
      run(i);
    }
  }
  if (!tasks.empty()) run(0);
  for (std::thread& thread : threads) thread.join();
  for (const std::exception_ptr& error : errors) {
    if (error) std::rethrow_exception(error);
  }
}

// Finishes the model's tables and writes the rollups. They are independent
// (the rollups only read the dimensions), and so are the three rollup
// tables, so with threads to spare they are written at once; `sink` must
// allow that (SerializedOpenSink). Rows per table, in the manifest's order
// either way.
TableRows finish_tables(table::TableSink& sink, model::ModelBuilder& builder, rollup::Rollups& rollups,
                        DeferredSync& durable, bool parallel) {
  constexpr auto& kRollups = rollup::Rollups::kTables;
  std::vector<std::uint64_t> rollup_rows(std::size(kRollups));
  std::vector<std::function<void()>> tasks{[&] { builder.finish(); }};
  for (std::size_t i = 0; i < std::size(kRollups); ++i) {
    tasks.emplace_back([&, i] { rollup_rows[i] = rollups.write(kRollups[i], sink, builder.dimensions()); });
  }
  if (parallel) {
    run_concurrently(tasks, durable);
  } else {
    for (const auto& task : tasks) task();
  }
  TableRows rows = builder.table_rows();
  for (std::size_t i = 0; i < std::size(kRollups); ++i) {
    rows.emplace_back(rollup::Rollups::schema_of(kRollups[i]).name, rollup_rows[i]);
  }
  return rows;
}

bool too_many_rejects(const Counts& counts, double max_ratio) {
  if (counts.records_read == 0) return false;
  return static_cast<double>(counts.rejected) > max_ratio * static_cast<double>(counts.records_read);
}

}  // namespace

EtlResult run_etl(const EtlOptions& options) {
  const auto started = Clock::now();
  // Every file but the manifest is made durable in one batch at the end.
  std::optional<DeferredSync> durable(std::in_place);
  auto source = input::open_input(options.input);
  HashingSource hashing(*source);
  fs::create_directories(options.out_dir);

  ErrorLog log(options.out_dir / "errors.jsonl");
  RecordExcerptSink diagnostics(log);
  RejectedLinePolicy policy;
  csv::Reader reader(hashing, policy, options.csv);
  const model::ColumnMap columns(reader.header(), source->name());
  // Opened now so that a missing ratings file or column fails before any work.
  std::optional<RatingsStage> ratings;
  // Given, or found beside movies_metadata.csv in the dataset's directory or zip.
  const RatingsFiles ratings_files = options.ratings.given() ? options.ratings : find_ratings_files(options.input);
  if (ratings_files.given()) ratings.emplace(ratings_files, options.csv, log);

  StagingDir staging(options.out_dir);
  auto sink = options.make_sink ? options.make_sink(staging.path())
                                : std::make_unique<table::CsvTableSink>(staging.path());
  SerializedOpenSink tables(*sink);
  model::ModelBuilder builder(tables, diagnostics);
  builder.set_source_file(fs::path(source->name()).filename().string());  // lineage: the file's name, not its path
  rollup::Rollups rollups;
  rollup::RatingRollups rating_rollups;  // outlives the rollups' writes
  if (ratings) rollups.set_ratings(&rating_rollups);
  rollups.set_spill(options.out_dir, options.rollup_memory);

  Counts counts;
  RecordConsumer consumer(log, diagnostics, builder, counts);
  std::uint64_t next_progress = 0;
  std::vector<const model::Movie*> kept_movies;
  const auto for_each_kept = [](RecordBatch& batch, const auto& apply) {
    for (std::size_t i = 0; i < batch.records.size(); ++i) {
      if (batch.kept[i]) apply(batch.movies[i]);
    }
  };
  const BatchStages stages{
      .fill = [&](RecordBatch& batch) { fill_batch(reader, policy, batch); },
      .validate = [&](RecordBatch& batch) { validate_batch(batch, columns); },
      .ordered = {
          // Decisions and rollups on one thread: they read the same parts of
          // each movie, which then are in that core's cache already.
          [&](RecordBatch& batch) {
            consumer.consume(batch);
            kept_movies.clear();
            for_each_kept(batch, [&](const model::Movie& movie) { kept_movies.push_back(&movie); });
            rollups.add(kept_movies);
            if (options.progress && batch.bytes_read >= next_progress) {
              options.progress(batch.bytes_read, source->size().value_or(0));
              next_progress = batch.bytes_read + (16 << 20);
            }
          },
          // Rows: the movie table (strings, the most to encode and compress)
          // and the bridge tables on two threads of their own.
          [&](RecordBatch& batch) {
            for_each_kept(batch, [&](const model::Movie& movie) { builder.write_movie_row(movie); });
          },
          [&](RecordBatch& batch) {
            for_each_kept(batch, [&](const model::Movie& movie) { builder.write_bridge_rows(movie); });
          },
      }};
  // A total that would overflow fails the run (docs/DATA_MODEL.md, Numbers):
  // the job stops at that movie, logs it, and writes a failed manifest.
  std::optional<std::string> overflow;
  try {
    run_batches(stages, options.threads);
  } catch (const rollup::SumOverflow& e) {
    overflow = fmt::format("{} (movie {} at line {}); the job stopped there", e.what(), e.movie_id, e.line);
    log.report(model::Diagnostic{model::Severity::Error, model::Reason::SumOverflow, e.line, e.movie_id,
                                 std::nullopt, *overflow, ""});
  }
  if (options.progress) options.progress(hashing.bytes(), source->size().value_or(0));  // 100%
  std::optional<std::string> ratings_failure;
  if (ratings && !overflow) {
    ratings->read([&](std::int64_t id) { return builder.has_movie(id); });
    ratings->for_each_rated([&](std::int64_t id, const model::RatingAggregate& a) {
      rating_rollups.add(id, {a.count, a.half_star_sum});
    });
    ratings_failure = ratings->too_many_rejects(options.max_reject_ratio);
  }
  counts.movies_kept = builder.counts().movies;
  counts.duplicates = builder.counts().duplicates;
  const double read_ms = ms_since(started);

  EtlResult result;
  Manifest& m = result.manifest;
  m.input_name = source->name();
  m.input_size = hashing.bytes();
  m.input_sha256 = hashing.digest();
  m.format = options.format;
  m.max_reject_ratio = options.max_reject_ratio;
  m.counts = counts;
  if (ratings) m.ratings = ratings->manifest();
  m.succeeded = !overflow && !ratings_failure && !too_many_rejects(counts, options.max_reject_ratio);

  const auto write_started = Clock::now();
  if (m.succeeded) {
    sink->set_file_metadata(table::marquee_file_metadata(options.run_id, m.input_sha256));
    TableRows rows;
    try {
      rows = finish_tables(tables, builder, rollups, *durable, options.threads > 1);
    } catch (const std::overflow_error& e) {
      // Only the merge of spilled rollup parts overflows this late (adding
      // checks every total at its movie): fail the run as a SumOverflow would.
      overflow = fmt::format("{}; found when merging the rollups' spilled parts, where no one movie is to "
                             "blame", e.what());
      log.report(model::Diagnostic{model::Severity::Error, model::Reason::SumOverflow, 0, std::nullopt,
                                   std::nullopt, *overflow, ""});
      m.succeeded = false;
    }
    for (const auto& [name, n] : rows) {
      m.tables.push_back({name, "tables/" + name + "." + sink->extension(), n});
    }
    if (ratings && m.succeeded) {
      for (const auto& [name, n] : ratings->write_tables(tables)) {
        m.tables.push_back({name, "tables/" + name + "." + sink->extension(), n});
      }
    }
  }
  if (!m.succeeded) {
    m.tables.clear();
    result.exit_code = 1;
    m.failure = overflow ? *overflow : ratings_failure ? *ratings_failure : fmt::format("{} of {} records rejected ({:.4f}%), above --max-reject-ratio {}",
                            counts.rejected, counts.records_read,
                            100.0 * static_cast<double>(counts.rejected) /
                                static_cast<double>(counts.records_read),
                            options.max_reject_ratio);
    fs::remove_all(options.out_dir / "tables");
  }
  counts.warnings = log.count(model::Severity::Warning);
  m.counts.warnings = counts.warnings;
  m.diagnostics = log.by_reason();
  log.commit();
  durable->sync();  // the tables and the error log, all at once
  durable.reset();
  if (m.succeeded) staging.publish_as(options.out_dir / "tables");
  result.rollup_parts = rollups.spilled_parts();
  m.timings_ms = {{"read_validate", read_ms}, {"write", ms_since(write_started)},
                  {"total", ms_since(started)}};
  AtomicFile manifest_file(options.out_dir / "manifest.json");
  manifest_file.write(to_json(m));
  manifest_file.commit();
  return result;
}

}  // namespace marquee::job

#include "job/record_batch.hpp"

#include <limits>
#include <stdexcept>

#include "common/utf8.hpp"
#include "model/validate.hpp"

namespace marquee::job {
namespace {

RecordBatch::Slice append_bytes(std::string& bytes, std::string_view text) {
  if (bytes.size() + text.size() > std::numeric_limits<std::uint32_t>::max()) {
    // Batches are cut at a few MiB; a record is at most max_record_bytes.
    throw std::length_error("record batch exceeds 4 GiB");
  }
  const auto offset = static_cast<std::uint32_t>(bytes.size());
  bytes.append(text);
  return {offset, static_cast<std::uint32_t>(text.size())};
}

// Collects one record's diagnostics in the batch, giving each an excerpt of
// the record when the stage that reported it had none (as the sequential job
// always did).
class BatchDiagnostics : public model::DiagnosticSink {
 public:
  BatchDiagnostics(std::vector<model::Diagnostic>& out, std::string_view raw) : out_(out), raw_(raw) {}
  void report(model::Diagnostic d) override {
    if (d.excerpt.empty()) d.excerpt = utf8::excerpt(raw_);
    out_.push_back(std::move(d));
  }

 private:
  std::vector<model::Diagnostic>& out_;
  std::string_view raw_;
};

}  // namespace

void RecordBatch::clear_input() {
  last = false;
  bytes.clear();
  fields.clear();
  records.clear();
  rejected.clear();
}

csv::Record RecordBatch::record(std::size_t index, std::vector<std::string_view>& fields_out) const {
  const RecordInfo& info = records[index];
  fields_out.clear();
  for (std::uint32_t i = 0; i < info.field_count; ++i) fields_out.push_back(view(fields[info.first_field + i]));
  csv::Record r;
  r.line = info.line;
  r.end_line = info.end_line;
  r.byte_offset = info.byte_offset;
  r.raw = view(info.raw);
  r.fields = fields_out;
  r.repaired = info.repaired;
  r.second_line = info.second_line;
  return r;
}

void append_record(RecordBatch& batch, const csv::Record& record) {
  RecordBatch::RecordInfo info;
  info.line = record.line;
  info.end_line = record.end_line;
  info.byte_offset = record.byte_offset;
  info.second_line = record.second_line;
  info.repaired = record.repaired;
  info.raw = append_bytes(batch.bytes, record.raw);
  info.first_field = static_cast<std::uint32_t>(batch.fields.size());
  info.field_count = static_cast<std::uint32_t>(record.fields.size());
  // Most values are verbatim slices of the raw record: store those as offsets
  // and copy only the unescaped ones.
  const char* raw_begin = record.raw.data();
  const char* raw_end = raw_begin + record.raw.size();
  for (const std::string_view field : record.fields) {
    if (field.empty()) {
      batch.fields.push_back({info.raw.offset, 0});
    } else if (field.data() >= raw_begin && field.data() + field.size() <= raw_end) {
      const auto at = static_cast<std::uint32_t>(field.data() - raw_begin);
      batch.fields.push_back({info.raw.offset + at, static_cast<std::uint32_t>(field.size())});
    } else {
      batch.fields.push_back(append_bytes(batch.bytes, field));
    }
  }
  batch.records.push_back(info);
}

void validate_batch(RecordBatch& batch, const model::ColumnMap& columns) {
  const std::size_t n = batch.records.size();
  if (batch.movies.size() < n) batch.movies.resize(n);
  batch.accepted.assign(n, 0);
  batch.diagnostics.clear();
  batch.diagnostics_end.assign(n, 0);
  std::vector<std::string_view> fields;
  for (std::size_t i = 0; i < n; ++i) {
    const csv::Record record = batch.record(i, fields);
    BatchDiagnostics sink(batch.diagnostics, record.raw);
    batch.accepted[i] = model::validate_into(record, columns, sink, batch.movies[i]) ? 1 : 0;
    batch.diagnostics_end[i] = static_cast<std::uint32_t>(batch.diagnostics.size());
  }
}

}  // namespace marquee::job

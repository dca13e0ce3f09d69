#include "job/error_log.hpp"

#include "common/json.hpp"
#include "common/utf8.hpp"

namespace marquee::job {

void append_jsonl(std::string& out, const model::Diagnostic& d) {
  json::ObjectWriter w(out);
  w.field("severity", model::to_string(d.severity)).field("reason", model::to_string(d.reason));
  if (d.file) w.field("file", *d.file);
  w.field("line", d.line)
      .field("movie_id", d.movie_id)
      .field("column", d.column)
      .field("message", d.message)
      .field("excerpt", utf8::excerpt(d.excerpt, 200))
      .close();
  out += '\n';
}

ErrorLog::ErrorLog(const std::filesystem::path& path) : file_(path) {}

void ErrorLog::report(model::Diagnostic diagnostic) {
  line_.clear();
  append_jsonl(line_, diagnostic);
  file_.write(line_);
  ++by_severity_[static_cast<std::size_t>(diagnostic.severity)];
  std::string key(model::to_string(diagnostic.severity));
  key += '/';
  key += model::to_string(diagnostic.reason);
  ++by_reason_[key];
}

void ErrorLog::commit() { file_.commit(); }

std::uint64_t ErrorLog::count(model::Severity severity) const {
  return by_severity_[static_cast<std::size_t>(severity)];
}

}  // namespace marquee::job

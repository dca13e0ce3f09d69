#pragma once
// errors.jsonl: one JSON object per diagnostic, in input order:
// {"severity","reason","line","movie_id","column","message","excerpt"}.
// The file appears (atomically) only at commit(); counts are kept as it goes.
#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "common/atomic_file.hpp"
#include "model/diagnostic.hpp"

namespace marquee::job {

// Serializes one diagnostic as a JSON line (with the trailing newline).
void append_jsonl(std::string& out, const model::Diagnostic& diagnostic);

class ErrorLog : public model::DiagnosticSink {
 public:
  explicit ErrorLog(const std::filesystem::path& path);
  void report(model::Diagnostic diagnostic) override;
  void commit();

  std::uint64_t count(model::Severity severity) const;
  // Diagnostics per "severity/reason", e.g. "error/invalid_release_date".
  const std::map<std::string, std::uint64_t>& by_reason() const { return by_reason_; }

 private:
  AtomicFile file_;
  std::string line_;
  std::array<std::uint64_t, 3> by_severity_{};
  std::map<std::string, std::uint64_t> by_reason_;
};

}  // namespace marquee::job

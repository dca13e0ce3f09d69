#pragma once
// manifest.json: what a run read, kept, rejected and wrote. Keys (stable,
// documented in docs/ERROR_LOG.md):
//   marquee_version, schema_version, status ("succeeded" | "failed"), failure
//   (message, failed runs only), input {name, size, sha256}, format,
//   max_reject_ratio, counts {records_read, movies_kept, rejected, repaired,
//   duplicates, warnings}, ratings (only with --ratings/--links), diagnostics {"<severity>/<reason>": n},
//   tables {<name>: {file, rows}}, timings_ms {read_validate, write, total}.
// Identity: records_read = movies_kept + rejected + duplicates.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace marquee::job {

struct Counts {
  std::uint64_t records_read = 0;
  std::uint64_t movies_kept = 0;
  std::uint64_t rejected = 0;
  std::uint64_t repaired = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t warnings = 0;
};

struct TableEntry {
  std::string name;
  std::string file;  // relative to the run directory
  std::uint64_t rows = 0;
};

struct Manifest {
  bool succeeded = false;
  std::string failure;
  std::string input_name;
  std::uint64_t input_size = 0;
  std::string input_sha256;
  std::string format;
  double max_reject_ratio = 0;
  Counts counts;
  // Written after counts when ratings were read (job/ratings_job.hpp).
  std::optional<boost::json::object> ratings;
  std::map<std::string, std::uint64_t> diagnostics;
  std::vector<TableEntry> tables;
  std::vector<std::pair<std::string, double>> timings_ms;
};

// Pretty-printed JSON with a trailing newline; keys in the order above.
std::string to_json(const Manifest& manifest);

// Any JSON value, two-space indented, keys in insertion order, doubles in
// their shortest round-trip form, with a trailing newline.
std::string pretty_json(const boost::json::value& value);

}  // namespace marquee::job

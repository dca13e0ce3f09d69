#include "job/manifest_check.hpp"

#include <chrono>
#include <regex>
#include <set>
#include <string>
#include <string_view>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "common/error.hpp"
#include "marquee/version.hpp"
#include "store/store.hpp"

namespace marquee::job {
namespace fs = std::filesystem;
namespace bj = boost::json;
namespace {

class Checker {
 public:
  explicit Checker(const fs::path& manifest) : manifest_(manifest.string()) {}

  [[noreturn]] void fail(std::string_view field, std::string_view what) const {
    throw InputError(fmt::format("{}: field \"{}\" {}; refusing to load", manifest_, field, what));
  }

  const bj::value& at(const bj::object& parent, std::string_view key, std::string_view field) const {
    const bj::value* v = parent.if_contains(key);
    if (v == nullptr) fail(field, "is missing");
    return *v;
  }
  const bj::object& object(const bj::object& parent, std::string_view key, std::string_view field) const {
    const bj::value& v = at(parent, key, field);
    if (!v.is_object()) fail(field, "is not an object");
    return v.as_object();
  }
  std::string string(const bj::object& parent, std::string_view key, std::string_view field) const {
    const bj::value& v = at(parent, key, field);
    if (!v.is_string() || v.as_string().empty()) fail(field, "is not a non-empty string");
    return std::string(v.as_string());
  }
  std::uint64_t count(const bj::value& v, std::string_view field) const {
    if (v.is_uint64()) return v.as_uint64();
    if (v.is_int64() && v.as_int64() >= 0) return static_cast<std::uint64_t>(v.as_int64());
    fail(field, "is not a non-negative integer");
  }
  std::uint64_t count(const bj::object& parent, std::string_view key, std::string_view field) const {
    return count(at(parent, key, field), field);
  }
  double number(const bj::value& v, std::string_view field) const {
    if (!v.is_number()) fail(field, "is not a number");
    return v.to_number<double>();
  }

 private:
  std::string manifest_;
};

// Keys `marquee run` writes; `failure` only in failed manifests (never loaded).
const std::set<std::string_view> kTopLevel = {
    "run_id", "created_at", "marquee_version", "schema_version", "status", "input", "format",
    "max_reject_ratio", "counts", "diagnostics", "tables", "timings_ms", "files", "corrections", "diff",
    "archive", "ratings"};
const char* const kCounts[] = {"records_read", "movies_kept", "rejected", "repaired", "duplicates", "warnings"};

std::string directory_name(const fs::path& dir) {
  const fs::path normal = dir.lexically_normal();
  return normal.has_filename() ? normal.filename().string() : normal.parent_path().filename().string();
}

// YYYY-MM-DD at the front, already matched by the pattern.
bool real_date(const std::string& timestamp) {
  const auto number = [&](std::size_t at, std::size_t n) { return std::stoi(timestamp.substr(at, n)); };
  const std::chrono::year_month_day day{std::chrono::year{number(0, 4)},
                                        std::chrono::month{static_cast<unsigned>(number(5, 2))},
                                        std::chrono::day{static_cast<unsigned>(number(8, 2))}};
  return day.ok();
}

void check_identity(const Checker& c, const bj::object& root, const fs::path& dir) {
  for (const auto& [key, value] : root) {
    if (!kTopLevel.contains(std::string_view(key))) c.fail(key, "is not a manifest field this Marquee knows");
  }
  const bj::value& version = c.at(root, "schema_version", "schema_version");
  if (!version.is_int64() && !version.is_uint64()) c.fail("schema_version", "is not an integer");
  // Compared without to_number<int64_t>(), which throws for a uint64 beyond int64.
  if (!version.is_int64() || version.as_int64() != kSchemaVersion) {
    c.fail("schema_version", fmt::format("is {}; this Marquee reads version {}", bj::serialize(version),
                                         kSchemaVersion));
  }
  c.string(root, "marquee_version", "marquee_version");
  const std::string run_id = c.string(root, "run_id", "run_id");
  if (!store::valid_run_id(run_id)) c.fail("run_id", fmt::format("'{}' is not a run id", run_id));
  if (run_id != directory_name(dir)) {
    c.fail("run_id", fmt::format("is '{}' but the directory is named '{}'", run_id, directory_name(dir)));
  }
  static const std::regex timestamp(R"(\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?Z)");
  const std::string created_at = c.string(root, "created_at", "created_at");
  if (!std::regex_match(created_at, timestamp)) {
    c.fail("created_at", "is not a UTC timestamp like 2024-05-01T12:00:00.000Z");
  }
  // The pattern lets 2024-02-30 through; the calendar does not.
  if (!real_date(created_at)) c.fail("created_at", fmt::format("'{}' is not a date in the calendar", created_at.substr(0, 10)));
}

void check_input(const Checker& c, const bj::object& root) {
  if (c.string(root, "format", "format") != "parquet") c.fail("format", "is not \"parquet\"");
  const bj::object& input = c.object(root, "input", "input");
  c.string(input, "name", "input.name");
  c.count(input, "size", "input.size");
  static const std::regex sha256("[0-9a-f]{64}");
  if (!std::regex_match(c.string(input, "sha256", "input.sha256"), sha256)) {
    c.fail("input.sha256", "is not 64 lowercase hex digits");
  }
  const double ratio = c.number(c.at(root, "max_reject_ratio", "max_reject_ratio"), "max_reject_ratio");
  if (!(ratio >= 0.0 && ratio <= 1.0)) c.fail("max_reject_ratio", "is not between 0 and 1");
}

void check_counts(const Checker& c, const bj::object& root) {
  const bj::object& counts = c.object(root, "counts", "counts");
  for (const auto& [key, value] : counts) {
    if (std::find(std::begin(kCounts), std::end(kCounts), std::string_view(key)) == std::end(kCounts)) {
      c.fail("counts." + std::string(key), "is not a count this Marquee knows");
    }
  }
  std::map<std::string, std::uint64_t> n;
  for (const char* key : kCounts) n[key] = c.count(counts, key, std::string("counts.") + key);
  const unsigned __int128 accounted =
      static_cast<unsigned __int128>(n["movies_kept"]) + n["rejected"] + n["duplicates"];
  if (accounted != n["records_read"]) {
    c.fail("counts", fmt::format("break records_read = movies_kept + rejected + duplicates ({} != {} + {} + {})",
                                 n["records_read"], n["movies_kept"], n["rejected"], n["duplicates"]));
  }
  for (const auto& [key, value] : c.object(root, "diagnostics", "diagnostics")) {
    c.count(value, "diagnostics." + std::string(key));
  }
  for (const auto& [key, value] : c.object(root, "timings_ms", "timings_ms")) {
    if (c.number(value, "timings_ms." + std::string(key)) < 0) c.fail("timings_ms." + std::string(key), "is negative");
  }
  if (root.contains("corrections")) c.object(root, "corrections", "corrections");
  if (root.contains("diff")) {
    for (const auto& [key, value] : c.object(root, "diff", "diff")) {
      if (key != "against") c.count(value, "diff." + std::string(key));
    }
  }
}

// `archive` (marquee run --archive): {"url": "s3://BUCKET/PREFIX/RUN_ID/"},
// where the run was to be archived; docs/S3.md.
void check_archive(const Checker& c, const bj::object& root) {
  if (!root.contains("archive")) return;
  const std::string url = c.string(c.object(root, "archive", "archive"), "url", "archive.url");
  const std::string tail = "/" + c.string(root, "run_id", "run_id") + "/";
  if (url.rfind("s3://", 0) != 0 || url.size() < tail.size() || url.compare(url.size() - tail.size(), tail.size(), tail) != 0) {
    c.fail("archive.url", "is not an s3:// URL ending in /RUN_ID/");
  }
}

// The manifest's "ratings" (job/ratings_job.hpp): per file, its identity and
// records_read = kept + rejected + without_movie (+ duplicates for links).
void check_ratings_file(const Checker& c, const bj::object& ratings, std::string_view key, bool duplicates) {
  const std::string field = "ratings." + std::string(key);
  const bj::object& file = c.object(ratings, key, field);
  std::set<std::string_view> allowed = {"name", "size", "sha256", "records_read", "kept", "rejected", "without_movie"};
  if (duplicates) allowed.insert("duplicates");
  for (const auto& [name, value] : file) {
    if (!allowed.contains(std::string_view(name))) c.fail(field + "." + std::string(name), "is not a field this Marquee knows");
  }
  c.string(file, "name", field + ".name");
  c.count(file, "size", field + ".size");
  static const std::regex sha256("[0-9a-f]{64}");
  if (!std::regex_match(c.string(file, "sha256", field + ".sha256"), sha256)) {
    c.fail(field + ".sha256", "is not 64 lowercase hex digits");
  }
  const std::uint64_t read = c.count(file, "records_read", field + ".records_read");
  unsigned __int128 accounted = c.count(file, "kept", field + ".kept");
  accounted += c.count(file, "rejected", field + ".rejected");
  accounted += c.count(file, "without_movie", field + ".without_movie");
  if (duplicates) accounted += c.count(file, "duplicates", field + ".duplicates");
  if (accounted != read) c.fail(field, "breaks records_read = kept + rejected + without_movie (+ duplicates)");
}

void check_ratings(const Checker& c, const bj::object& root) {
  if (!root.contains("ratings")) return;
  const bj::object& ratings = c.object(root, "ratings", "ratings");
  for (const auto& [key, value] : ratings) {
    if (key != "links" && key != "ratings" && key != "movies_rated") {
      c.fail("ratings." + std::string(key), "is not a field this Marquee knows");
    }
  }
  check_ratings_file(c, ratings, "links", true);
  check_ratings_file(c, ratings, "ratings", false);
  c.count(ratings, "movies_rated", "ratings.movies_rated");
}

void check_tables(const Checker& c, const bj::object& root) {
  const bj::object& tables = c.object(root, "tables", "tables");
  std::set<std::string> known;
  for (const table::Schema* schema : store::snapshot_tables()) known.insert(schema->name);
  // Ratings tables: present exactly when ratings were read.
  if (root.contains("ratings")) known.insert({"movie_rating", "link"});
  for (const auto& [name, entry] : tables) {
    const std::string field = "tables." + std::string(name);
    if (!known.contains(std::string(name))) c.fail(field, "is not a table of this Marquee");
    if (!entry.is_object()) c.fail(field, "is not an object");
    if (c.string(entry.as_object(), "file", field + ".file") != "tables/" + std::string(name) + ".parquet") {
      c.fail(field + ".file", fmt::format("is not \"tables/{}.parquet\"", std::string(name)));
    }
    c.count(entry.as_object(), "rows", field + ".rows");
  }
  for (const std::string& name : known) {
    if (!tables.contains(name)) c.fail("tables." + name, "is missing");
  }
}

}  // namespace

void check_manifest_fields(const bj::object& root, const fs::path& dir, const fs::path& manifest_path) {
  const Checker c(manifest_path);
  check_identity(c, root, dir);
  check_input(c, root);
  check_counts(c, root);
  check_ratings(c, root);
  check_tables(c, root);
  check_archive(c, root);
}

}  // namespace marquee::job

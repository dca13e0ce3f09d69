#include "job/run_dir.hpp"
#include "job/manifest_check.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <random>
#include <sstream>

#include <boost/json.hpp>
#include <fmt/chrono.h>
#include <fmt/format.h>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/sha256.hpp"
#include "job/manifest.hpp"
#include "store/store.hpp"

namespace marquee::job {
namespace fs = std::filesystem;
namespace bj = boost::json;
namespace {

void fsync_file(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(1, fmt::format("cannot open {} to sync it", path.string()));
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw Error(1, fmt::format("cannot sync {}", path.string()));
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot read", path.string()));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Relative, inside the directory, no "..": the manifest is untrusted input.
bool safe_relative(const std::string& path) {
  const fs::path p(path);
  if (path.empty() || p.is_absolute()) return false;
  return std::none_of(p.begin(), p.end(), [](const fs::path& part) { return part == ".."; });
}

const bj::object& object_at(const bj::object& parent, std::string_view key, const fs::path& manifest) {
  const bj::value* v = parent.if_contains(key);
  if (v == nullptr || !v->is_object()) {
    throw InputError(fmt::format("{}: no \"{}\" object; not a run directory written by `marquee run`",
                                 manifest.string(), key));
  }
  return v->as_object();
}

std::string string_at(const bj::object& parent, std::string_view key) {
  const bj::value* v = parent.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::uint64_t number_at(const bj::object& parent, std::string_view key, const fs::path& where) {
  const bj::value* v = parent.if_contains(key);
  if (v == nullptr || !(v->is_uint64() || (v->is_int64() && v->as_int64() >= 0))) {
    throw InputError(fmt::format("{}: \"{}\" is not a non-negative integer", where.string(), key));
  }
  return v->to_number<std::uint64_t>();
}

void check_file(const fs::path& dir, const std::string& name, const bj::object& entry, const fs::path& manifest) {
  if (!safe_relative(name)) {
    throw InputError(fmt::format("{}: file entry '{}' is not a path inside the run directory", manifest.string(), name));
  }
  const fs::path path = dir / name;
  std::error_code error;
  const std::uint64_t size = fs::file_size(path, error);
  if (error) throw InputError(fmt::format("run directory {}: {} is missing", dir.string(), name));
  const std::uint64_t expected_size = number_at(entry, "size", manifest);
  if (size != expected_size) {
    throw InputError(fmt::format("run directory {}: {} has {} bytes, its manifest says {}; refusing to load",
                                 dir.string(), name, size, expected_size));
  }
  const std::string sha = Sha256::of_file(path.string());
  const std::string expected_sha = string_at(entry, "sha256");
  if (sha != expected_sha) {
    throw InputError(fmt::format(
        "run directory {}: {} does not match its manifest (sha256 {}, expected {}); refusing to load",
        dir.string(), name, sha, expected_sha));
  }
}

}  // namespace

std::string new_run_id() {
  const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  std::random_device rd;
  // fmt 9 formats a system_clock time_point in local time: go through gmtime.
  return fmt::format("{:%Y%m%dT%H%M%S}Z-{:06x}", fmt::gmtime(std::chrono::system_clock::to_time_t(now)),
                     rd() & 0xffffff);
}

std::vector<fs::path> remove_stale_staging(const DataDir& data) {
  std::vector<fs::path> removed;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(data.runs(), error)) {
    if (entry.path().filename().string().starts_with(".staging-")) {
      fs::remove_all(entry.path());
      removed.push_back(entry.path());
    }
  }
  return removed;
}

void seal_manifest(const fs::path& dir, const Manifest& manifest, const std::string& run_id,
                   const std::string& created_at, const bj::object& extra) {
  const bj::value base = bj::parse(to_json(manifest));
  bj::object out;
  out["run_id"] = run_id;
  out["created_at"] = created_at;
  for (const auto& [key, value] : base.as_object()) out[key] = value;
  for (const auto& [key, value] : extra) out[key] = value;
  std::vector<std::string> names;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    const std::string name = fs::relative(entry.path(), dir).generic_string();
    if (name != "manifest.json") names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  bj::object files;
  for (const std::string& name : names) {
    files[name] = {{"size", fs::file_size(dir / name)}, {"sha256", Sha256::of_file((dir / name).string())}};
  }
  out["files"] = std::move(files);
  AtomicFile file(dir / "manifest.json");
  file.write(pretty_json(out));
  file.commit();
}

void commit_directory(const fs::path& staging, const fs::path& target) {
  std::vector<fs::path> directories = {staging};
  for (const auto& entry : fs::recursive_directory_iterator(staging)) {
    if (entry.is_regular_file()) fsync_file(entry.path());
    if (entry.is_directory()) directories.push_back(entry.path());
  }
  // Deepest first, so each directory's entries are durable before its parent's.
  std::reverse(directories.begin(), directories.end());
  for (const fs::path& d : directories) fsync_directory(d);
  fs::rename(staging, target);
  fsync_directory(target.parent_path());
}

VerifiedRun verify_run_dir(const fs::path& dir) {
  const fs::path manifest_path = dir / "manifest.json";
  if (!fs::is_directory(dir)) throw InputError(fmt::format("{}: not a directory", dir.string()));
  VerifiedRun run;
  run.dir = dir;
  run.manifest = read_text(manifest_path);
  boost::system::error_code parse_error;
  const bj::value doc = bj::parse(run.manifest, parse_error);
  if (parse_error || !doc.is_object()) {
    throw InputError(fmt::format("{}: not valid JSON ({})", manifest_path.string(), parse_error.message()));
  }
  const bj::object& root = doc.as_object();
  if (string_at(root, "status") != "succeeded") {
    throw InputError(fmt::format("{}: status is '{}', not 'succeeded': a failed run has no tables to load",
                                 manifest_path.string(), string_at(root, "status")));
  }
  check_manifest_fields(root, dir, manifest_path);
  run.run_id = string_at(root, "run_id");
  if (!store::valid_run_id(run.run_id)) {
    throw InputError(fmt::format("{}: run_id '{}' is missing or invalid", manifest_path.string(), run.run_id));
  }
  run.created_at = string_at(root, "created_at");
  if (run.created_at.empty()) throw InputError(fmt::format("{}: no created_at", manifest_path.string()));
  if (const auto* input = root.if_contains("input"); input && input->is_object()) {
    run.input_sha256 = string_at(input->as_object(), "sha256");
  }
  const bj::object& files = object_at(root, "files", manifest_path);
  for (const auto& [name, entry] : files) {
    if (!entry.is_object()) throw InputError(fmt::format("{}: bad entry for {}", manifest_path.string(), std::string(name)));
    check_file(dir, std::string(name), entry.as_object(), manifest_path);
  }
  const bj::object& tables = object_at(root, "tables", manifest_path);
  // Every snapshot table must be listed; the ratings tables only in runs that read ratings.
  const auto add_table = [&](const table::Schema& schema, bool required) {
    const bj::value* entry = tables.if_contains(schema.name);
    if (entry == nullptr && !required) return;
    if (entry == nullptr || !entry->is_object()) {
      throw InputError(fmt::format("{}: table {} is {}", manifest_path.string(), schema.name,
                                   entry == nullptr ? "missing" : "not an object"));
    }
    const std::string file = string_at(entry->as_object(), "file");
    if (!files.contains(file)) {
      throw InputError(fmt::format("{}: the file of table {} ('{}') has no checksum in \"files\"",
                                   manifest_path.string(), schema.name, file));
    }
    run.table_files[schema.name] = dir / file;
    run.table_rows[schema.name] = number_at(entry->as_object(), "rows", manifest_path);
  };
  for (const table::Schema* schema : store::snapshot_tables()) add_table(*schema, true);
  for (const table::Schema* schema : store::ratings_tables()) add_table(*schema, false);
  return run;
}

}  // namespace marquee::job

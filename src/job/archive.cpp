#include "job/archive.hpp"

#include <fstream>
#include <regex>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "job/run_dir.hpp"
#include "objstore/s3_client.hpp"
#include "store/store.hpp"

namespace marquee::job {
namespace fs = std::filesystem;
namespace bj = boost::json;
namespace {

void say(const std::function<void(const std::string&)>& log, const std::string& line) {
  if (log) log(line);
}

std::string now_utc() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

bj::object manifest_files(const fs::path& dir) {
  std::ifstream in(dir / "manifest.json", std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return bj::parse(text).as_object().at("files").as_object();
}

// Only plain relative paths of the characters Marquee writes: a manifest from
// S3 is untrusted, and these paths become local file names.
bool safe_relative_path(const std::string& path) {
  static const std::regex allowed(R"([A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*)");
  return path.size() <= 200 && std::regex_match(path, allowed) && path.find("..") == std::string::npos &&
         path != "manifest.json" && path != "archive.json";
}

}  // namespace

std::string archive_url(const std::string& to, const std::string& run_id) {
  objstore::S3Location base = objstore::parse_s3_url(to);
  if (!base.key.empty() && base.key.back() != '/') base.key += '/';
  return "s3://" + base.bucket + "/" + base.key + run_id + "/";
}

ArchiveResult archive_run_dir(const fs::path& run_dir, const std::string& to,
                              const std::function<void(const std::string&)>& log) {
  const VerifiedRun run = verify_run_dir(run_dir);
  ArchiveResult result;
  result.url = archive_url(to, run.run_id);
  const objstore::S3Location base = objstore::parse_s3_url(result.url);
  objstore::S3Client client(objstore::S3Config::from_env(result.url));
  for (const auto& [name, entry] : manifest_files(run_dir)) {
    const std::string path(name);
    const std::size_t parts = client.put_file(base.child(path), run_dir / path);
    if (parts > 1) ++result.multipart_files;
    ++result.objects;
    result.bytes += entry.as_object().at("size").to_number<std::uint64_t>();
  }
  // Last: the manifest marks the archived run complete.
  client.put_file(base.child("manifest.json"), run_dir / "manifest.json");
  ++result.objects;
  result.bytes += fs::file_size(run_dir / "manifest.json");
  bj::object record{{"url", result.url}, {"archived_at", now_utc()}, {"objects", result.objects}, {"bytes", result.bytes}};
  AtomicFile file(run_dir / "archive.json");
  file.write(bj::serialize(record) + "\n");
  file.commit();
  say(log, fmt::format("archived run {} to {} ({} objects, {} bytes, {} multipart)", run.run_id, result.url,
                       result.objects, result.bytes, result.multipart_files));
  return result;
}

fs::path download_archived_run(const std::string& url, const fs::path& into,
                               const std::function<void(const std::string&)>& log) {
  objstore::S3Location base = objstore::parse_s3_url(url);
  while (!base.key.empty() && base.key.back() == '/') base.key.pop_back();
  const std::string run_id = base.key.substr(base.key.find_last_of('/') + 1);
  if (!store::valid_run_id(run_id)) {
    throw InputError(fmt::format("{}: the URL does not end in a run id (s3://BUCKET/PREFIX/RUN_ID)", url));
  }
  objstore::S3Client client(objstore::S3Config::from_env(url));
  const fs::path dir = into / run_id;
  fs::create_directories(dir);
  constexpr std::uint64_t kMaxManifest = 16u << 20;
  std::string manifest;
  const objstore::S3Location manifest_at = base.child("manifest.json");
  client.get(manifest_at, 0, kMaxManifest, [&](const char* data, std::size_t n) { manifest.append(data, n); });
  boost::system::error_code error;
  const bj::value doc = bj::parse(manifest, error);
  const bj::object* files = nullptr;
  if (!error && doc.is_object()) {
    if (const auto* f = doc.as_object().if_contains("files"); f && f->is_object()) files = &f->as_object();
  }
  if (files == nullptr) throw InputError(fmt::format("{}: not a run manifest (no \"files\")", manifest_at.url()));
  {
    std::ofstream out(dir / "manifest.json", std::ios::binary);
    out << manifest;
  }
  for (const auto& [name, entry] : *files) {
    const std::string path(name);
    if (!safe_relative_path(path) || !entry.is_object() || !entry.as_object().contains("size") ||
        !entry.as_object().at("size").is_number()) {
      throw InputError(fmt::format("{}: bad file entry '{}'", manifest_at.url(), path));
    }
    const auto size = entry.as_object().at("size").to_number<std::uint64_t>();
    fs::create_directories((dir / path).parent_path());
    std::ofstream out(dir / path, std::ios::binary | std::ios::trunc);
    std::uint64_t written = 0;
    // One byte beyond the listed size is enough to tell a mismatch; verify
    // (size, sha256) happens in `marquee load` as for any run directory.
    client.get(base.child(path), 0, size + 1, [&](const char* data, std::size_t n) {
      out.write(data, static_cast<std::streamsize>(n));
      written += n;
    });
    if (!out) throw InputError(fmt::format("cannot write {}", (dir / path).string()));
    say(log, fmt::format("downloaded {} ({} bytes)", base.child(path).url(), written));
  }
  return dir;
}

}  // namespace marquee::job

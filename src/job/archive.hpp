#pragma once
// Archiving run directories to S3 and restoring them (docs/S3.md).
//
// Layout: s3://BUCKET/PREFIX/RUN_ID/<path> for every file the run's manifest
// lists (tables/*.parquet, errors.jsonl), then s3://BUCKET/PREFIX/RUN_ID/
// manifest.json LAST: an archived run is complete exactly when its manifest
// is there. Every upload's payload is checked by the server (Content-MD5 and
// the signed x-amz-content-sha256); files above the part size go up in
// multipart uploads. Once the manifest is up, RUN_DIR/archive.json records
// where and when (a file beside the manifest, not listed in it, so the
// manifest and its checksums never change after sealing).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

namespace marquee::job {

struct ArchiveResult {
  std::string url;  // s3://BUCKET/PREFIX/RUN_ID/
  std::size_t objects = 0;
  std::uint64_t bytes = 0;
  std::size_t multipart_files = 0;
};

// "s3://BUCKET/PREFIX" + run id -> "s3://BUCKET/PREFIX/RUN_ID/".
std::string archive_url(const std::string& to, const std::string& run_id);

// Verifies `run_dir` against its manifest, then uploads it under `to`.
// Throws objstore::S3Error naming the object and S3's error code (the run
// directory is left as it was: run `marquee archive` again to finish).
ArchiveResult archive_run_dir(const std::filesystem::path& run_dir, const std::string& to,
                              const std::function<void(const std::string&)>& log);

// Downloads the archived run at s3://BUCKET/PREFIX/RUN_ID into
// `into`/RUN_ID/ (which must not exist): its manifest first, then every file
// the manifest lists (paths checked before anything is written; sizes capped
// at the manifest's). Returns the directory; `marquee load` then verifies it
// as any run directory. Throws InputError/S3Error naming the URL.
std::filesystem::path download_archived_run(const std::string& url, const std::filesystem::path& into,
                                            const std::function<void(const std::string&)>& log);

}  // namespace marquee::job

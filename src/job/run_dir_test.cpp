#include "job/run_dir.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iterator>
#include <regex>

#include <boost/json.hpp>

#include "common/error.hpp"
#include "store/migrations.hpp"
#include "store/store.hpp"

namespace marquee::job {
namespace {

namespace fs = std::filesystem;

// SHA-256 test vectors (FIPS 180-2): "abc" and the empty string.
constexpr const char* kShaAbc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
constexpr const char* kShaEmpty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class RunDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("marquee-run-dir-test-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A minimal complete run directory: every snapshot table has a file (whose
  // content does not matter to verify_run_dir), plus errors.jsonl.
  fs::path make_run(const std::string& run_id) {
    const fs::path run = dir_ / run_id;
    Manifest m;
    m.succeeded = true;
    m.format = "parquet";
    m.input_name = "movies.csv";
    m.input_sha256 = std::string(64, 'a');
    for (const table::Schema* schema : store::snapshot_tables()) {
      const std::string file = "tables/" + schema->name + ".parquet";
      write(run / file, schema->name == "movie" ? "abc" : schema->name);
      m.tables.push_back({schema->name, file, 3});
    }
    write(run / "errors.jsonl", "");
    seal_manifest(run, m, run_id, "2024-05-01T12:00:00.000Z");
    return run;
  }
  fs::path dir_;
};

TEST_F(RunDirTest, RunIdsAreSortableTimestampsWithARandomSuffix) {
  const std::string a = new_run_id();
  EXPECT_TRUE(std::regex_match(a, std::regex(R"(\d{8}T\d{6}Z-[0-9a-f]{6})"))) << a;
  EXPECT_TRUE(store::valid_run_id(a));
  EXPECT_NE(a, new_run_id());
}

// Now as strftime(format) in UTC, computed with gmtime_r (independent of fmt).
std::string utc_strftime(const char* format) {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, format, &tm);
  return text;
}

// Run ids and created_at end in 'Z': they must be UTC whatever TZ says (fmt 9
// formats a system_clock time_point in local time).
TEST_F(RunDirTest, RunIdsAndCreatedAtAreUtcWhateverTheTimeZone) {
  const char* old = std::getenv("TZ");
  const std::string saved = old ? old : "";
  ::setenv("TZ", "JST-9", 1);  // POSIX rule: UTC+9, no tzdata needed
  ::tzset();
  const std::string id_before = utc_strftime("%Y%m%dT%H%M"), stamp_before = utc_strftime("%Y-%m-%dT%H:%M");
  const std::string id = new_run_id(), created_at = store::utc_now();
  const std::string id_after = utc_strftime("%Y%m%dT%H%M"), stamp_after = utc_strftime("%Y-%m-%dT%H:%M");
  if (old) ::setenv("TZ", saved.c_str(), 1); else ::unsetenv("TZ");
  ::tzset();
  EXPECT_TRUE(id.substr(0, 13) == id_before || id.substr(0, 13) == id_after) << id << " vs UTC " << id_before;
  EXPECT_TRUE(created_at.substr(0, 16) == stamp_before || created_at.substr(0, 16) == stamp_after)
      << created_at << " vs UTC " << stamp_before;
}

TEST_F(RunDirTest, SealedManifestListsEveryFileWithSizeAndSha256) {
  const fs::path run = make_run("r1");
  std::ifstream in(run / "manifest.json");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto doc = boost::json::parse(text).as_object();
  EXPECT_EQ(doc.begin()->key(), "run_id");  // first, for people reading it
  EXPECT_EQ(doc.at("run_id"), "r1");
  EXPECT_EQ(doc.at("created_at"), "2024-05-01T12:00:00.000Z");
  const auto& files = doc.at("files").as_object();
  EXPECT_EQ(files.size(), store::snapshot_tables().size() + 1);  // tables + errors.jsonl, not the manifest
  EXPECT_EQ(files.at("tables/movie.parquet").at("sha256"), kShaAbc);
  EXPECT_EQ(files.at("tables/movie.parquet").at("size"), 3);
  EXPECT_EQ(files.at("errors.jsonl").at("sha256"), kShaEmpty);
  EXPECT_FALSE(files.contains("manifest.json"));
}

TEST_F(RunDirTest, VerifiedRunNamesItsTablesAndRows) {
  const fs::path run = make_run("r1");
  const VerifiedRun v = verify_run_dir(run);
  EXPECT_EQ(v.run_id, "r1");
  EXPECT_EQ(v.table_files.size(), store::snapshot_tables().size());
  EXPECT_EQ(v.table_files.at("genre_year"), run / "tables/genre_year.parquet");
  EXPECT_EQ(v.table_rows.at("movie"), 3u);
}

void expect_refused(const fs::path& run, const std::string& needle) {
  try {
    verify_run_dir(run);
    FAIL() << "expected the run directory to be refused";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

TEST_F(RunDirTest, ATamperedFileIsRefusedByName) {
  const fs::path run = make_run("r1");
  write(run / "tables/movie.parquet", "abd");  // same size, other bytes
  expect_refused(run, "tables/movie.parquet does not match its manifest");
}

TEST_F(RunDirTest, ATruncatedFileIsRefusedByName) {
  const fs::path run = make_run("r1");
  write(run / "tables/genre.parquet", "gen");
  expect_refused(run, "tables/genre.parquet has 3 bytes, its manifest says 5");
}

TEST_F(RunDirTest, AMissingFileIsRefusedByName) {
  const fs::path run = make_run("r1");
  fs::remove(run / "tables/company_year.parquet");
  expect_refused(run, "tables/company_year.parquet is missing");
}

TEST_F(RunDirTest, AManifestWithoutChecksumsOrWithEscapingPathsIsRefused) {
  const fs::path run = make_run("r1");
  const auto sealed = boost::json::parse(read(run / "manifest.json")).as_object();
  auto without_files = sealed;
  without_files.erase("files");
  write(run / "manifest.json", boost::json::serialize(without_files));
  expect_refused(run, "no \"files\" object");
  auto escaping = sealed;
  escaping["files"] = {{"../../etc/passwd", {{"size", 1}, {"sha256", ""}}}};
  write(run / "manifest.json", boost::json::serialize(escaping));
  expect_refused(run, "not a path inside the run directory");
  write(run / "manifest.json", R"({"status": "failed", "run_id": "r1"})");
  expect_refused(run, "status is 'failed'");
  write(run / "manifest.json", "{not json");
  expect_refused(run, "not valid JSON");
}

// A schema_version beyond int64 is still an integer to Boost.JSON (uint64):
// it must be refused naming the field (InputError, exit 2), not escape as
// Boost's "not exact" conversion error (exit 1).
TEST_F(RunDirTest, AHugeSchemaVersionIsRefusedNamingTheField) {
  const fs::path run = make_run("r1");
  auto manifest = boost::json::parse(read(run / "manifest.json")).as_object();
  manifest["schema_version"] = std::uint64_t{18446744073709551615u};
  write(run / "manifest.json", boost::json::serialize(manifest));
  expect_refused(run, "field \"schema_version\" is 18446744073709551615");
}

TEST_F(RunDirTest, CommitDirectoryRenamesWholeAndStaleStagingIsRemoved) {
  DataDir data{dir_ / "data"};
  fs::create_directories(data.staging("old"));
  write(data.staging("old") / "tables/movie.parquet.tmp-123", "partial");
  write(data.staging("new") / "tables/movie.parquet", "x");
  commit_directory(data.staging("new"), data.run("new"));
  EXPECT_TRUE(fs::exists(data.run("new") / "tables/movie.parquet"));
  EXPECT_FALSE(fs::exists(data.staging("new")));
  const auto removed = remove_stale_staging(data);
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(removed[0], data.staging("old"));
  EXPECT_FALSE(fs::exists(data.staging("old")));
  EXPECT_TRUE(fs::exists(data.run("new")));
}

}  // namespace
}  // namespace marquee::job

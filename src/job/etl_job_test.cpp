// The job as a whole, on small hand-made inputs: what lands on disk, what
// the manifest counts, and what a failing run leaves behind.
#include "job/etl_job.hpp"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zip.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "common/error.hpp"
#include "common/sha256.hpp"

namespace marquee::job {
namespace {
namespace fs = std::filesystem;

const char* kHeader =
    "adult,belongs_to_collection,budget,genres,homepage,id,imdb_id,original_language,"
    "original_title,overview,popularity,poster_path,production_companies,production_countries,"
    "release_date,revenue,runtime,spoken_languages,status,tagline,title,video,vote_average,"
    "vote_count\r\n";

// A valid record in the Kaggle column order.
std::string row(const std::string& id, const std::string& budget = "100",
                const std::string& release_date = "1995-10-30",
                const std::string& overview = "\"An overview, with a comma\"") {
  return "False,," + budget +
         ",\"[{'id': 35, 'name': 'Comedy'}]\",," + id + ",tt1,en,Title," + overview +
         ",1.5,/p.jpg,\"[{'name': 'Pixar', 'id': 3}]\",\"[{'iso_3166_1': 'US', 'name': "
         "'United States of America'}]\"," +
         release_date + ",300,81.0,\"[{'iso_639_1': 'en', 'name': 'English'}]\",Released,,Title,"
         "False,7.7,10\r\n";
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class EtlJobTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("marquee-etl-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write_input(const std::string& text, const std::string& name = "movies_metadata.csv") {
    const fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
  EtlResult run(const fs::path& input, const std::string& out = "out", double ratio = 0.01) {
    EtlOptions options;
    options.input = input.string();
    options.out_dir = dir_ / out;
    options.max_reject_ratio = ratio;
    return run_etl(options);
  }
  boost::json::object manifest(const std::string& out = "out") {
    return boost::json::parse(slurp(dir_ / out / "manifest.json")).as_object();
  }
  fs::path dir_;
};

TEST_F(EtlJobTest, CountsEveryRecordAndWritesAllTables) {
  // 4 records: two kept, one rejected (bad date), one duplicate of the first.
  const auto input = write_input(std::string(kHeader) + row("1") + row("2") +
                                 row("3", "100", "2019-02-30") + row("1"));
  const EtlResult result = run(input, "out", 0.5);
  EXPECT_EQ(result.exit_code, 0);
  const auto& c = result.manifest.counts;
  EXPECT_EQ(c.records_read, 4u);
  EXPECT_EQ(c.movies_kept, 2u);
  EXPECT_EQ(c.rejected, 1u);
  EXPECT_EQ(c.duplicates, 1u);
  for (const char* t : {"movie", "company", "genre", "country", "language", "collection",
                        "movie_company", "movie_genre", "movie_country", "movie_language",
                        "company_year", "company_year_genre", "genre_year"}) {
    EXPECT_TRUE(fs::exists(dir_ / "out" / "tables" / (std::string(t) + ".csv"))) << t;
  }
  const auto m = manifest();
  EXPECT_EQ(m.at("status"), "succeeded");
  EXPECT_EQ(m.at("counts").at("records_read").to_number<std::uint64_t>(), 4u);
  EXPECT_EQ(m.at("tables").at("movie").at("rows").to_number<std::uint64_t>(), 2u);
  EXPECT_EQ(m.at("input").at("sha256"), boost::json::string(
      [&] { std::string s = slurp(input); return marquee::Sha256::of(s); }()));
  // errors.jsonl: the rejection at line 4, the duplicate at line 5.
  std::istringstream log(slurp(dir_ / "out" / "errors.jsonl"));
  std::string line;
  std::vector<boost::json::object> entries;
  while (std::getline(log, line)) entries.push_back(boost::json::parse(line).as_object());
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].at("reason"), "invalid_release_date");
  EXPECT_EQ(entries[0].at("line").as_int64(), 4);
  EXPECT_EQ(entries[0].at("movie_id").as_int64(), 3);
  EXPECT_EQ(entries[1].at("reason"), "duplicate_id");
  EXPECT_EQ(entries[1].at("line").as_int64(), 5);
  // No staging directory is left behind.
  for (const auto& e : fs::directory_iterator(dir_ / "out")) {
    EXPECT_EQ(e.path().filename().string().find(".staging"), std::string::npos);
  }
}

TEST_F(EtlJobTest, TooManyRejectsFailsWithoutTables) {
  const auto input = write_input(std::string(kHeader) + row("1") + row("x"));
  fs::create_directories(dir_ / "out" / "tables");  // stale tables of an earlier run
  const EtlResult result = run(input);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_FALSE(fs::exists(dir_ / "out" / "tables"));
  const auto m = manifest();
  EXPECT_EQ(m.at("status"), "failed");
  EXPECT_NE(m.at("failure").as_string().find("1 of 2 records rejected"), std::string::npos);
  EXPECT_NE(slurp(dir_ / "out" / "errors.jsonl").find("invalid_id"), std::string::npos);
}

TEST_F(EtlJobTest, SameInputSameBytes) {
  const auto input = write_input(std::string(kHeader) + row("1") + row("2", "0") + row("1"));
  run(input, "a", 0.5);
  run(input, "b", 0.5);
  for (const auto& e : fs::directory_iterator(dir_ / "a" / "tables")) {
    EXPECT_EQ(slurp(e.path()), slurp(dir_ / "b" / "tables" / e.path().filename())) << e.path();
  }
  EXPECT_EQ(slurp(dir_ / "a" / "errors.jsonl"), slurp(dir_ / "b" / "errors.jsonl"));
}

TEST_F(EtlJobTest, ColumnsAreFoundByNameInAnyOrder) {
  // Reverse the column order and add an extra column: same tables. Both inputs
  // have the same file name, so the lineage column source_file is equal too.
  fs::create_directories(dir_ / "in-a");
  fs::create_directories(dir_ / "in-b");
  const auto straight = write_input(std::string(kHeader) + row("1") + row("2"), "in-a/movies.csv");
  std::istringstream in(slurp(straight));
  std::string shuffled, line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    // Quoted fields contain commas: move only the first field (adult, unquoted)
    // to the end and add an extra column.
    const auto comma = line.find(',');
    shuffled += line.substr(comma + 1) + "," + line.substr(0, comma) + ",extra\r\n";
  }
  const auto moved = write_input(shuffled, "in-b/movies.csv");
  run(straight, "a");
  run(moved, "b");
  for (const auto& e : fs::directory_iterator(dir_ / "a" / "tables")) {
    EXPECT_EQ(slurp(e.path()), slurp(dir_ / "b" / "tables" / e.path().filename())) << e.path();
  }
}

TEST_F(EtlJobTest, MissingColumnsAreNamed) {
  const auto input = write_input("id,title\r\n1,x\r\n");
  try {
    run(input);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("budget"), std::string::npos) << what;
    EXPECT_NE(what.find("release_date"), std::string::npos) << what;
    EXPECT_EQ(e.exit_code(), 2);
  }
  EXPECT_FALSE(fs::exists(dir_ / "out" / "manifest.json"));
}

TEST_F(EtlJobTest, EmptyAndMissingInputsAreInputErrors) {
  EXPECT_THROW(run(write_input("")), InputError);
  EXPECT_THROW(run(dir_ / "nope.csv"), InputError);
}

TEST_F(EtlJobTest, ReadsTheMemberOfAZipArchive) {
  const std::string csv = std::string(kHeader) + row("1") + row("2");
  const fs::path zip_path = dir_ / "the-movies-dataset.zip";
  int err = 0;
  zip_t* archive = zip_open(zip_path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  ASSERT_NE(archive, nullptr);
  zip_source_t* src = zip_source_buffer(archive, csv.data(), csv.size(), 0);
  ASSERT_GE(zip_file_add(archive, "movies_metadata.csv", src, ZIP_FL_OVERWRITE), 0);
  ASSERT_EQ(zip_close(archive), 0);
  const EtlResult result = run(zip_path);
  EXPECT_EQ(result.manifest.counts.movies_kept, 2u);
  EXPECT_EQ(result.manifest.input_sha256, marquee::Sha256::of(csv));
}

TEST_F(EtlJobTest, RepairedRecordIsKeptAndLogged) {
  // The overview is unquoted and holds a line break: 10 fields, then 15.
  std::string split = row("7", "100", "1995-10-30", "first half\r\nsecond half");
  const auto input = write_input(std::string(kHeader) + row("1") + split);
  const EtlResult result = run(input);
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.manifest.counts.repaired, 1u);
  EXPECT_EQ(result.manifest.counts.movies_kept, 2u);
  const std::string log = slurp(dir_ / "out" / "errors.jsonl");
  EXPECT_NE(log.find("\"reason\":\"repaired\",\"line\":3,\"movie_id\":7"), std::string::npos) << log;
  EXPECT_NE(slurp(dir_ / "out" / "tables" / "movie.csv").find("\"first half\r\nsecond half\""),
            std::string::npos);
}

}  // namespace
}  // namespace marquee::job

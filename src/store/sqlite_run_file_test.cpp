// SQLite's file per run (sqlite_run_file.hpp), beyond what the store tests
// check on both backends: where the rows are, what retirement and failed
// loads leave behind, readers across retirements, and runs loaded before
// migration V004.
#include "store/sqlite_run_file.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include <fmt/format.h>

#include "store/test_backends.hpp"

namespace marquee::store {
namespace {

constexpr int kRows = 7;

std::vector<TableData> sample_tables(int seed) { return testing::sample_tables(seed, kRows); }

NewRun new_run(const std::string& id) { return {id, "2024-01-01T00:00:00.000Z", R"({"tables": {}})"}; }

std::int64_t count(Connection& db, const std::string& sql) {
  return std::stoll(db.query(sql).rows.at(0).at(0).value());
}

std::int64_t movies_of(Connection& db, const std::string& run_id) {
  const Param id[] = {run_id};
  return std::stoll(db.query(fmt::format("SELECT COUNT(*) FROM {}movie WHERE run_id = $1", db.run_schema(run_id)), id)
                        .rows.at(0)
                        .at(0)
                        .value());
}

class RunFileTest : public testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    store_ = std::make_unique<Store>(open());
    store_->migrate();
  }
  std::filesystem::path database() const { return dir() / "test.db"; }
  std::filesystem::path file_of(const std::string& run_id) const { return sqlite_run_file(database(), run_id); }
  std::set<std::string> files() const {
    std::set<std::string> names;
    if (!std::filesystem::exists(sqlite_runs_directory(database()))) return names;
    for (const auto& e : std::filesystem::directory_iterator(sqlite_runs_directory(database())))
      names.insert(e.path().filename().string());
    return names;
  }
  std::unique_ptr<Store> store_;
};

TEST_P(RunFileTest, TheRunsRowsAreInItsFileOnlyWithRunIdGeneratedAndKeysEnforced) {
  store_->load_run(new_run("r1"), sample_tables(0));
  EXPECT_EQ(files(), (std::set<std::string>{"r1.sqlite"}));  // one file, nothing beside it
  EXPECT_EQ(count(store_->db(), "SELECT COUNT(*) FROM main.movie"), 0);
  EXPECT_EQ(movies_of(store_->db(), "r1"), kRows);
  EXPECT_EQ(store_->db().query("SELECT storage FROM runs WHERE run_id = 'r1'").rows.at(0).at(0), "file");

  auto file = connect(file_of("r1").string());
  // hidden = 2: a VIRTUAL generated column, stored in no row.
  EXPECT_EQ(file->query("SELECT hidden FROM pragma_table_xinfo('movie') WHERE name = 'run_id'").rows.at(0).at(0),
            "2");
  EXPECT_EQ(count(*file, "SELECT COUNT(*) FROM movie WHERE run_id = 'r1'"), kRows);
  // The keys of the shared tables hold in the file: a second movie 1000, or a
  // second (movie, genre) pair, is refused.
  EXPECT_THROW(file->execute("INSERT INTO movie (id, budget, revenue) VALUES (1000, 0, 0)"), DatabaseError);
  EXPECT_THROW(file->execute("INSERT INTO movie_genre SELECT movie_id, genre_id FROM movie_genre LIMIT 1"),
               DatabaseError);
  // And so do the indexes the read queries use, e.g. the name search's.
  EXPECT_EQ(count(*file, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'company_name'"), 1);
}

TEST_P(RunFileTest, RetiringDeletesTheFileAndReadersLetGoOfIt) {
  store_->load_run(new_run("r1"), sample_tables(0));
  store_->load_run(new_run("r2"), sample_tables(1));
  store_->publish("r2");
  auto reader = open();
  EXPECT_EQ(movies_of(*reader, "r1"), kRows);
  store_->retire("r1");
  EXPECT_EQ(files(), (std::set<std::string>{"r2.sqlite"}));
  // The reader's next resolution detaches the deleted file...
  EXPECT_EQ(movies_of(*reader, "r2"), kRows);
  const Result attached = reader->query("SELECT name FROM pragma_database_list WHERE name LIKE 'run:%'");
  ASSERT_EQ(attached.rows.size(), 1u);
  EXPECT_EQ(attached.rows[0][0], "run:r2");
  // ...and a retired run reads as empty, like the shared tables' rows it lost.
  EXPECT_EQ(movies_of(*reader, "r1"), 0);
  // Loaded again (from its archive, say), it is a new file, read afresh.
  store_->load_run(new_run("r1"), sample_tables(2));
  EXPECT_EQ(movies_of(*reader, "r1"), kRows);
}

TEST_P(RunFileTest, AFailedLoadLeavesNoFileAndNoRun) {
  auto tables = sample_tables(0);
  tables[0].write_rows = [](table::TableWriter& w) {  // movie 1000 twice
    const auto rows = testing::sample_rows(*snapshot_tables()[0], 1);
    testing::write_owned(w, rows);
    testing::write_owned(w, rows);
  };
  try {
    store_->load_run(new_run("r1"), tables);
    ADD_FAILURE() << "the load succeeded";
  } catch (const DatabaseError& e) {
    // The failing table's own error, not the other thread's being stopped.
    EXPECT_NE(std::string(e.what()).find("UNIQUE constraint failed"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(files().empty());
  EXPECT_FALSE(store_->run("r1").has_value());
  store_->load_run(new_run("r1"), sample_tables(0));
  EXPECT_EQ(movies_of(store_->db(), "r1"), kRows);
}

TEST_P(RunFileTest, RetentionRemovesOrphanFilesOnly) {
  store_->load_run(new_run("r1"), sample_tables(0));
  const auto directory = sqlite_runs_directory(database());
  const std::string mine = fmt::format("r9.sqlite.loading-{}", ::getpid());  // a load in progress
  const std::string mine_part = mine + ".part";
  for (const std::string name : {"ghost.sqlite", "r8.sqlite.loading-999999999", "r8.sqlite.loading-999999999.part",
                                 "notes.txt", "r7.sqlite.loading-12x", mine.c_str(), mine_part.c_str()})
    std::ofstream(directory / name) << "x";
  store_->retire_old_runs(5);
  EXPECT_EQ(files(), (std::set<std::string>{"r1.sqlite", "notes.txt", "r7.sqlite.loading-12x", mine, mine_part}));
}

TEST_P(RunFileTest, ALoadedRunWithoutItsFileIsAnErrorNamingTheFile) {
  store_->load_run(new_run("r1"), sample_tables(0));
  std::filesystem::remove(file_of("r1"));
  auto reader = open();
  try {
    reader->run_schema("r1");
    FAIL() << "no error";
  } catch (const DatabaseError& e) {
    EXPECT_NE(std::string(e.what()).find(file_of("r1").string()), std::string::npos) << e.what();
  }
}

TEST_P(RunFileTest, OneSessionReadsMoreRunsThanItCanAttachAtOnce) {
  for (int i = 0; i < 12; ++i) store_->load_run(new_run(fmt::format("r{}", i)), sample_tables(i));
  auto reader = open();
  for (int pass = 0; pass < 2; ++pass) {
    for (int i = 0; i < 12; ++i) {
      const std::string run = fmt::format("r{}", i);
      const Param id[] = {run};
      // Each run's own rows: its first movie id is 1000 + 100000 * seed.
      EXPECT_EQ(reader->query(fmt::format("SELECT min(id) FROM {}movie WHERE run_id = $1", reader->run_schema(run)), id)
                    .rows.at(0)
                    .at(0),
                std::to_string(1000 + 100000 * i));
    }
  }
}

TEST_P(RunFileTest, RunsLoadedBeforeV004StayReadableInTheSharedTables) {
  // A database migrated to V003 by an older Marquee, with one run loaded.
  const auto dir = this->dir() / "old";
  std::filesystem::create_directories(dir);
  const std::string url = "sqlite:" + (dir / "old.db").string();
  {
    auto db = connect(url);
    const auto all = embedded_migrations("sqlite");
    const std::vector<Migration> up_to_v3(all.begin(), all.begin() + 3);
    migrate(*db, up_to_v3);
  }
  Store old(connect(url));
  old.load_run(new_run("old"), sample_tables(0));
  EXPECT_EQ(count(old.db(), "SELECT COUNT(*) FROM main.movie WHERE run_id = 'old'"), kRows);
  old.migrate();
  old.load_run(new_run("new"), sample_tables(1));
  auto reader = connect(url);
  EXPECT_EQ(reader->run_schema("old"), "");
  EXPECT_EQ(reader->run_schema("new"), "\"run:new\".");
  EXPECT_EQ(movies_of(*reader, "old"), kRows);
  EXPECT_EQ(movies_of(*reader, "new"), kRows);
  old.publish("new");
  old.retire("old");
  EXPECT_EQ(count(old.db(), "SELECT COUNT(*) FROM main.movie"), 0);
}

// A later migration that changes a snapshot table changes new run files
// only: a file built before is refused, saying which table differs and how
// to rebuild it, rather than failing on a missing column somewhere later.
TEST_P(RunFileTest, ARunFileBuiltForAnotherSchemaIsRefusedSayingWhy) {
  store_->load_run(new_run("r1"), sample_tables(0));
  store_->db().execute("ALTER TABLE movie ADD COLUMN box_office_rank INTEGER");
  auto reader = open();
  // Refused each time, not "already attached"; also inside a transaction,
  // where a file once attached could not be detached again until its end.
  reader->begin();
  for (int attempt = 0; attempt < 2; ++attempt) {
    try {
      reader->run_schema("r1");
      FAIL() << "the older file was attached";
    } catch (const DatabaseError& e) {
      const std::string message = e.what();
      EXPECT_NE(message.find(file_of("r1").string() + " was built for another schema"), std::string::npos) << message;
      EXPECT_NE(message.find("its table movie has columns ("), std::string::npos) << message;
      EXPECT_NE(message.find("box_office_rank"), std::string::npos) << message;
      EXPECT_NE(message.find("Run the job again (marquee run)"), std::string::npos) << message;
    }
  }
  const std::string attached = reader->query("SELECT group_concat(name, ',') FROM pragma_database_list").rows.at(0).at(0).value();
  EXPECT_EQ(attached.find("run:r1"), std::string::npos) << attached;
  reader->rollback();
  // A run loaded after the change has the column, and reads.
  store_->load_run(new_run("r2"), sample_tables(1));
  EXPECT_EQ(movies_of(*reader, "r2"), kRows);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, RunFileTest, ::testing::Values(std::string("sqlite")), testing::backend_name);

}  // namespace
}  // namespace marquee::store

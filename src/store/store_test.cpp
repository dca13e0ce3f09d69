#include "store/store.hpp"

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <stdexcept>

#include <fmt/format.h>

#include "store/test_backends.hpp"

namespace marquee::store {
namespace {

using testing::BackendTest;

constexpr int kRows = 7;

std::vector<TableData> sample_tables(int seed) { return testing::sample_tables(seed, kRows); }

NewRun new_run(const std::string& id, const std::string& created_at) {
  return {id, created_at, R"({"tables": {"movie": {"file": "tables/movie.parquet", "rows": 7}}})"};
}

class StoreTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    store_ = std::make_unique<Store>(open());
    store_->migrate();
  }
  void TearDown() override {
    store_.reset();
    BackendTest::TearDown();
  }
  void load(const std::string& id, int seed = 0) {
    store_->load_run(new_run(id, "2024-01-0" + std::to_string(seed + 1) + "T00:00:00.000Z"),
                     sample_tables(seed));
  }
  std::string status(const std::string& id) { return store_->run(id).value().status; }
  std::unique_ptr<Store> store_;
};

TEST_P(StoreTest, LoadsEveryTableWithTheRunId) {
  const auto rows = store_->load_run(new_run("r1", "2024-01-01T00:00:00.000Z"), sample_tables(0));
  ASSERT_EQ(rows.size(), snapshot_tables().size());
  for (const auto& [table, n] : rows) EXPECT_EQ(n, static_cast<std::uint64_t>(kRows)) << table;
  // Values read back as written: movie row 0 (sample_rows: int64 = 1000 + i,
  // string "<column>-<i>", double i + 0.25, bool i % 3 == 0, date 10000 + i).
  // SQLite: from the run's own file, whose run_id is generated, not stored.
  const Result r = store_->db().query(fmt::format(
      "SELECT run_id, id, title, popularity, adult, release_date FROM {}movie WHERE id = 1000",
      store_->db().run_schema("r1")));
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0], (std::vector<std::optional<std::string>>{"r1", "1000", "title-0", "0.25", "true",
                                                                 "1997-05-19"}));
  const RunInfo info = store_->run("r1").value();
  EXPECT_EQ(info.status, "loaded");
  EXPECT_EQ(info.created_at, "2024-01-01T00:00:00.000Z");
  EXPECT_TRUE(info.loaded_at.has_value());
  EXPECT_EQ(info.table_rows.at("movie"), 7u);
  EXPECT_FALSE(store_->published().has_value());
}

TEST_P(StoreTest, LoadingTheSameRunTwiceIsRefusedAndDuplicatesNothing) {
  load("r1");
  EXPECT_THROW(load("r1"), RunAlreadyLoaded);
  store_->publish("r1");
  EXPECT_THROW(load("r1"), RunAlreadyLoaded);
  EXPECT_EQ(store_->count_rows("movie", "r1"), static_cast<std::uint64_t>(kRows));
  EXPECT_EQ(status("r1"), "published");
}

TEST_P(StoreTest, AFailedLoadLeavesNothingBehind) {
  auto tables = sample_tables(0);
  tables[8].write_rows = [](table::TableWriter&) { throw std::runtime_error("disk on fire"); };
  EXPECT_THROW(store_->load_run(new_run("r1", "2024-01-01T00:00:00.000Z"), tables), std::runtime_error);
  EXPECT_FALSE(store_->run("r1").has_value());
  EXPECT_EQ(store_->count_rows("movie", "r1"), 0u);
  if (postgres()) {
    const Result r = store_->db().query(
        "SELECT COUNT(*) FROM pg_class WHERE relname LIKE '%:r1' AND relnamespace = current_schema()::regnamespace");
    EXPECT_EQ(r.rows[0][0], "0");
  }
  load("r1");  // and the same run loads cleanly afterwards
  EXPECT_EQ(store_->count_rows("movie_country", "r1"), static_cast<std::uint64_t>(kRows));
}

TEST_P(StoreTest, PublishFlipsThePointerAndCountsGenerations) {
  load("r1", 0);
  load("r2", 1);
  const PublishedRun first = store_->publish("r1");
  EXPECT_EQ(first.run_id, "r1");
  EXPECT_EQ(first.generation, 1);
  const PublishedRun second = store_->publish("r2");
  EXPECT_EQ(second.generation, 2);
  EXPECT_EQ(status("r1"), "loaded");
  EXPECT_EQ(status("r2"), "published");
  // Rollback: serve r1 again.
  EXPECT_EQ(store_->publish("r1").generation, 3);
  EXPECT_EQ(store_->published()->run_id, "r1");
  EXPECT_EQ(status("r2"), "loaded");
  const Result r = store_->db().query("SELECT COUNT(*) FROM runs WHERE status = 'published'");
  EXPECT_EQ(r.rows[0][0], "1");
}

TEST_P(StoreTest, PublishingAnUnknownOrRetiredRunIsRefused) {
  EXPECT_THROW(store_->publish("nope"), RunStateError);
  load("r1", 0);
  load("r2", 1);
  store_->publish("r2");
  store_->retire("r1");
  EXPECT_THROW(store_->publish("r1"), RunStateError);
  EXPECT_EQ(store_->published()->run_id, "r2");
  EXPECT_THROW(store_->retire("r2"), RunStateError);  // the published run is never retired
}

TEST_P(StoreTest, RetentionKeepsTheNewestAndThePublishedRun) {
  for (int i = 0; i < 5; ++i) load("r" + std::to_string(i), i);
  store_->publish("r0");  // rolled back to the oldest
  const auto retired = store_->retire_old_runs(2);
  // Loaded order r0..r4; keep the two most recently loaded (r4, r3) and r0.
  EXPECT_EQ(retired, (std::vector<std::string>{"r2", "r1"}));
  EXPECT_EQ(status("r0"), "published");
  EXPECT_EQ(status("r1"), "retired");
  EXPECT_EQ(status("r2"), "retired");
  EXPECT_EQ(status("r3"), "loaded");
  EXPECT_EQ(status("r4"), "loaded");
  for (const table::Schema* schema : snapshot_tables()) {
    EXPECT_EQ(store_->count_rows(schema->name, "r1"), 0u) << schema->name;
    EXPECT_EQ(store_->count_rows(schema->name, "r0"), static_cast<std::uint64_t>(kRows));
  }
  EXPECT_TRUE(store_->retire_old_runs(2).empty());
  // A retired run can be loaded again (e.g. from archived artifacts).
  load("r1", 1);
  EXPECT_EQ(status("r1"), "loaded");
  EXPECT_EQ(store_->count_rows("genre_year", "r1"), static_cast<std::uint64_t>(kRows));
}

TEST_P(StoreTest, RunsAreListedNewestFirst) {
  load("a", 2);
  load("b", 0);
  load("c", 1);
  std::vector<std::string> ids;
  for (const RunInfo& r : store_->runs()) ids.push_back(r.run_id);
  EXPECT_EQ(ids, (std::vector<std::string>{"a", "c", "b"}));  // by created_at 03, 02, 01
}

TEST_P(StoreTest, InvalidRunIdsAreRefused) {
  EXPECT_THROW(store_->load_run(new_run("bad'id", "x"), sample_tables(0)), RunStateError);
  EXPECT_THROW(store_->load_run(new_run("", "x"), sample_tables(0)), RunStateError);
  EXPECT_TRUE(valid_run_id("20240501T120000Z-1a2b3c"));
  EXPECT_FALSE(valid_run_id("-leading-dash"));
  EXPECT_FALSE(valid_run_id(std::string(41, 'a')));
}

TEST_P(StoreTest, PostgresPartitionsPerRunAndNotifiesOnPublish) {
  if (!postgres()) GTEST_SKIP() << "PostgreSQL only";
  load("r1", 0);
  const Result parts = store_->db().query(
      "SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
      "WHERE c.relname LIKE '%:r1' AND c.relnamespace = current_schema()::regnamespace");
  EXPECT_EQ(parts.rows[0][0], std::to_string(snapshot_tables().size()));

  const std::string base = std::getenv("MARQUEE_TEST_PG_URL");
  PGconn* listener = PQconnectdb(base.c_str());
  ASSERT_EQ(PQstatus(listener), CONNECTION_OK);
  PQclear(PQexec(listener, "LISTEN marquee_publish"));
  store_->publish("r1");
  std::string payload;
  for (int i = 0; i < 50 && payload.empty(); ++i) {
    PQconsumeInput(listener);
    if (PGnotify* n = PQnotifies(listener)) {
      payload = n->extra;
      PQfreemem(n);
    } else {
      usleep(20000);
    }
  }
  PQfinish(listener);
  EXPECT_EQ(payload, "r1");

  load("r2", 1);
  store_->publish("r2");
  store_->retire("r1");
  const Result left = store_->db().query(
      "SELECT count(*) FROM pg_class WHERE relname LIKE '%:r1' AND relnamespace = current_schema()::regnamespace");
  EXPECT_EQ(left.rows[0][0], "0");
}

TEST_P(StoreTest, ReadersSeeOneRunOrTheOtherAcrossAPublish) {
  load("r1", 0);
  load("r2", 1);
  store_->publish("r1");
  auto reader = open();
  // What a reader does: resolve the published run, then read its rows.
  const auto published_movies = [&] {
    const std::string run = reader->query("SELECT run_id FROM published").rows.at(0).at(0).value();
    const Param id[] = {run};
    const Result n = reader->query(
        fmt::format("SELECT COUNT(*) FROM {}movie WHERE run_id = $1", reader->run_schema(run)), id);
    return std::pair(run, n.rows.at(0).at(0).value());
  };
  // SQLite attaches a run's file outside any transaction (ATTACH cannot run
  // inside one); readers resolve runs before they begin.
  reader->run_schema("r1");
  reader->run_schema("r2");
  // A snapshot for the whole transaction (PostgreSQL's default, READ
  // COMMITTED, takes one per statement; SQLite's read transactions always do).
  if (postgres()) {
    reader->execute("BEGIN ISOLATION LEVEL REPEATABLE READ");
  } else {
    reader->begin();
  }
  EXPECT_EQ(published_movies().first, "r1");
  store_->publish("r2");
  // Inside its transaction the reader keeps its snapshot...
  EXPECT_EQ(published_movies(), std::pair(std::string("r1"), std::to_string(kRows)));
  reader->commit();
  // ...and sees the new run, whole, afterwards.
  EXPECT_EQ(published_movies(), std::pair(std::string("r2"), std::to_string(kRows)));
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::ValuesIn(testing::backends()),
                         testing::backend_name);

}  // namespace
}  // namespace marquee::store

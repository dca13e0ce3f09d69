#include "model/model_builder.hpp"

#include <gtest/gtest.h>

#include "table/memory_sink.hpp"

namespace marquee::model {
namespace {

using table::MemoryTableSink;
using table::OwnedCell;

class CollectingSink : public DiagnosticSink {
 public:
  void report(Diagnostic d) override { seen.push_back(std::move(d)); }
  std::vector<Diagnostic> seen;
};

Movie movie(std::int64_t id, std::uint64_t line, std::uint64_t hash = 1) {
  Movie m;
  m.id = id;
  m.line = line;
  m.fields_hash = hash;
  m.title = "Title " + std::to_string(id);
  m.budget = 10;
  m.companies = {{3, "Pixar"}, {7, "Other"}};
  m.genres = {{35, "Comedy"}};
  m.countries = {{"US", "United States of America"}};
  m.languages = {{"en", "English"}, {"fr", "Français"}};
  m.collection = Collection{99, "Saga", "/p.jpg", std::nullopt};
  return m;
}

TEST(ModelBuilder, FirstOccurrenceWinsAndDuplicatesAreLogged) {
  MemoryTableSink sink;
  CollectingSink diagnostics;
  ModelBuilder builder(sink, diagnostics);
  EXPECT_TRUE(builder.add(movie(862, 2, 111)));
  EXPECT_FALSE(builder.add(movie(862, 9, 111)));  // identical
  EXPECT_FALSE(builder.add(movie(862, 12, 222))); // differs
  builder.finish();

  EXPECT_EQ(builder.counts().movies, 1u);
  EXPECT_EQ(builder.counts().duplicates, 2u);
  ASSERT_EQ(diagnostics.seen.size(), 2u);
  const Diagnostic& first = diagnostics.seen[0];
  EXPECT_EQ(first.reason, Reason::DuplicateId);
  EXPECT_EQ(first.severity, Severity::Info);
  EXPECT_EQ(first.line, 9u);
  EXPECT_EQ(first.movie_id, 862);
  EXPECT_NE(first.message.find("line 2"), std::string::npos);
  EXPECT_NE(first.message.find("identical"), std::string::npos);
  EXPECT_NE(diagnostics.seen[1].message.find("differ"), std::string::npos);
  EXPECT_EQ(sink.table("movie").rows.size(), 1u);
}

TEST(ModelBuilder, WritesBridgesWithPositionsAndDimensionsByKey) {
  MemoryTableSink sink;
  CollectingSink diagnostics;
  ModelBuilder builder(sink, diagnostics);
  Movie b = movie(20, 3);
  b.companies = {{7, "Other"}, {1, "Alpha"}};
  builder.add(b);
  builder.add(movie(10, 2));
  builder.finish();

  const auto& mc = sink.table("movie_company").rows;
  ASSERT_EQ(mc.size(), 4u);
  // Input order of movies, then listing position.
  EXPECT_EQ(mc[0], (table::OwnedRow{std::int64_t{20}, std::int64_t{7}, std::int32_t{0}}));
  EXPECT_EQ(mc[1], (table::OwnedRow{std::int64_t{20}, std::int64_t{1}, std::int32_t{1}}));
  EXPECT_EQ(mc[2], (table::OwnedRow{std::int64_t{10}, std::int64_t{3}, std::int32_t{0}}));

  const auto& companies = sink.table("company").rows;
  ASSERT_EQ(companies.size(), 3u);
  EXPECT_EQ(companies[0], (table::OwnedRow{std::int64_t{1}, std::string("Alpha")}));
  EXPECT_EQ(companies[2], (table::OwnedRow{std::int64_t{7}, std::string("Other")}));
  EXPECT_EQ(sink.table("movie_language").rows.size(), 4u);
  EXPECT_EQ(sink.table("language").rows.size(), 2u);
  const auto& collection = sink.table("collection").rows;
  ASSERT_EQ(collection.size(), 1u);
  EXPECT_EQ(collection[0], (table::OwnedRow{std::int64_t{99}, std::string("Saga"),
                                            std::string("/p.jpg"), table::Null{}}));
  for (const auto& [name, rows] : builder.table_rows()) {
    EXPECT_TRUE(sink.table(name).finished) << name;
    EXPECT_EQ(sink.table(name).rows.size(), rows) << name;
  }
  EXPECT_EQ(builder.table_rows().size(), 10u);
}

TEST(ModelBuilder, MovieRowCarriesNullsAndCollection) {
  MemoryTableSink sink;
  CollectingSink diagnostics;
  ModelBuilder builder(sink, diagnostics);
  Movie m = movie(5, 2);
  m.release_date = 9433;
  m.year = 1995;
  m.popularity = 21.946943;
  builder.add(m);
  builder.finish();
  const auto& row = sink.table("movie").rows.at(0);
  const auto& schema = sink.table("movie").schema;
  EXPECT_EQ(row[schema.index_of("id")], OwnedCell(std::int64_t{5}));
  EXPECT_EQ(row[schema.index_of("imdb_id")], OwnedCell(table::Null{}));
  EXPECT_EQ(row[schema.index_of("release_date")], OwnedCell(std::int32_t{9433}));
  EXPECT_EQ(row[schema.index_of("year")], OwnedCell(std::int32_t{1995}));
  EXPECT_EQ(row[schema.index_of("popularity")], OwnedCell(21.946943));
  EXPECT_EQ(row[schema.index_of("collection_id")], OwnedCell(std::int64_t{99}));
}

TEST(Dimensions, FirstNameWinsAndConflictsAreReported) {
  Dimensions dims;
  CollectingSink diagnostics;
  Movie a = movie(1, 2);
  Movie b = movie(2, 3);
  b.companies = {{3, "Pixar Animation Studios"}};
  b.collection->name = "Saga (renamed)";
  dims.add(a, diagnostics);
  dims.add(b, diagnostics);
  EXPECT_EQ(dims.company_name(3), "Pixar");
  EXPECT_EQ(dims.collections().at(99).name, "Saga");
  ASSERT_EQ(diagnostics.seen.size(), 2u);
  EXPECT_EQ(diagnostics.seen[0].reason, Reason::ConflictingName);
  EXPECT_EQ(diagnostics.seen[0].severity, Severity::Warning);
  EXPECT_EQ(diagnostics.seen[0].line, 3u);
  EXPECT_EQ(diagnostics.seen[0].movie_id, 2);
  EXPECT_EQ(diagnostics.seen[0].column, "production_companies");
  EXPECT_EQ(diagnostics.seen[1].column, "belongs_to_collection");
}

}  // namespace
}  // namespace marquee::model

#include "model/model_builder.hpp"

#include <fmt/format.h>

#include "model/tables.hpp"

namespace marquee::model {
namespace {

using table::Cell;
using table::Null;

template <typename T>
Cell maybe(const std::optional<T>& value) {
  if (!value) return Null{};
  return Cell(*value);
}

Cell maybe_text(const std::optional<std::string>& value) {
  if (!value) return Null{};
  return std::string_view(*value);
}

}  // namespace

ModelBuilder::ModelBuilder(table::TableSink& sink, DiagnosticSink& diagnostics)
    : sink_(sink), diagnostics_(diagnostics) {
  movie_ = sink_.open(movie_schema());
  movie_company_ = sink_.open(movie_company_schema());
  movie_genre_ = sink_.open(movie_genre_schema());
  movie_country_ = sink_.open(movie_country_schema());
  movie_language_ = sink_.open(movie_language_schema());
}

ModelBuilder::~ModelBuilder() = default;

bool ModelBuilder::add(const Movie& movie) {
  if (!admit(movie)) return false;
  write_rows(movie);
  return true;
}

void ModelBuilder::write_rows(const Movie& movie) {
  write_movie(movie);
  write_bridges(movie);
}

void ModelBuilder::write_movie_row(const Movie& movie) { write_movie(movie); }

void ModelBuilder::write_bridge_rows(const Movie& movie) { write_bridges(movie); }

bool ModelBuilder::admit(const Movie& movie) {
  const auto [it, inserted] = kept_.try_emplace(movie.id, Kept{movie.line, movie.fields_hash});
  if (!inserted) {
    ++counts_.duplicates;
    const bool differs = it->second.fields_hash != movie.fields_hash;
    diagnostics_.report(Diagnostic{
        Severity::Info, Reason::DuplicateId, movie.line, movie.id, std::string("id"),
        fmt::format("id {} already kept from line {}; this occurrence is skipped ({})", movie.id,
                    it->second.line, differs ? "its fields differ" : "its fields are identical"),
        ""});
    return false;
  }
  ++counts_.movies;
  dimensions_.add(movie, diagnostics_);
  return true;
}

void ModelBuilder::write_movie(const Movie& m) {
  const Cell row[] = {
      m.id, maybe_text(m.imdb_id), maybe_text(m.title), maybe_text(m.original_title),
      maybe_text(m.original_language), maybe_text(m.overview), maybe_text(m.tagline),
      maybe_text(m.homepage), maybe_text(m.poster_path), maybe_text(m.status), maybe(m.adult),
      maybe(m.video), maybe(m.release_date), maybe(m.year), m.budget, m.revenue,
      maybe(m.popularity), maybe(m.runtime), maybe(m.vote_average), maybe(m.vote_count),
      m.collection ? Cell(m.collection->id) : Cell(Null{}),
      std::string_view(m.source_file ? *m.source_file : source_file_), static_cast<std::int64_t>(m.source_file ? m.source_line : m.line)};
  movie_->write_row(row);
}

void ModelBuilder::write_bridges(const Movie& m) {
  for (std::size_t i = 0; i < m.companies.size(); ++i) {
    const Cell row[] = {m.id, m.companies[i].id, static_cast<std::int32_t>(i)};
    movie_company_->write_row(row);
  }
  for (std::size_t i = 0; i < m.genres.size(); ++i) {
    const Cell row[] = {m.id, m.genres[i].id, static_cast<std::int32_t>(i)};
    movie_genre_->write_row(row);
  }
  for (const CodeRef& c : m.countries) {
    const Cell row[] = {m.id, std::string_view(c.code)};
    movie_country_->write_row(row);
  }
  for (const CodeRef& l : m.languages) {
    const Cell row[] = {m.id, std::string_view(l.code)};
    movie_language_->write_row(row);
  }
}

namespace {

template <typename Key>
std::uint64_t write_names(table::TableSink& sink, const table::Schema& schema,
                          const std::map<Key, std::string>& names) {
  auto writer = sink.open(schema);
  for (const auto& [key, name] : names) {
    Cell row[] = {Cell(Null{}), std::string_view(name)};
    if constexpr (std::is_same_v<Key, std::string>) {
      row[0] = std::string_view(key);
    } else {
      row[0] = key;
    }
    writer->write_row(row);
  }
  writer->finish();
  return writer->rows_written();
}

std::uint64_t write_collections(table::TableSink& sink,
                                const std::map<std::int64_t, Collection>& collections) {
  auto writer = sink.open(collection_schema());
  for (const auto& [id, c] : collections) {
    const Cell row[] = {id, std::string_view(c.name), maybe_text(c.poster_path),
                        maybe_text(c.backdrop_path)};
    writer->write_row(row);
  }
  writer->finish();
  return writer->rows_written();
}

}  // namespace

void ModelBuilder::write_dimensions() {
  finished_rows_.emplace_back("company", write_names(sink_, company_schema(), dimensions_.companies()));
  finished_rows_.emplace_back("genre", write_names(sink_, genre_schema(), dimensions_.genres()));
  finished_rows_.emplace_back("country", write_names(sink_, country_schema(), dimensions_.countries()));
  finished_rows_.emplace_back("language",
                              write_names(sink_, language_schema(), dimensions_.languages()));
  finished_rows_.emplace_back("collection", write_collections(sink_, dimensions_.collections()));
}

void ModelBuilder::finish() {
  // No movie comes after finish(): the id index is done, and its memory is
  // better spent on the rollups written next.
  decltype(kept_)().swap(kept_);
  for (auto* writer : {&movie_, &movie_company_, &movie_genre_, &movie_country_, &movie_language_}) {
    (*writer)->finish();
    finished_rows_.emplace_back((*writer)->schema().name, (*writer)->rows_written());
  }
  write_dimensions();
}

std::vector<std::pair<std::string, std::uint64_t>> ModelBuilder::table_rows() const {
  return finished_rows_;
}

}  // namespace marquee::model

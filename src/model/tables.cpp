#include "model/tables.hpp"

namespace marquee::model {
namespace {

using table::Column;
using table::Schema;
using table::Type;

Column required(const char* name, Type type) { return {name, type, false}; }
Column optional(const char* name, Type type) { return {name, type, true}; }

}  // namespace

const Schema& movie_schema() {
  static const Schema schema{
      "movie",
      {required("id", Type::Int64), optional("imdb_id", Type::String),
       optional("title", Type::String), optional("original_title", Type::String),
       optional("original_language", Type::String), optional("overview", Type::String),
       optional("tagline", Type::String), optional("homepage", Type::String),
       optional("poster_path", Type::String), optional("status", Type::String),
       optional("adult", Type::Bool), optional("video", Type::Bool),
       optional("release_date", Type::Date), optional("year", Type::Int32),
       required("budget", Type::Int64), required("revenue", Type::Int64),
       optional("popularity", Type::Double), optional("runtime", Type::Double),
       optional("vote_average", Type::Double), optional("vote_count", Type::Int64),
       optional("collection_id", Type::Int64),
       // Lineage (docs/DATA_MODEL.md): the input file's name and the record's first physical line.
       // Always filled; nullable only because databases keep runs loaded before they existed.
       optional("source_file", Type::String), optional("source_line", Type::Int64)}};
  return schema;
}

const Schema& company_schema() {
  static const Schema schema{"company", {required("id", Type::Int64), required("name", Type::String)}};
  return schema;
}

const Schema& genre_schema() {
  static const Schema schema{"genre", {required("id", Type::Int64), required("name", Type::String)}};
  return schema;
}

const Schema& country_schema() {
  static const Schema schema{
      "country", {required("iso_3166_1", Type::String), required("name", Type::String)}};
  return schema;
}

const Schema& language_schema() {
  static const Schema schema{
      "language", {required("iso_639_1", Type::String), required("name", Type::String)}};
  return schema;
}

const Schema& collection_schema() {
  static const Schema schema{
      "collection",
      {required("id", Type::Int64), required("name", Type::String),
       optional("poster_path", Type::String), optional("backdrop_path", Type::String)}};
  return schema;
}

const Schema& movie_company_schema() {
  static const Schema schema{"movie_company",
                             {required("movie_id", Type::Int64), required("company_id", Type::Int64),
                              required("position", Type::Int32)}};
  return schema;
}

const Schema& movie_genre_schema() {
  static const Schema schema{"movie_genre",
                             {required("movie_id", Type::Int64), required("genre_id", Type::Int64),
                              required("position", Type::Int32)}};
  return schema;
}

const Schema& movie_country_schema() {
  static const Schema schema{
      "movie_country", {required("movie_id", Type::Int64), required("iso_3166_1", Type::String)}};
  return schema;
}

const Schema& movie_language_schema() {
  static const Schema schema{
      "movie_language", {required("movie_id", Type::Int64), required("iso_639_1", Type::String)}};
  return schema;
}

}  // namespace marquee::model

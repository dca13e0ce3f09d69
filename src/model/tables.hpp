#pragma once
// The normalized model's table schemas (docs/DATA_MODEL.md describes them).
#include "table/schema.hpp"

namespace marquee::model {

const table::Schema& movie_schema();
const table::Schema& company_schema();
const table::Schema& genre_schema();
const table::Schema& country_schema();
const table::Schema& language_schema();
const table::Schema& collection_schema();
const table::Schema& movie_company_schema();
const table::Schema& movie_genre_schema();
const table::Schema& movie_country_schema();
const table::Schema& movie_language_schema();

}  // namespace marquee::model

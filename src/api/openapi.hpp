#pragma once
// The OpenAPI 3.0 document served at /openapi.json, describing every route of
// routes.hpp (a unit test checks the two agree; the integration suite checks
// each live response against its documented schema).
#include <string>

namespace marquee::api {

std::string openapi_document();

}  // namespace marquee::api

#include "api/routes.hpp"

#include <gtest/gtest.h>

#include <set>

#include <boost/json.hpp>

#include "api/openapi.hpp"

namespace marquee::api {
namespace {

TEST(Routes, MatchLiteralAndCapturedSegments) {
  auto m = match_route("/v1/companies/42/years");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->route->id, RouteId::company_years);
  EXPECT_EQ(m->captures, std::vector<std::string>{"42"});
  m = match_route("/v1/genres/years");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->route->id, RouteId::genre_years);
  m = match_route("/v1/companies/abc");
  ASSERT_TRUE(m);  // validated by the handler, which answers 400 naming "id"
  EXPECT_EQ(m->route->id, RouteId::company);
}

TEST(Routes, NoMatchForUnknownOrMalformedPaths) {
  for (const char* path : {"/", "/v1", "/v1/companies/", "/v1//companies", "/v1/companies/1/2", "/v2/genres",
                           "/healthz/", "/v1/companies/1/years/x", "/V1/genres"}) {
    EXPECT_FALSE(match_route(path)) << path;
  }
}

TEST(Routes, OpenApiDocumentsExactlyTheRoutes) {
  const boost::json::value doc = boost::json::parse(openapi_document());
  EXPECT_EQ(doc.at("openapi").as_string(), "3.0.3");
  const auto& paths = doc.at("paths").as_object();
  std::set<std::string> documented, served;
  for (const auto& [path, item] : paths) documented.insert(std::string(path));
  for (const RouteSpec& route : routes()) served.insert(std::string(route.pattern));
  EXPECT_EQ(documented, served);
}

TEST(Routes, OpenApiReferencesResolve) {
  const boost::json::value doc = boost::json::parse(openapi_document());
  const auto& components = doc.at("components").as_object();
  std::size_t checked = 0;
  std::function<void(const boost::json::value&)> walk = [&](const boost::json::value& v) {
    if (v.is_object()) {
      for (const auto& [key, child] : v.as_object()) {
        if (key == "$ref") {
          const std::string ref(child.as_string());
          ASSERT_EQ(ref.rfind("#/components/", 0), 0u) << ref;
          const std::string rest = ref.substr(13);
          const std::string kind = rest.substr(0, rest.find('/'));
          const std::string name = rest.substr(rest.find('/') + 1);
          EXPECT_TRUE(components.at(kind).as_object().contains(name)) << ref;
          ++checked;
        } else {
          walk(child);
        }
      }
    } else if (v.is_array()) {
      for (const auto& child : v.as_array()) walk(child);
    }
  };
  walk(doc);
  EXPECT_GT(checked, 50u);
}

TEST(Routes, DataRoutesNeedAuthAndOperationalRoutesDoNot) {
  const boost::json::value doc = boost::json::parse(openapi_document());
  for (const RouteSpec& route : routes()) {
    const auto& get = doc.at("paths").at(route.pattern).at("get").as_object();
    EXPECT_EQ(get.at("security").as_array().empty(), !route.requires_auth) << route.pattern;
    EXPECT_EQ(get.at("responses").as_object().contains("401"), route.requires_auth) << route.pattern;
    if (route.reads_a_run) {
      bool takes_run = false;
      for (const auto& p : get.at("parameters").as_array())
        takes_run |= p.at("$ref").as_string() == "#/components/parameters/run";
      EXPECT_TRUE(takes_run) << route.pattern;
    }
  }
}

}  // namespace
}  // namespace marquee::api

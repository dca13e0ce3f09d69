// The request pipeline without sockets: routing, auth, validation, run
// selection, caching, ETags and errors, over the hand-made runs of
// test_fixture.hpp on SQLite (and PostgreSQL when MARQUEE_TEST_PG_URL is set).
#include "api/service.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/routes.hpp"
#include "api/test_fixture.hpp"
#include "store/test_backends.hpp"

namespace marquee::api {
namespace {

const std::string kSecret = "service-test-secret-0123456789abcdef";

std::int64_t now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string bearer(std::string scope = "marquee:read") {
  MintRequest request;
  request.subject = "tester";
  request.scope = std::move(scope);
  request.now = now();
  return "Bearer " + mint_hs256(kSecret, request);
}

std::string header(const Response& r, const std::string& name) {
  for (const auto& [key, value] : r.headers)
    if (key == name) return value;
  return "";
}

boost::json::value json(const Response& r) { return boost::json::parse(r.body); }

class ServiceTest : public store::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    store_ = std::make_unique<store::Store>(open());
    store_->migrate();
    testing::load(*store_, testing::run_one());
    testing::load(*store_, testing::run_two());
    pool_ = std::make_unique<ConnectionPool>(url(), 2, [](const std::string& u) { return store::connect(u); });
    service_ = std::make_unique<Service>(ServiceOptions{}, JwtVerifier::hs256(kSecret, {}), *pool_, tracker_,
                                         metrics_, nullptr);
  }
  void TearDown() override {
    service_.reset();
    pool_.reset();
    store_.reset();
    BackendTest::TearDown();
  }
  void publish(const std::string& run) {
    store_->publish(run);
    tracker_.update(store::ReadModel(store_->db()).published());
  }
  Response get(const std::string& target, std::string auth = bearer(), std::string if_none_match = "") {
    return service_->handle_now({"GET", target, std::move(auth), std::move(if_none_match)});
  }
  // The status and error code of an error response, and its parameter.
  std::tuple<int, std::string, std::string> error(const std::string& target, std::string auth = bearer()) {
    const Response r = get(target, std::move(auth));
    const boost::json::value body = json(r);
    const auto& e = body.at("error").as_object();
    return {r.status, std::string(e.at("code").as_string()),
            e.contains("parameter") ? std::string(e.at("parameter").as_string()) : ""};
  }

  Metrics metrics_{Service::route_labels()};
  RunTracker tracker_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ConnectionPool> pool_;
  std::unique_ptr<Service> service_;
};

using Error = std::tuple<int, std::string, std::string>;

TEST_P(ServiceTest, HealthNeedsNoTokenAndNoRun) {
  const Response r = get("/healthz", "");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"status":"ok"})");
  EXPECT_EQ(error("/readyz", ""), (Error{503, "not_ready", ""}));
  publish("r1");
  EXPECT_EQ(get("/readyz", "").body, R"({"status":"ready","run":"r1","generation":1,"standby":false})");
}

TEST_P(ServiceTest, NoPublishedRunIs503) {
  tracker_.update(std::nullopt);
  EXPECT_EQ(error("/v1/genres"), (Error{503, "no_run_published", ""}));
}

TEST_P(ServiceTest, AuthFailures) {
  publish("r1");
  const Response missing = get("/v1/genres", "");
  EXPECT_EQ(missing.status, 401);
  EXPECT_EQ(header(missing, "WWW-Authenticate"), R"(Bearer realm="marquee")");
  EXPECT_EQ(error("/v1/genres", "Bearer not.a.token"), (Error{401, "invalid_token", ""}));
  EXPECT_EQ(error("/v1/genres", bearer("other:scope")), (Error{403, "insufficient_scope", ""}));
  EXPECT_EQ(error("/v1/runs", ""), (Error{401, "unauthorized", ""}));
  EXPECT_EQ(get("/metrics", "").status, 200);
  EXPECT_EQ(get("/openapi.json", "").status, 200);
}

TEST_P(ServiceTest, UnknownRoutesAndMethods) {
  publish("r1");
  EXPECT_EQ(error("/v1/nothing"), (Error{404, "not_found", ""}));
  const Response post = service_->handle_now({"POST", "/v1/genres", bearer(), ""});
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(header(post, "Allow"), "GET, HEAD");
  EXPECT_EQ(service_->handle_now({"HEAD", "/v1/genres", bearer(), ""}).status, 200);
}

TEST_P(ServiceTest, GenresBodyNamesTheRun) {
  publish("r1");
  const Response r = get("/v1/genres");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body,
            R"({"run":"r1","genres":[{"id":10,"name":"Drama","movie_count":2},)"
            R"({"id":20,"name":"Comedy","movie_count":2},{"id":30,"name":"Action","movie_count":1}]})");
  EXPECT_EQ(header(r, "Marquee-Run"), "r1");
  EXPECT_EQ(header(r, "ETag"), etag_of(r.body));
}

TEST_P(ServiceTest, ConditionalRequestsAndTheMemoryCache) {
  publish("r1");
  const Response first = get("/v1/companies?limit=2");
  const std::string etag = header(first, "ETag");
  ASSERT_FALSE(etag.empty());
  const Response again = get("/v1/companies?limit=2", bearer(), etag);
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(header(again, "Marquee-Run"), "r1");
  EXPECT_EQ(get("/v1/companies?limit=2", bearer(), "W/" + etag + ", \"other\"").status, 304);
  EXPECT_EQ(get("/v1/companies?limit=2", bearer(), "\"other\"").status, 200);
  // Same parameters spelled differently share one cache entry.
  EXPECT_EQ(get("/v1/companies?offset=0&limit=02").body, first.body);
  const std::string text = metrics_.render(service_->gauges());
  EXPECT_NE(text.find("marquee_cache_hits_total{layer=\"memory\"} 4"), std::string::npos) << text;
  EXPECT_NE(text.find("marquee_cache_misses_total{layer=\"memory\"} 1"), std::string::npos) << text;
}

TEST_P(ServiceTest, CompaniesSearchAndPaging) {
  publish("r1");
  const auto body = json(get("/v1/companies?q=ALPHA&limit=1"));
  EXPECT_EQ(body.at("total").as_int64(), 2);
  EXPECT_EQ(body.at("q").as_string(), "ALPHA");
  ASSERT_EQ(body.at("companies").as_array().size(), 1u);
  EXPECT_EQ(body.at("companies").at(0).at("name").as_string(), "Alpha Films");
  EXPECT_EQ(body.at("companies").at(0).at("movie_count").as_int64(), 3);
  EXPECT_EQ(json(get("/v1/companies?q=100%25")).at("total").as_int64(), 1);
  EXPECT_EQ(json(get("/v1/companies?offset=5")).at("companies").at(0).at("id").as_int64(), 6);
}

TEST_P(ServiceTest, CompanyAndItsYearsWithBothAttributions) {
  publish("r1");
  EXPECT_EQ(get("/v1/companies/1").body,
            R"({"run":"r1","company":{"id":1,"name":"Alpha Films","movie_count":3,"first_year":1995,"last_year":1997}})");
  EXPECT_EQ(get("/v1/companies/4").body,
            R"({"run":"r1","company":{"id":4,"name":"100% Pictures","movie_count":0,"first_year":null,"last_year":null}})");
  EXPECT_EQ(get("/v1/companies/1/years?to=1995").body,
            R"({"run":"r1","company":{"id":1,"name":"Alpha Films"},"attribution":"full","years":[)"
            R"({"year":1995,"movie_count":2,"movies_with_budget":2,"movies_with_revenue":1,"movies_with_both":1,)"
            R"("budget":3000000,"revenue":9000000,"profit":6000000,"average_popularity":7.25,)"
            R"("rating_count":null,"rating_mean":null}]})");
  // Split shares rounded half away from zero: 1500000.5 -> 1500001, 4500000.25 -> 4500000,
  // 2999999.5 -> 3000000; -25.5 -> -26.
  const auto split = json(get("/v1/companies/1/years?attribution=split&from=1995&to=1995"));
  const boost::json::value& y = split.at("years").at(0);
  EXPECT_EQ(y.at("budget").as_int64(), 1500001);
  EXPECT_EQ(y.at("revenue").as_int64(), 4500000);
  EXPECT_EQ(y.at("profit").as_int64(), 3000000);
  EXPECT_EQ(json(get("/v1/companies/3/years?attribution=split")).at("years").at(0).at("profit").as_int64(), -26);
  EXPECT_TRUE(json(get("/v1/companies/1/years")).at("years").at(1).at("average_popularity").is_null());
  EXPECT_EQ(error("/v1/companies/99/years"), (Error{404, "not_found", ""}));
}

TEST_P(ServiceTest, CompanyGenresGroupedByYear) {
  publish("r1");
  EXPECT_EQ(get("/v1/companies/1/genres").body,
            R"({"run":"r1","company":{"id":1,"name":"Alpha Films"},"years":[)"
            R"({"year":1995,"genres":[{"genre_id":10,"genre_name":"Drama","movie_count":1},)"
            R"({"genre_id":20,"genre_name":"Comedy","movie_count":2}]},)"
            R"({"year":1997,"genres":[{"genre_id":10,"genre_name":"Drama","movie_count":1}]}]})");
}

TEST_P(ServiceTest, GenreYearsAndMostPopular) {
  publish("r1");
  const auto all = json(get("/v1/genres/years"));
  EXPECT_EQ(all.at("genre_years").as_array().size(), 5u);
  const auto action = json(get("/v1/genres/years?genre=30&from=1996"));
  ASSERT_EQ(action.at("genre_years").as_array().size(), 1u);
  EXPECT_TRUE(action.at("genre_years").at(0).at("popularity_average").is_null());
  EXPECT_EQ(error("/v1/genres/years?genre=99"), (Error{404, "not_found", ""}));
  EXPECT_EQ(get("/v1/genres/most-popular?by=revenue&to=1996").body,
            R"({"run":"r1","by":"revenue","min_ratings":null,"years":[{"year":1995,"genre_id":20,"genre_name":"Comedy","value":700},)"
            R"({"year":1996,"genre_id":30,"genre_name":"Action","value":0}]})");
  EXPECT_EQ(get("/v1/genres/most-popular?from=1997").body,
            R"({"run":"r1","by":"popularity_total","min_ratings":null,"years":[{"year":1997,"genre_id":10,"genre_name":"Drama","value":1.25}]})");
  // The fixture's runs read no ratings: no winner by them; a bad min_ratings is a 400 naming it.
  EXPECT_EQ(json(get("/v1/genres/most-popular?by=rating_mean&min_ratings=0")).at("years").as_array().size(), 0u);
  EXPECT_EQ(error("/v1/genres/most-popular?by=rating_count&min_ratings=-1"),
            (Error{400, "invalid_parameter", "min_ratings"}));
}

TEST_P(ServiceTest, EveryBadParameterIsNamed) {
  publish("r1");
  const std::vector<std::pair<std::string, std::string>> cases{
      {"/v1/companies?limit=0", "limit"},        {"/v1/companies?limit=1001", "limit"},
      {"/v1/companies?limit=ten", "limit"},      {"/v1/companies?offset=-1", "offset"},
      {"/v1/companies?sort=name", "sort"},       {"/v1/companies?limit=1&limit=2", "limit"},
      {"/v1/companies?q=" + std::string(201, 'a'), "q"},
      {"/v1/companies/abc", "id"},               {"/v1/companies/0/years", "id"},
      {"/v1/companies/-1", "id"},                {"/v1/companies/1/years?from=1990x", "from"},
      {"/v1/companies/1/years?to=10000", "to"},  {"/v1/companies/1/years?from=2000&to=1990", "from"},
      {"/v1/companies/1/years?attribution=half", "attribution"},
      {"/v1/companies/1/genres?attribution=full", "attribution"},
      {"/v1/genres?limit=1", "limit"},           {"/v1/genres/years?genre=0", "genre"},
      {"/v1/genres/most-popular?by=votes", "by"}, {"/v1/genres?run=bad!id", "run"},
      {"/healthz?x=1", "x"},
  };
  for (const auto& [target, parameter] : cases) {
    const auto [status, code, named] = error(target);
    EXPECT_EQ(status, 400) << target;
    EXPECT_EQ(code, "invalid_parameter") << target;
    EXPECT_EQ(named, parameter) << target;
  }
  EXPECT_EQ(error("/v1/genres?q=%zz"), (Error{400, "invalid_request", ""}));
}

TEST_P(ServiceTest, RunParameterReadsARetainedRun) {
  publish("r1");
  EXPECT_EQ(json(get("/v1/companies/1?run=r2")).at("company").at("name").as_string(), "Alpha Films II");
  EXPECT_EQ(header(get("/v1/companies/1?run=r2"), "Marquee-Run"), "r2");
  EXPECT_EQ(json(get("/v1/companies/1")).at("company").at("name").as_string(), "Alpha Films");
  EXPECT_EQ(error("/v1/genres?run=r9"), (Error{404, "run_not_found", "run"}));
}

TEST_P(ServiceTest, PublishingSwitchesRunsWithoutStaleCacheEntries) {
  publish("r1");
  EXPECT_EQ(json(get("/v1/genres")).at("genres").as_array().size(), 3u);
  publish("r2");
  const Response r = get("/v1/genres");
  EXPECT_EQ(header(r, "Marquee-Run"), "r2");
  EXPECT_EQ(r.body, R"({"run":"r2","genres":[{"id":10,"name":"Drama","movie_count":1}]})");
}

TEST_P(ServiceTest, RunsListsEveryRun) {
  publish("r1");
  const auto body = json(get("/v1/runs"));
  EXPECT_EQ(body.at("run").as_string(), "r1");
  const auto& runs = body.at("runs").as_array();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].at("run_id").as_string(), "r2");
  EXPECT_FALSE(runs[0].at("published").as_bool());
  EXPECT_TRUE(runs[1].at("published").as_bool());
  EXPECT_EQ(runs[1].at("manifest").at("counts").at("movies_kept").as_int64(), 4);
}

TEST_P(ServiceTest, DatabaseDownIs503NeverA500) {
  ConnectionPool broken("sqlite:/nonexistent-dir/none.db", 1, [](const std::string& u) { return store::connect(u); });
  RunTracker tracker;
  tracker.update(store::PublishedPointer{"r1", 1, "x"});
  Service service(ServiceOptions{}, JwtVerifier::hs256(kSecret, {}), broken, tracker, metrics_, nullptr);
  const Response r = service.handle_now({"GET", "/v1/genres", bearer(), ""});
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(json(r).at("error").at("code").as_string(), "database_unavailable");
  EXPECT_EQ(r.body.find("nonexistent"), std::string::npos);  // no internals leak
  EXPECT_EQ(service.handle_now({"GET", "/readyz", "", ""}).status, 503);
}

TEST_P(ServiceTest, MetricsCountRequestsByRouteAndStatus) {
  publish("r1");
  get("/v1/genres");
  get("/v1/genres", "");
  get("/nope");
  const std::string text = get("/metrics", "").body;
  EXPECT_NE(text.find(R"(marquee_http_requests_total{route="/v1/genres",status="200"} 1)"), std::string::npos);
  EXPECT_NE(text.find(R"(marquee_http_requests_total{route="/v1/genres",status="401"} 1)"), std::string::npos);
  EXPECT_NE(text.find(R"(marquee_http_requests_total{route="unmatched",status="404"} 1)"), std::string::npos);
  EXPECT_NE(text.find(R"(marquee_current_run_info{run_id="r1"} 1)"), std::string::npos);
  EXPECT_NE(text.find(R"(marquee_auth_failures_total{reason="missing"} 1)"), std::string::npos);
  EXPECT_NE(text.find(R"(marquee_http_request_duration_seconds_count{route="/v1/genres"} 2)"), std::string::npos);
}

TEST_P(ServiceTest, DashboardIsServedWithoutTokenBesideTheApi) {
  // The dashboard's files need no token and no published run; its data still does.
  tracker_.update(std::nullopt);
  const Response index = get("/", "");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(header(index, "Cache-Control"), "no-cache");
  EXPECT_NE(header(index, "Content-Security-Policy").find("script-src 'self'"), std::string::npos);
  EXPECT_EQ(get("/?view=genres", "").status, 200);
  EXPECT_EQ(error("/ui/nothing.js", ""), (Error{404, "not_found", ""}));
  EXPECT_EQ(error("/ui", ""), (Error{404, "not_found", ""}));
  EXPECT_EQ(service_->handle_now({"POST", "/", "", ""}).status, 405);
  EXPECT_EQ(get("/v1/genres", "").status, 401);
}

INSTANTIATE_TEST_SUITE_P(Backends, ServiceTest, ::testing::ValuesIn(store::testing::backends()),
                         store::testing::backend_name);

}  // namespace
}  // namespace marquee::api

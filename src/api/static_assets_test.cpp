#include "api/static_assets.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <string>

namespace marquee::api {
namespace {

std::string header(const Response& r, std::string_view name) {
  for (const auto& [n, v] : r.headers)
    if (n == name) return v;
  return "";
}

const EmbeddedFile kFiles[] = {
    {"index.html", "<!doctype html><script src=\"/ui/main-ABC.js\"></script>"},
    {"ui/main-ABC.js", "console.log(1)"},
    {"ui/main-DEF.css", "body{}"},
    {"ui/favicon-12.svg", "<svg/>"},
};

TEST(StaticAssets, OwnsTheRootAndUiOnly) {
  EXPECT_TRUE(StaticAssets::owns("/"));
  EXPECT_TRUE(StaticAssets::owns("/ui/x.js"));
  EXPECT_TRUE(StaticAssets::owns("/ui/"));
  EXPECT_FALSE(StaticAssets::owns("/ui"));
  EXPECT_FALSE(StaticAssets::owns("/v1/genres"));
  EXPECT_FALSE(StaticAssets::owns("/index.html"));
}

TEST(StaticAssets, IndexIsRevalidatedWithCsp) {
  const StaticAssets assets(kFiles);
  const Response r = assets.serve("GET", "/", "");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(r.body, kFiles[0].bytes);
  EXPECT_EQ(header(r, "Cache-Control"), "no-cache");
  const std::string csp = header(r, "Content-Security-Policy");
  EXPECT_NE(csp.find("script-src 'self';"), std::string::npos);
  EXPECT_NE(csp.find("default-src 'none'"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos);
  EXPECT_EQ(header(r, "X-Content-Type-Options"), "nosniff");
  EXPECT_FALSE(header(r, "ETag").empty());
}

TEST(StaticAssets, HashedAssetsAreImmutableWithTheirTypes) {
  const StaticAssets assets(kFiles);
  const Response js = assets.serve("GET", "/ui/main-ABC.js", "");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(js.body, "console.log(1)");
  EXPECT_EQ(header(js, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(assets.serve("GET", "/ui/main-DEF.css", "").content_type, "text/css; charset=utf-8");
  EXPECT_EQ(assets.serve("HEAD", "/ui/favicon-12.svg", "").content_type, "image/svg+xml");
}

TEST(StaticAssets, UnknownNamesAre404AndOtherMethods405) {
  const StaticAssets assets(kFiles);
  for (const char* path : {"/ui/", "/ui/main.js", "/ui/main-ABC.js/", "/ui/../index.html", "/ui/index.html"}) {
    const Response r = assets.serve("GET", path, "");
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.content_type, "application/json") << path;
    EXPECT_NE(r.body.find("\"not_found\""), std::string::npos) << path;
  }
  const Response post = assets.serve("POST", "/", "");
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(header(post, "Allow"), "GET, HEAD");
}

TEST(StaticAssets, MatchingEtagIs304) {
  const StaticAssets assets(kFiles);
  const std::string etag = header(assets.serve("GET", "/ui/main-ABC.js", ""), "ETag");
  const Response r = assets.serve("GET", "/ui/main-ABC.js", etag);
  EXPECT_EQ(r.status, 304);
  EXPECT_TRUE(r.body.empty());
}

// The bundle the build embedded: an index page whose every /ui/ reference
// is served, with hashed names.
TEST(StaticAssets, EmbeddedBundleIsComplete) {
  const StaticAssets assets(embedded_web_files());
  const Response index = assets.serve("GET", "/", "");
  ASSERT_EQ(index.status, 200);
  const std::regex ref(R"re("(/ui/[^"]+)")re");
  int references = 0;
  for (std::sregex_iterator it(index.body.begin(), index.body.end(), ref), end; it != end; ++it) {
    const std::string path = (*it)[1];
    EXPECT_TRUE(std::regex_match(path, std::regex(R"(/ui/[a-z]+-[A-Za-z0-9]+\.(js|css|svg))"))) << path;
    EXPECT_EQ(assets.serve("GET", path, "").status, 200) << path;
    ++references;
  }
  EXPECT_GE(references, 3);  // script, stylesheet, icon
}

}  // namespace
}  // namespace marquee::api

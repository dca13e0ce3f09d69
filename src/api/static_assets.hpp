#pragma once
// The dashboard's files (web/, bundled by esbuild and embedded at build time
// by embed_web_assets.cmake): `/` answers index.html, `/ui/<name>` the
// content-hashed assets. The server only serves bytes; the UI is public, and
// all data still comes through /v1 with a token.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "api/http_types.hpp"

namespace marquee::api {

struct EmbeddedFile {
  std::string_view name;   // "index.html", "ui/main-4XJ2.js"
  std::string_view bytes;
};

// The files embedded into this binary (generated source).
std::span<const EmbeddedFile> embedded_web_files();

// The Content-Security-Policy of the dashboard: scripts, styles and requests
// only from the server itself; no inline script, no frames, no plugins.
inline constexpr std::string_view kDashboardCsp =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'";

class StaticAssets {
 public:
  explicit StaticAssets(std::span<const EmbeddedFile> files);

  // True for the paths this class answers: "/" and everything under "/ui/".
  static bool owns(std::string_view path);
  // The response for an owned path: the file (200/304), 404 for an unknown
  // name under /ui, 405 for methods other than GET and HEAD.
  Response serve(std::string_view method, std::string_view path, std::string_view if_none_match) const;

 private:
  struct Entry {
    std::string_view bytes;
    std::string content_type;
    std::string etag;
    bool immutable;
  };
  std::unordered_map<std::string, Entry> files_;  // by path: "/", "/ui/main-4XJ2.js"
};

// The Content-Type for a file name, by its extension.
std::string content_type_for(std::string_view name);

}  // namespace marquee::api

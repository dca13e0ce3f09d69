#include "api/static_assets.hpp"

#include <fmt/format.h>

#include "api/service.hpp"
#include "common/utf8.hpp"

namespace marquee::api {
namespace {

constexpr std::string_view kUiPrefix = "/ui/";

void add_security_headers(Response& response) {
  response.set_header("Content-Security-Policy", std::string(kDashboardCsp));
  response.set_header("X-Content-Type-Options", "nosniff");
  // The token travels in the fragment, which browsers never send; no-referrer
  // keeps even the page's own address out of other requests.
  response.set_header("Referrer-Policy", "no-referrer");
}

}  // namespace

std::string content_type_for(std::string_view name) {
  const auto dot = name.rfind('.');
  const std::string_view ext = dot == std::string_view::npos ? std::string_view() : name.substr(dot + 1);
  if (ext == "html") return "text/html; charset=utf-8";
  if (ext == "js") return "text/javascript; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "txt") return "text/plain; charset=utf-8";
  if (ext == "json" || ext == "map") return "application/json";
  return "application/octet-stream";
}

StaticAssets::StaticAssets(std::span<const EmbeddedFile> files) {
  for (const EmbeddedFile& file : files) {
    // index.html is the one name that never changes, so it is revalidated
    // on every load; everything else carries its content hash in its name.
    const bool index = file.name == "index.html";
    const std::string path = index ? std::string("/") : "/" + std::string(file.name);
    files_[path] = Entry{file.bytes, content_type_for(file.name), etag_of(file.bytes), !index};
  }
}

bool StaticAssets::owns(std::string_view path) { return path == "/" || path.starts_with(kUiPrefix); }

Response StaticAssets::serve(std::string_view method, std::string_view path, std::string_view if_none_match) const {
  if (method != "GET" && method != "HEAD")
    return error_response(ApiError{405, "method_not_allowed",
                                   fmt::format("{} is not allowed here; use GET", utf8::truncate(method, 20)),
                                   "",
                                   {{"Allow", "GET, HEAD"}}});
  const auto it = files_.find(std::string(path));
  if (it == files_.end())
    return error_response(
        ApiError{404, "not_found", fmt::format("no such file: {}", utf8::truncate(path, 100)), ""});
  const Entry& entry = it->second;
  Response response;
  response.content_type = entry.content_type;
  response.set_header("ETag", entry.etag);
  response.set_header("Cache-Control", entry.immutable ? "public, max-age=31536000, immutable" : "no-cache");
  add_security_headers(response);
  if (etag_matches(if_none_match, entry.etag)) {
    response.status = 304;
    return response;
  }
  response.body = std::string(entry.bytes);
  return response;
}

}  // namespace marquee::api

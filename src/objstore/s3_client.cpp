#include "objstore/s3_client.hpp"

#include <curl/curl.h>
#include <openssl/evp.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <map>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "common/sha256.hpp"

namespace marquee::objstore {
namespace {

using Sink = std::function<void(const char*, std::size_t)>;

std::string amz_now() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &tm);
  return text;
}

std::string md5_base64(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), digest, &size, EVP_md5(), nullptr);
  unsigned char out[64];
  const int n = EVP_EncodeBlock(out, digest, static_cast<int>(size));
  return std::string(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n));
}

// The text of the first <name>...</name> in an S3 XML answer, or "".
std::string xml_field(const std::string& xml, const std::string& name) {
  const auto start = xml.find("<" + name + ">");
  if (start == std::string::npos) return "";
  const auto from = start + name.size() + 2;
  const auto end = xml.find("</" + name + ">", from);
  return end == std::string::npos ? "" : xml.substr(from, end - from);
}

std::uint64_t part_size_from_env() {
  const char* text = std::getenv("MARQUEE_S3_PART_SIZE");
  constexpr std::uint64_t kMin = 5ull << 20;
  if (text == nullptr || *text == '\0') return 16ull << 20;
  char* end = nullptr;
  const unsigned long long value = std::strtoull(text, &end, 10);
  if (*end != '\0' || value < kMin || value > (5ull << 30)) {
    throw InputError(fmt::format("MARQUEE_S3_PART_SIZE must be a byte count from {} to 5 GiB (got {})", kMin, text));
  }
  return value;
}

}  // namespace

struct S3Client::Request {
  std::string method = "GET";
  S3Location location;
  std::vector<std::pair<std::string, std::string>> query;
  std::vector<std::pair<std::string, std::string>> headers;
  const std::string* body = nullptr;
  const Sink* sink = nullptr;  // GET: where 2xx bodies go
};

struct S3Client::Response {
  long status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;                            // error bodies and small answers
  std::uint64_t streamed = 0;                  // bytes given to the sink
  CURLcode transport = CURLE_OK;
  std::string transport_error;
};

namespace {

struct Transfer {
  S3Client::Response* response;
  const Sink* sink;
  CURL* curl;
};

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::string line(data, size * count);
  if (line.rfind("HTTP/", 0) == 0) {
    t->response->headers.clear();
  } else if (const auto colon = line.find(':'); colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string value = line.substr(colon + 1);
    const auto first = value.find_first_not_of(" \t");
    const auto last = value.find_last_not_of(" \t\r\n");
    t->response->headers[name] = first == std::string::npos ? "" : value.substr(first, last - first + 1);
  }
  return size * count;
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  long status = 0;
  curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
  if (t->sink != nullptr && status >= 200 && status < 300) {
    (*t->sink)(data, n);
    t->response->streamed += n;
  } else if (t->response->body.size() < (1u << 20)) {  // S3 answers are small
    t->response->body.append(data, n);
  }
  return n;
}

struct Upload {
  const std::string* body;
  std::size_t offset = 0;
};

std::size_t on_read(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* u = static_cast<Upload*>(user);
  const std::size_t n = std::min(size * count, u->body->size() - u->offset);
  std::copy_n(u->body->data() + u->offset, n, buffer);
  u->offset += n;
  return n;
}

bool retryable(const S3Client::Response& r) {
  return r.transport != CURLE_OK || r.status >= 500 || r.status == 429;
}

void backoff(int attempt) {
  std::this_thread::sleep_for(std::chrono::milliseconds(200 << std::min(attempt, 5)));
}

}  // namespace

S3Client::S3Client(S3Config config) : config_(std::move(config)), part_size_(part_size_from_env()) {
  static const CURLcode global = curl_global_init(CURL_GLOBAL_DEFAULT);
  (void)global;
  curl_ = curl_easy_init();
  if (curl_ == nullptr) throw Error(1, "libcurl: cannot create a handle");
}

S3Client::~S3Client() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

S3Client::Response S3Client::perform(const Request& request) {
  CURL* curl = static_cast<CURL*>(curl_);
  curl_easy_reset(curl);
  const Address address = address_of(config_, request.location);
  const std::string query = canonical_query(request.query);
  const std::string url = query.empty() ? address.url : address.url + "?" + query;
  const std::string payload_sha = request.body ? sha256_hex(*request.body) : sha256_hex("");
  SignableRequest signable{request.method, address.encoded_path, request.query, request.headers, payload_sha};
  signable.headers.emplace_back("host", address.host);
  const std::string amz_date = amz_now();
  signable.headers.emplace_back("x-amz-date", amz_date);
  signable.headers.emplace_back("x-amz-content-sha256", payload_sha);
  if (!config_.credentials.session_token.empty()) {
    signable.headers.emplace_back("x-amz-security-token", config_.credentials.session_token);
  }
  const std::string auth = authorization(signable, config_.credentials, config_.region, "s3", amz_date);
  curl_slist* list = nullptr;
  for (const auto& [name, value] : signable.headers) list = curl_slist_append(list, (name + ": " + value).c_str());
  list = curl_slist_append(list, ("Authorization: " + auth).c_str());
  list = curl_slist_append(list, "Expect:");  // no 100-continue round trip
  Response response;
  Transfer transfer{&response, request.sink, curl};
  Upload upload{request.body};
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
  // A stalled transfer (under 1 KB/s for 30 s) is a failure to retry.
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1024L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, 30L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  if (request.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (request.method == "PUT" || request.method == "POST") {
    curl_easy_setopt(curl, request.method == "PUT" ? CURLOPT_UPLOAD : CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, on_read);
    curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
    const auto size = static_cast<curl_off_t>(request.body ? request.body->size() : 0);
    if (request.method == "PUT") {
      curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, size);
    } else {
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, size);
    }
    static const std::string empty;
    if (!request.body) upload.body = &empty;
  } else if (request.method != "GET") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  char error[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  response.transport = curl_easy_perform(curl);
  if (response.transport != CURLE_OK) {
    response.transport_error = error[0] ? error : curl_easy_strerror(response.transport);
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  curl_slist_free_all(list);
  return response;
}

namespace {

[[noreturn]] void fail(const S3Location& location, const std::string& what, const S3Client::Response& r,
                       const std::string& endpoint) {
  if (r.transport != CURLE_OK) {
    throw S3Error(1, fmt::format("{}: {} failed: cannot reach {}: {}", location.url(), what, endpoint, r.transport_error),
                  0, "");
  }
  std::string code = xml_field(r.body, "Code");
  if (code.empty()) code = r.status == 404 ? "NotFound" : r.status == 403 ? "AccessDenied" : fmt::format("HTTP{}", r.status);
  const std::string message = xml_field(r.body, "Message");
  throw S3Error(r.status >= 400 && r.status < 500 ? 2 : 1,
                fmt::format("{}: {} failed: {} (HTTP {}){}{}", location.url(), what, code, r.status,
                            message.empty() ? "" : ": ", message),
                static_cast<int>(r.status), code);
}

std::string endpoint_of(const S3Config& c, const S3Location& l) {
  const Address a = address_of(c, l);
  return a.url.substr(0, a.url.size() - a.encoded_path.size());
}

}  // namespace

S3Client::Response S3Client::perform_with_retries(const Request& request) {
  for (int attempt = 0;; ++attempt) {
    Response r = perform(request);
    if (!retryable(r) || attempt >= retries()) return r;
    backoff(attempt);
  }
}

ObjectRange S3Client::get(const S3Location& location, std::uint64_t offset, std::optional<std::uint64_t> length,
                          const std::function<void(const char*, std::size_t)>& sink) {
  ObjectRange result;
  if (length && *length == 0) return result;
  for (int attempt = 0;; ++attempt) {
    const std::uint64_t from = offset + result.bytes;
    Request request;
    request.location = location;
    const std::string last = length ? std::to_string(offset + *length - 1) : "";
    request.headers = {{"range", fmt::format("bytes={}-{}", from, last)}};
    request.sink = &sink;
    Response r = perform(request);
    result.bytes += r.streamed;
    if (r.status == 416) {  // offset at or past the end
      const std::string& range = r.headers["content-range"];
      if (const auto slash = range.find('/'); slash != std::string::npos) {
        result.total_size = std::strtoull(range.c_str() + slash + 1, nullptr, 10);
      }
      return result;
    }
    if (r.transport == CURLE_OK && r.status == 206) {
      const std::string& range = r.headers["content-range"];
      if (const auto slash = range.find('/'); slash != std::string::npos && range[slash + 1] != '*') {
        result.total_size = std::strtoull(range.c_str() + slash + 1, nullptr, 10);
      }
      const bool done = !length || result.bytes >= *length ||
                        (result.total_size && offset + result.bytes >= *result.total_size);
      if (done) return result;
      // A short answer without a transport error: ask for the rest.
    } else if (r.transport == CURLE_OK && r.status == 200) {
      // The whole object, from byte 0: right only when byte 0 was asked for.
      // Otherwise the sink got bytes from the wrong offset; failing beats
      // parsing them.
      if (from != 0) {
        throw S3Error(1, fmt::format("{}: GET failed: the server ignored the Range header (bytes={}-)", location.url(), from),
                      200, "");
      }
      if (r.streamed != 0) result.total_size = result.bytes;
      return result;
    } else if (!retryable(r)) {
      fail(location, "GET", r, endpoint_of(config_, location));
    }
    if (attempt >= retries()) fail(location, "GET", r, endpoint_of(config_, location));
    backoff(attempt);
  }
}

void S3Client::put(const S3Location& location, const std::string& body, const std::string& content_type) {
  Request request;
  request.method = "PUT";
  request.location = location;
  request.body = &body;
  request.headers = {{"content-md5", md5_base64(body)}};
  if (!content_type.empty()) request.headers.emplace_back("content-type", content_type);
  const Response r = perform_with_retries(request);
  if (r.transport != CURLE_OK || r.status != 200) fail(location, "PUT", r, endpoint_of(config_, location));
}

namespace {

std::string read_chunk(std::ifstream& in, std::uint64_t size, const std::filesystem::path& file) {
  std::string data(size, '\0');
  in.read(data.data(), static_cast<std::streamsize>(size));
  if (static_cast<std::uint64_t>(in.gcount()) != size) {
    throw InputError(fmt::format("cannot read {}: short read", file.string()));
  }
  return data;
}

}  // namespace

std::size_t S3Client::put_file(const S3Location& location, const std::filesystem::path& file) {
  std::error_code error;
  const std::uint64_t size = std::filesystem::file_size(file, error);
  if (error) throw InputError(fmt::format("cannot read {}: {}", file.string(), error.message()));
  if (size > part_size_) return put_multipart(location, file, size);
  std::ifstream in(file, std::ios::binary);
  put(location, read_chunk(in, size, file));
  return 1;
}

std::size_t S3Client::put_multipart(const S3Location& location, const std::filesystem::path& file,
                                    std::uint64_t size) {
  const std::string endpoint = endpoint_of(config_, location);
  Request start;
  start.method = "POST";
  start.location = location;
  start.query = {{"uploads", ""}};
  Response r = perform_with_retries(start);
  const std::string upload_id = xml_field(r.body, "UploadId");
  if (r.transport != CURLE_OK || r.status != 200 || upload_id.empty()) {
    fail(location, "multipart upload start", r, endpoint);
  }
  auto abort = [&] {
    Request stop;
    stop.method = "DELETE";
    stop.location = location;
    stop.query = {{"uploadId", upload_id}};
    perform(stop);  // best effort: S3 lifecycle rules clean up what remains
  };
  try {
    std::ifstream in(file, std::ios::binary);
    std::string complete = "<CompleteMultipartUpload>";
    std::size_t parts = 0;
    for (std::uint64_t done = 0; done < size; done += part_size_) {
      const std::string body = read_chunk(in, std::min(part_size_, size - done), file);
      ++parts;
      Request part;
      part.method = "PUT";
      part.location = location;
      part.query = {{"partNumber", std::to_string(parts)}, {"uploadId", upload_id}};
      part.body = &body;
      part.headers = {{"content-md5", md5_base64(body)}};
      r = perform_with_retries(part);
      if (r.transport != CURLE_OK || r.status != 200) fail(location, fmt::format("upload of part {}", parts), r, endpoint);
      complete += fmt::format("<Part><PartNumber>{}</PartNumber><ETag>{}</ETag></Part>", parts, r.headers["etag"]);
    }
    complete += "</CompleteMultipartUpload>";
    Request finish;
    finish.method = "POST";
    finish.location = location;
    finish.query = {{"uploadId", upload_id}};
    finish.body = &complete;
    finish.headers = {{"content-type", "application/xml"}};
    r = perform_with_retries(finish);
    // S3 may answer 200 with an <Error> body when completion fails late.
    if (r.transport != CURLE_OK || r.status != 200 || r.body.find("<Error>") != std::string::npos) {
      if (r.status == 200) r.status = 500;
      fail(location, "multipart upload completion", r, endpoint);
    }
    return parts;
  } catch (...) {
    abort();
    throw;
  }
}

}  // namespace marquee::objstore

// `marquee serve` and `marquee token`.
#include <fcntl.h>
#include <openssl/rand.h>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "api/connection_pool.hpp"
#include "api/jwt.hpp"
#include "api/metrics.hpp"
#include "api/publish_watcher.hpp"
#include "api/publish_channel.hpp"
#include "api/redis_cache.hpp"
#include "api/server.hpp"
#include "api/service.hpp"
#include "cli/commands.hpp"
#include "cli/obs_options.hpp"
#include "obs/log.hpp"
#include "common/error.hpp"
#include "store/connection.hpp"

namespace marquee::cli {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

constexpr const char* kDefaultDataDir = "data";  // as `marquee run`
constexpr const char* kSecretFileName = "jwt-secret";
constexpr const char* kDatabaseFileName = "marquee.db";

// "250ms", "30s", "10m", "1h", "2d"; a bare number is seconds.
milliseconds parse_duration(const std::string& text, const std::string& option) {
  double amount = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  auto [unit, ec] = std::from_chars(begin, end, amount);
  const std::string_view suffix(unit, static_cast<std::size_t>(end - unit));
  double factor = -1;
  if (suffix.empty() || suffix == "s") factor = 1000;
  else if (suffix == "ms") factor = 1;
  else if (suffix == "m") factor = 60'000;
  else if (suffix == "h") factor = 3'600'000;
  else if (suffix == "d") factor = 86'400'000;
  if (ec != std::errc() || factor < 0 || amount < 0 || amount * factor > 1e13)
    throw InputError(fmt::format("{}: '{}' is not a duration (e.g. 250ms, 30s, 10m, 1h, 2d)", option, text));
  return milliseconds(static_cast<std::int64_t>(amount * factor));
}

std::string read_text_file(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot read {}", path, what));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string trim_line_end(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  return text;
}

// The embedded default's secret lives beside its database, created on first
// use (random, owner-only), so that `serve` and `token` agree with no set-up.
std::string data_dir_secret(const fs::path& data_dir) {
  const fs::path path = data_dir / kSecretFileName;
  if (!fs::exists(path)) {
    if (!fs::is_directory(data_dir))
      throw InputError(fmt::format("{}: no such data directory; run `marquee run` first or give a JWT secret",
                                   data_dir.string()));
    unsigned char random[32];
    if (RAND_bytes(random, sizeof random) != 1) throw std::runtime_error("no randomness for a JWT secret");
    std::string secret;
    for (unsigned char byte : random) secret += fmt::format("{:02x}", byte);
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd >= 0) {
      const bool ok = ::write(fd, secret.data(), secret.size()) == static_cast<ssize_t>(secret.size());
      ::fsync(fd);
      ::close(fd);
      if (!ok) throw InputError(fmt::format("{}: cannot write the JWT secret", path.string()));
      obs::log("info", "created a JWT secret in " + path.string());
      return secret;
    }
    if (errno != EEXIST) throw InputError(fmt::format("{}: cannot create the JWT secret", path.string()));
  }
  return trim_line_end(read_text_file(path.string(), "the JWT secret"));
}

struct SecretSources {
  std::string secret_file;
  std::optional<fs::path> data_dir;  // where the default secret lives, if any
};

// --jwt-secret-file, then MARQUEE_JWT_SECRET, then the data directory's.
std::optional<std::string> resolve_secret(const SecretSources& sources) {
  if (!sources.secret_file.empty())
    return trim_line_end(read_text_file(sources.secret_file, "the JWT secret file"));
  if (const char* env = std::getenv("MARQUEE_JWT_SECRET"); env && *env) return std::string(env);
  if (sources.data_dir) return data_dir_secret(*sources.data_dir);
  return std::nullopt;
}

struct ServeArgs {
  bool access_log = false;
  std::string data_dir;
  std::string db;
  std::string listen = "127.0.0.1:8080";
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  unsigned workers = 4;
  std::string redis;
  std::string redis_ttl = "10m";
  std::size_t cache_bytes = std::size_t{64} << 20;
  bool no_auth = false;
  std::string jwt_secret_file;
  std::string jwt_public_key;
  std::string jwt_issuer;
  std::string jwt_audience;
  std::string jwt_leeway = "30s";
  std::string read_timeout = "10s";
  std::string idle_timeout = "60s";
  std::string shutdown_timeout = "10s";
  std::string poll_interval = "250ms";
  std::string max_replica_lag = "5s";
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 64 * 1024;
  std::size_t max_connections = 10'000;
};

void add_serve(CLI::App& app, ServeArgs& a) {
  auto* cmd = app.add_subcommand("serve", "Serve the published run as a read-only JSON API");
  cmd->add_option("--data-dir", a.data_dir,
                  fmt::format("Data directory: DATA_DIR/marquee.db unless --db, and jwt-secret (default {})",
                              kDefaultDataDir));
  cmd->add_option("--db", a.db, "Database: postgresql://USER@HOST:PORT/DB or sqlite:PATH");
  cmd->add_option("--listen", a.listen, "Address to listen on, HOST:PORT (port 0 = any free port)")->capture_default_str();
  cmd->add_option("--threads", a.threads, "Network threads")->check(CLI::Range(1u, 256u))->capture_default_str();
  cmd->add_option("--workers", a.workers, "Blocking workers, each with one database connection")
      ->check(CLI::Range(1u, 256u))->capture_default_str();
  cmd->add_option("--redis", a.redis, "Shared response cache: redis://host:port[/db]");
  cmd->add_option("--redis-ttl", a.redis_ttl, "Lifetime of Redis entries")->capture_default_str();
  cmd->add_option("--cache-size", a.cache_bytes, "In-process response cache bound (bytes; 64MiB, 1GB...)")
      ->transform(CLI::AsSizeValue(false))->capture_default_str();
  cmd->add_flag("--no-auth", a.no_auth, "Answer without checking tokens (logs a warning)");
  cmd->add_flag("--access-log", a.access_log,
                "One line per request on stderr: method, route pattern, status, bytes, duration, run, token subject");
  cmd->add_option("--jwt-secret-file", a.jwt_secret_file,
                  "HS256 secret file (else MARQUEE_JWT_SECRET, else DATA_DIR/jwt-secret, created on first use)");
  cmd->add_option("--jwt-public-key", a.jwt_public_key, "PEM public key: RSA for RS256, EC P-256 for ES256");
  cmd->add_option("--jwt-issuer", a.jwt_issuer, "Required iss claim");
  cmd->add_option("--jwt-audience", a.jwt_audience, "Required aud claim");
  cmd->add_option("--jwt-leeway", a.jwt_leeway, "Clock skew allowed on exp and nbf")->capture_default_str();
  cmd->add_option("--read-timeout", a.read_timeout, "Time to receive one whole request")->capture_default_str();
  cmd->add_option("--idle-timeout", a.idle_timeout, "Keep-alive wait for the next request")->capture_default_str();
  cmd->add_option("--shutdown-timeout", a.shutdown_timeout, "Grace period for requests in flight on SIGTERM")
      ->capture_default_str();
  cmd->add_option("--poll-interval", a.poll_interval, "How often the published run is checked")->capture_default_str();
  cmd->add_option("--max-replica-lag", a.max_replica_lag,
                  "On a standby: /readyz is 503 when an announced publish waits longer than this for replay")
      ->capture_default_str();
  cmd->add_option("--max-header-bytes", a.max_header_bytes, "Larger request headers get 431")->capture_default_str();
  cmd->add_option("--max-body-bytes", a.max_body_bytes, "Larger request bodies get 413")->capture_default_str();
  cmd->add_option("--max-connections", a.max_connections, "Open connections beyond this are refused")
      ->capture_default_str();
}

std::string database_url(const ServeArgs& a) {
  if (!a.db.empty()) return a.db;
  const fs::path database = fs::path(a.data_dir.empty() ? kDefaultDataDir : a.data_dir) / kDatabaseFileName;
  // Opening a missing SQLite file would create an empty database: say what is wrong instead.
  if (!fs::exists(database))
    throw InputError(fmt::format("{}: no database; run `marquee run INPUT --data-dir {}` first", database.string(),
                                 database.parent_path().string()));
  return "sqlite:" + database.string();
}

std::optional<fs::path> secret_data_dir(const ServeArgs& a) {
  if (!a.data_dir.empty()) return fs::path(a.data_dir);
  if (a.db.empty()) return fs::path(kDefaultDataDir);
  return std::nullopt;
}

api::JwtPolicy jwt_policy(const ServeArgs& a) {
  api::JwtPolicy policy;
  if (!a.jwt_issuer.empty()) policy.issuer = a.jwt_issuer;
  if (!a.jwt_audience.empty()) policy.audience = a.jwt_audience;
  policy.leeway = std::chrono::duration_cast<std::chrono::seconds>(parse_duration(a.jwt_leeway, "--jwt-leeway"));
  return policy;
}

struct AuthSetup {
  std::optional<api::JwtVerifier> verifier;
  std::optional<std::string> secret;  // when tokens can be minted for the banner
};

AuthSetup auth_setup(const ServeArgs& a) {
  AuthSetup setup;
  if (a.no_auth) {
    obs::log("warning", "WARNING: --no-auth: every route answers without a token", {}, "serve");
    return setup;
  }
  try {
    if (!a.jwt_public_key.empty()) {
      const std::string pem = read_text_file(a.jwt_public_key, "the JWT public key");
      setup.verifier = api::JwtVerifier::from_public_key_pem(pem, jwt_policy(a));
      return setup;
    }
    setup.secret = resolve_secret({a.jwt_secret_file, secret_data_dir(a)});
    if (!setup.secret)
      throw InputError("no JWT key: set MARQUEE_JWT_SECRET, --jwt-secret-file or --jwt-public-key (or --no-auth)");
    setup.verifier = api::JwtVerifier::hs256(*setup.secret, jwt_policy(a));
  } catch (const std::invalid_argument& e) {
    throw InputError(fmt::format("JWT configuration: {}", e.what()));
  }
  return setup;
}

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// What a person starting the server needs next: where it is, a token and a
// request to try (only when this process holds the secret to mint one).
void print_banner(const api::ServerOptions& options, std::uint16_t port, const std::optional<std::string>& secret,
                  const ServeArgs& a) {
  const std::string host = options.address == "0.0.0.0" || options.address == "::" ? "127.0.0.1" : options.address;
  const std::string base = options.address.find(':') != std::string::npos && host == options.address
                               ? fmt::format("http://[{}]:{}", host, port)
                               : fmt::format("http://{}:{}", host, port);
  std::printf("marquee serve: listening on %s\n", base.c_str());
  if (secret) {
    api::MintRequest request;
    request.subject = "marquee-demo";
    request.ttl = std::chrono::hours(24);
    request.now = unix_now();
    if (!a.jwt_issuer.empty()) request.issuer = a.jwt_issuer;
    if (!a.jwt_audience.empty()) request.audience = a.jwt_audience;
    const std::string token = api::mint_hs256(*secret, request);
    std::printf("token (valid 24h; `marquee token --sub NAME` mints more):\n  %s\n", token.c_str());
    std::printf("try:\n  curl -H 'Authorization: Bearer %s' %s/v1/genres/most-popular\n", token.c_str(), base.c_str());
    // The token rides in the fragment, which browsers never send to a server.
    std::printf("dashboard (signed in for 24h):\n  %s/#token=%s\n", base.c_str(), token.c_str());
  } else if (a.no_auth) {
    std::printf("try:\n  curl %s/v1/genres/most-popular\n", base.c_str());
    std::printf("dashboard:\n  %s/\n", base.c_str());
  } else {
    std::printf("dashboard (paste a token into its sign-in box):\n  %s/\n", base.c_str());
  }
  std::fflush(stdout);
}

// One line per answered request on stderr (JSON with --log-format json).
// A token's `sub` is the client's text: control characters would forge lines.
std::string printable(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return out;
}

void write_access_log(const api::AccessRecord& r) {
  obs::log("info",
           fmt::format("{} {} {} {}B {:.1f}ms run={} sub={}", r.method, r.route, r.status, r.bytes, r.seconds * 1000,
                       r.run_id.empty() ? "-" : r.run_id, r.subject.empty() ? "-" : printable(r.subject)),
           {{"event", "access"}, {"method", std::string(r.method)}, {"route", std::string(r.route)},
            {"status", std::to_string(r.status)}, {"bytes", std::to_string(r.bytes)},
            {"duration_ms", fmt::format("{:.3f}", r.seconds * 1000)}, {"run_id", std::string(r.run_id)},
            {"subject", std::string(r.subject)}});
}

int run_serve(const ServeArgs& a) {
  api::ServerOptions options;
  try {
    api::parse_listen_address(a.listen, options);
  } catch (const std::invalid_argument& e) {
    throw InputError(e.what());
  }
  options.threads = a.threads;
  options.workers = a.workers;
  options.read_timeout = parse_duration(a.read_timeout, "--read-timeout");
  options.idle_timeout = parse_duration(a.idle_timeout, "--idle-timeout");
  options.shutdown_grace = parse_duration(a.shutdown_timeout, "--shutdown-timeout");
  options.max_header_bytes = a.max_header_bytes;
  options.max_body_bytes = a.max_body_bytes;
  options.max_connections = a.max_connections;

  const std::string url = database_url(a);
  AuthSetup auth = auth_setup(a);

  api::Metrics metrics(api::Service::route_labels());
  const std::unique_ptr<obs::Statsd> statsd = make_statsd();
  metrics.set_statsd(statsd.get());
  api::RunTracker tracker;
  api::ConnectionPool pool(url, a.workers, [](const std::string& u) { return store::connect(u); });
  api::WatchOptions watch;
  watch.poll_interval = std::max(parse_duration(a.poll_interval, "--poll-interval"), milliseconds(10));
  api::PublishWatcher watcher(url, [](const std::string& u) { return store::connect(u); }, tracker, metrics, watch);
  watcher.refresh();
  // Publish announcements on Redis (api/publish_channel.hpp): how a replica
  // on a standby, which cannot LISTEN, learns of a publish at once.
  std::unique_ptr<api::PublishSubscriber> subscriber;
  if (!a.redis.empty() && api::is_postgres_url(url)) {
    try {
      subscriber = std::make_unique<api::PublishSubscriber>(
          api::parse_redis_url(a.redis), [&watcher](const api::Announcement& m) { watcher.announce(m.run_id, m.lsn); });
    } catch (const std::invalid_argument& e) {
      throw InputError(fmt::format("--redis: {}", e.what()));
    }
  }
  if (!tracker.database_ok())
    obs::log("warning", "WARNING: the database is not reachable yet; answering 503 until it is", {}, "serve");

  std::unique_ptr<api::RedisCache> redis;
  if (!a.redis.empty()) {
    try {
      api::RedisOptions redis_options;
      redis_options.ttl = std::chrono::duration_cast<std::chrono::seconds>(parse_duration(a.redis_ttl, "--redis-ttl"));
      if (redis_options.ttl.count() < 1) throw InputError("--redis-ttl must be at least 1s");
      redis = std::make_unique<api::RedisCache>(api::parse_redis_url(a.redis), redis_options, metrics);
    } catch (const std::invalid_argument& e) {
      throw InputError(fmt::format("--redis: {}", e.what()));
    }
  }

  api::ServiceOptions service_options;
  service_options.auth_required = !a.no_auth;
  service_options.cache_bytes = a.cache_bytes;
  // Run directories for /v1/runs/{id}/diff: the data directory's, when this
  // server has one (given, or the SQLite default).
  if (!a.data_dir.empty() || a.db.empty()) {
    service_options.runs_dir = fs::path(a.data_dir.empty() ? kDefaultDataDir : a.data_dir) / "runs";
  }
  service_options.max_replica_lag =
      std::chrono::duration_cast<milliseconds>(parse_duration(a.max_replica_lag, "--max-replica-lag"));
  api::Service service(service_options, std::move(auth.verifier), pool, tracker, metrics, redis.get());
  if (a.access_log) service.set_access_log(write_access_log);

  api::Server server(options, service);
  try {
    server.listen();
  } catch (const std::runtime_error& e) {
    throw InputError(e.what());
  }
  watcher.start();
  if (subscriber) subscriber->start();
  print_banner(options, server.port(), auth.secret, a);
  server.run();
  if (subscriber) subscriber->stop();
  watcher.stop();
  obs::log("info", "stopped", {}, "serve");
  return 0;
}

struct TokenArgs {
  std::string subject;
  std::string ttl = "1h";
  std::string scope = "marquee:read";
  std::string data_dir;
  std::string secret_file;
  std::string issuer;
  std::string audience;
};

void add_token(CLI::App& app, TokenArgs& a) {
  auto* cmd = app.add_subcommand("token", "Mint an HS256 API token with the configured secret");
  cmd->add_option("--sub", a.subject, "Subject: who the token is for")->required();
  cmd->add_option("--ttl", a.ttl, "Lifetime (30m, 1h, 7d...)")->capture_default_str();
  cmd->add_option("--scope", a.scope, "Space-separated scopes")->capture_default_str();
  cmd->add_option("--data-dir", a.data_dir, fmt::format("Data directory holding jwt-secret (default {})", kDefaultDataDir));
  cmd->add_option("--jwt-secret-file", a.secret_file, "HS256 secret file (else MARQUEE_JWT_SECRET, else DATA_DIR/jwt-secret)");
  cmd->add_option("--issuer", a.issuer, "iss claim");
  cmd->add_option("--audience", a.audience, "aud claim");
}

int run_token(const TokenArgs& a) {
  const auto ttl = parse_duration(a.ttl, "--ttl");
  if (ttl < std::chrono::seconds(1)) throw InputError("--ttl must be at least 1s");
  const auto secret = resolve_secret({a.secret_file, fs::path(a.data_dir.empty() ? kDefaultDataDir : a.data_dir)});
  if (!secret || secret->size() < 32)
    throw InputError("the JWT secret must be at least 32 bytes (RFC 7518); check MARQUEE_JWT_SECRET or the secret file");
  api::MintRequest request;
  request.subject = a.subject;
  request.ttl = std::chrono::duration_cast<std::chrono::seconds>(ttl);
  request.scope = a.scope;
  request.now = unix_now();
  if (!a.issuer.empty()) request.issuer = a.issuer;
  if (!a.audience.empty()) request.audience = a.audience;
  std::cout << api::mint_hs256(*secret, request) << "\n";
  return 0;
}

}  // namespace

void add_api_commands(CLI::App& app, Commands& commands) {
  auto serve = std::make_shared<ServeArgs>();
  auto token = std::make_shared<TokenArgs>();
  add_serve(app, *serve);
  add_token(app, *token);
  commands.add(app.get_subcommand("serve"), [serve] { return run_serve(*serve); });
  commands.add(app.get_subcommand("token"), [token] { return run_token(*token); });
}

}  // namespace marquee::cli

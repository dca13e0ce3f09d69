#include "store/lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <thread>

#include <fmt/format.h>

#include "store/migrations.hpp"

namespace marquee::store {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kPollInterval = std::chrono::milliseconds(50);

std::string read_all(int fd) {
  std::string out;
  char buffer[512];
  ssize_t n;
  while ((n = ::pread(fd, buffer, sizeof buffer, static_cast<off_t>(out.size()))) > 0) {
    out.append(buffer, static_cast<std::size_t>(n));
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

std::string host_name() {
  char name[256] = {};
  ::gethostname(name, sizeof name - 1);
  return name;
}

std::string seconds_text(std::chrono::milliseconds timeout) {
  return fmt::format("{:.3g}s", static_cast<double>(timeout.count()) / 1000.0);
}

}  // namespace

JobLock::JobLock(const std::filesystem::path& lock_file_path, Connection& db,
                 std::chrono::milliseconds timeout, const std::string& holder)
    : path_(lock_file_path),
      db_(db),
      holder_(fmt::format("pid {} on {} ({}), since {}", ::getpid(), host_name(), holder, utc_now())) {
  const auto deadline = Clock::now() + timeout;
  lock_file(deadline, timeout);
  try {
    lock_database(deadline, timeout);
  } catch (...) {
    ::close(fd_);
    throw;
  }
}

JobLock::~JobLock() {
  if (database_locked_) {
    try {
      const Param key[] = {kJobLockKey};
      db_.query("SELECT pg_advisory_unlock($1)", key);
    } catch (...) {
      // Released anyway when the session ends.
    }
  }
  if (fd_ >= 0) {
    // Empty the holder line first, so nobody reads a finished job as holder.
    (void)::ftruncate(fd_, 0);
    ::close(fd_);
  }
}

void JobLock::lock_file(Clock::time_point deadline, std::chrono::milliseconds timeout) {
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    throw Error(1, fmt::format("cannot open lock file {}: {}", path_.string(), std::strerror(errno)));
  }
  while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) {
      const std::string reason = std::strerror(errno);
      ::close(fd_);
      throw Error(1, fmt::format("cannot lock {}: {}", path_.string(), reason));
    }
    if (Clock::now() >= deadline) {
      const std::string other = read_all(fd_);
      ::close(fd_);
      fd_ = -1;
      throw LockTimeout(fmt::format(
          "another marquee job holds the data directory lock {}: {}; gave up after {} (--lock-timeout)",
          path_.string(), other.empty() ? "holder unknown" : other, seconds_text(timeout)));
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  const std::string line = holder_ + "\n";
  if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, line.data(), line.size(), 0) < 0) {
    // The holder line is a courtesy for waiters; the lock itself is held.
  }
}

void JobLock::lock_database(Clock::time_point deadline, std::chrono::milliseconds timeout) {
  if (db_.dialect() != "postgresql") return;
  const Param name[] = {std::string("marquee: ") + holder_.substr(0, 50)};
  db_.query("SELECT set_config('application_name', $1, false)", name);
  const Param key[] = {kJobLockKey};
  for (;;) {
    const Result r = db_.query("SELECT pg_try_advisory_lock($1)", key);
    if (r.rows.at(0).at(0) == "true") {
      database_locked_ = true;
      return;
    }
    if (Clock::now() >= deadline) break;
    std::this_thread::sleep_for(kPollInterval);
  }
  // bigint advisory keys appear in pg_locks as classid (high half), objid (low half), objsubid 1.
  const Param parts[] = {std::int64_t{kJobLockKey >> 32}, std::int64_t{kJobLockKey & 0xffffffff}};
  const Result holder = db_.query(
      "SELECT a.pid, a.application_name, a.client_addr, a.backend_start FROM pg_locks l "
      "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted "
      "AND l.classid = $1 AND l.objid = $2 AND l.objsubid = 1",
      parts);
  std::string who = "holder unknown";
  if (!holder.rows.empty()) {
    const auto& row = holder.rows[0];
    who = fmt::format("server pid {}, application '{}', client {}, connected since {}",
                      row[0].value_or("?"), row[1].value_or(""), row[2].value_or("local"),
                      row[3].value_or("?"));
  }
  throw LockTimeout(fmt::format(
      "another marquee job holds the job lock of PostgreSQL database {}: {}; gave up after {} "
      "(--lock-timeout)",
      db_.target(), who, seconds_text(timeout)));
}

std::chrono::milliseconds parse_duration(const std::string& text, const std::string& option) {
  double value = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(begin, end, value);
  const std::string_view unit(ptr, static_cast<std::size_t>(end - ptr));
  double scale = 0;
  if (unit.empty() || unit == "s") scale = 1000;
  if (unit == "ms") scale = 1;
  if (unit == "m" || unit == "min") scale = 60000;
  if (ec != std::errc() || scale == 0 || value < 0) {
    throw InputError(fmt::format("{}: '{}' is not a duration (e.g. 30s, 500ms, 2m)", option, text));
  }
  return std::chrono::milliseconds(static_cast<std::int64_t>(value * scale));
}

}  // namespace marquee::store

#pragma once
// One job at a time per data directory and database. A JobLock holds:
//  - an exclusive flock on DATA_DIR/marquee.lock (the run directories), whose
//    content names the holder (pid, host, command, since when);
//  - on PostgreSQL, the session advisory lock kJobLockKey (the database,
//    possibly shared by several hosts); the holder is named from
//    pg_stat_activity.application_name, which the lock sets.
// SQLite's own database lock (BEGIN IMMEDIATE, busy timeout) guards each write
// transaction besides. Both locks die with the process, so kill -9 never
// leaves a stale lock behind.
#include <chrono>
#include <filesystem>
#include <string>

#include "common/error.hpp"
#include "store/connection.hpp"

namespace marquee::store {

inline constexpr std::int64_t kJobLockKey = 0x6d6172717565656a;  // "marqueej"

// Exit code 1: the job did not run; the message names the lock and its holder.
class LockTimeout : public Error {
 public:
  explicit LockTimeout(const std::string& message) : Error(1, message) {}
};

class JobLock {
 public:
  // Waits up to `timeout` (in all) for both locks; throws LockTimeout naming
  // the holder when it is known. `holder` describes this job, e.g.
  // "marquee run movies.csv".
  JobLock(const std::filesystem::path& lock_file, Connection& db, std::chrono::milliseconds timeout,
          const std::string& holder);
  ~JobLock();
  JobLock(const JobLock&) = delete;
  JobLock& operator=(const JobLock&) = delete;

 private:
  void lock_file(std::chrono::steady_clock::time_point deadline, std::chrono::milliseconds timeout);
  void lock_database(std::chrono::steady_clock::time_point deadline, std::chrono::milliseconds timeout);

  std::filesystem::path path_;
  Connection& db_;
  std::string holder_;
  int fd_ = -1;
  bool database_locked_ = false;
};

// "1.5s", "250ms", "2m", "30" (seconds) -> milliseconds; throws InputError.
std::chrono::milliseconds parse_duration(const std::string& text, const std::string& option);

}  // namespace marquee::store

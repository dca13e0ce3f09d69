#include "job/storage_session.hpp"

#include <filesystem>

namespace marquee::job {
namespace fs = std::filesystem;

void say(const StorageOptions& options, const std::string& line) {
  if (options.log) options.log(line);
}

double ms_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

StorageSession::StorageSession(const StorageOptions& options, const std::string& holder, bool take_lock)
    : options_(options), data_{options.data_dir}, store_(open(options, take_lock)) {
  store_.db().set_lock_timeout(options.lock_timeout);
  // Lock first: under it no other job holds SQLite's write lock for long.
  if (take_lock) {
    lock_ = std::make_unique<store::JobLock>(data_.lock_file(), store_.db(), options.lock_timeout, holder);
  }
  const store::MigrationReport report = store_.migrate();
  for (const auto& name : report.applied) say(options_, "applied migration " + name);
}

// Jobs need DATA_DIR/runs; SQLite needs DATA_DIR whatever the command.
store::Store StorageSession::open(const StorageOptions& options, bool writes) {
  if (writes) fs::create_directories(options.data_dir / "runs");
  if (options.db_url.empty()) fs::create_directories(options.data_dir);
  return store::Store::open(database_url(options));
}

}  // namespace marquee::job

#pragma once
// What the storage commands (run, load, publish, runs) start with: the data directory, the database (migrated) and, for commands that
// write, the job lock.
#include <chrono>
#include <memory>
#include <string>

#include "job/run_dir.hpp"
#include "job/run_job.hpp"
#include "store/lock.hpp"
#include "store/store.hpp"

namespace marquee::job {

// One line to the command's log, if it has one.
void say(const StorageOptions& options, const std::string& line);

double ms_since(std::chrono::steady_clock::time_point start);

class StorageSession {
 public:
  StorageSession(const StorageOptions& options, const std::string& holder, bool take_lock);
  const DataDir& data() const { return data_; }
  store::Store& store() { return store_; }
  const StorageOptions& options() const { return options_; }

 private:
  static store::Store open(const StorageOptions& options, bool writes);
  const StorageOptions& options_;
  DataDir data_;
  store::Store store_;
  std::unique_ptr<store::JobLock> lock_;
};

}  // namespace marquee::job

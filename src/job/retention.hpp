#pragma once
// What a storage job removes after it: runs beyond the ones kept, directories
// the database does not hold, old failed transforms, and the tables of a run
// whose load failed.
#include <cstddef>
#include <string>
#include <vector>

#include "job/storage_session.hpp"

namespace marquee::job {

// Retires runs beyond `keep` and removes the directories of runs the
// database does not hold (retired, or never loaded because a job died before
// its load committed); keeps the newest `keep` failed transforms. Returns the
// retired run ids. A retirement that fails is a warning: the next job
// finishes it.
std::vector<std::string> apply_retention(StorageSession& session, std::size_t keep, const std::string& current);

// Keeps the newest `keep` failed transforms (run ids sort by time).
void prune_failed(const DataDir& data, std::size_t keep);

// A load that failed (a full disk, a lost connection) must not leave its
// complete run directory behind: every retry would add another, and the disk
// would never recover. Unless the database holds the run (its load committed
// and only the publish failed: then `marquee publish` can finish it), the
// directory goes to failed/ without its tables -- the manifest, the error log
// and load_failure.txt stay as small diagnostics, pruned like failed transforms.
void demote_unloaded_run(StorageSession& session, const std::string& run_id, const std::string& why) noexcept;

}  // namespace marquee::job

#include "job/retention.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>

#include <fmt/format.h>

namespace marquee::job {
namespace fs = std::filesystem;

void prune_failed(const DataDir& data, std::size_t keep) {
  std::vector<fs::path> failed;
  std::error_code ignored;
  for (const auto& entry : fs::directory_iterator(data.failed(), ignored)) failed.push_back(entry.path());
  std::sort(failed.rbegin(), failed.rend());
  for (std::size_t i = keep; i < failed.size(); ++i) fs::remove_all(failed[i]);
}

std::vector<std::string> apply_retention(StorageSession& session, std::size_t keep, const std::string& current) {
  std::vector<std::string> retired;
  try {
    const auto started = std::chrono::steady_clock::now();
    retired = session.store().retire_old_runs(keep);
    if (!retired.empty()) {
      say(session.options(), fmt::format("retention: retired {} run(s) in {:.0f} ms", retired.size(),
                                         ms_since(started)));
    }
  } catch (const store::DatabaseError& e) {
    // The new run is loaded (and published) already: a retirement that fails
    // (e.g. PostgreSQL's DETACH waiting too long for a reader) is finished by
    // the next job, and must not fail this one.
    say(session.options(), std::string("warning: retention incomplete, the next job retries it: ") + e.what());
    return retired;
  }
  std::map<std::string, std::string> status;
  for (const store::RunInfo& r : session.store().runs()) status[r.run_id] = r.status;
  std::error_code ignored;
  for (const auto& entry : fs::directory_iterator(session.data().runs(), ignored)) {
    const std::string id = entry.path().filename().string();
    if (id.starts_with(".") || id == current) continue;
    const auto it = status.find(id);
    if (it == status.end() || it->second == "retired") {
      fs::remove_all(entry.path());
      say(session.options(), fmt::format("removed run directory {} ({})", entry.path().string(),
                                         it == status.end() ? "never loaded" : "retired"));
    }
  }
  prune_failed(session.data(), keep);
  return retired;
}

void demote_unloaded_run(StorageSession& session, const std::string& run_id, const std::string& why) noexcept {
  try {
    if (session.store().run(run_id)) return;
  } catch (...) {
    return;  // cannot tell: the next job's retention removes it if it was never loaded
  }
  try {
    const fs::path dir = session.data().run(run_id);
    fs::remove_all(dir / "tables");
    fs::create_directories(session.data().failed());
    fs::rename(dir, session.data().failed() / run_id);
    std::ofstream(session.data().failed() / run_id / "load_failure.txt") << why << "\n";
  } catch (...) {
  }
}

}  // namespace marquee::job

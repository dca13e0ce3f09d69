#include "job/batch_pipeline.hpp"

#include "common/thread_role.hpp"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace marquee::job {
namespace {

using BatchPtr = std::unique_ptr<RecordBatch>;

// A closable FIFO of batches. It never holds more than the pool's batches,
// so it needs no capacity limit of its own: the pool bounds the pipeline.
class BatchQueue {
 public:
  void push(BatchPtr batch) {
    {
      std::lock_guard lock(mutex_);
      items_.push_back(std::move(batch));
    }
    ready_.notify_one();
  }
  // Waits for a batch; nullptr once closed and drained.
  BatchPtr pop() {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return !items_.empty() || closed_; });
    if (items_.empty()) return nullptr;
    BatchPtr batch = std::move(items_.front());
    items_.pop_front();
    return batch;
  }
  void close() {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    ready_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<BatchPtr> items_;
  bool closed_ = false;
};

// Validated batches waiting for their turn. At most `slots` batches exist,
// so sequence numbers in flight fit a ring of that size without collisions.
class ReorderRing {
 public:
  explicit ReorderRing(std::size_t slots) : ring_(slots) {}
  void put(BatchPtr batch) {
    {
      std::lock_guard lock(mutex_);
      const std::size_t slot = batch->sequence % ring_.size();
      ring_[slot] = std::move(batch);
    }
    ready_.notify_all();
  }
  // Waits for batch `sequence`; nullptr if the pipeline was aborted.
  BatchPtr take(std::uint64_t sequence) {
    std::unique_lock lock(mutex_);
    BatchPtr& slot = ring_[sequence % ring_.size()];
    ready_.wait(lock, [&] { return slot != nullptr || aborted_; });
    return std::move(slot);
  }
  void abort() {
    {
      std::lock_guard lock(mutex_);
      aborted_ = true;
    }
    ready_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::vector<BatchPtr> ring_;
  bool aborted_ = false;
};

void run_inline(const BatchStages& stages) {
  RecordBatch batch;
  do {
    batch.clear_input();
    stages.fill(batch);
    stages.validate(batch);
    for (const auto& stage : stages.ordered) stage(batch);
  } while (!batch.last);
}

class ThreadedRun {
 public:
  ThreadedRun(const BatchStages& stages, std::size_t workers)
      : stages_(stages),
        // Enough batches in flight that a stage rarely waits for one (a
        // waiting thread costs a wake-up); few enough to stay in the caches.
        slots_(4 * (workers + stages.ordered.size()) + 4),
        done_(slots_),
        handoff_(stages.ordered.size()) {
    for (std::size_t i = 0; i < slots_; ++i) free_.push(std::make_unique<RecordBatch>());
    try {
      threads_.emplace_back([this] {
        set_thread_role("marquee-read");
        guarded([this] { read(); });
      });
      // Validation is the parallel part: it runs in the background of the
      // serial reader and ordered stages (see thread_role.hpp).
      for (std::size_t i = 0; i < workers; ++i) {
        threads_.emplace_back([this] {
          set_thread_role("marquee-check", ThreadPriority::Background);
          guarded([this] { validate(); });
        });
      }
      for (std::size_t stage = 1; stage < stages_.ordered.size(); ++stage) {
        threads_.emplace_back([this, stage] {
          set_thread_role("marquee-stage" + std::to_string(stage));
          guarded([this, stage] { run_stage(stage); });
        });
      }
    } catch (...) {  // no thread to be had: stop those already running
      stop();
      for (std::thread& t : threads_) t.join();
      throw;
    }
  }

  void run() {
    guarded([this] { run_first_stage(); });
    // The first stage has seen the last batch: the reader is done, every batch
    // is validated, and the later stages run out on their own after it. (On an
    // error, stop() has closed everything already.)
    work_.close();
    free_.close();
    for (std::thread& t : threads_) t.join();
    if (error_) std::rethrow_exception(error_);
  }

 private:
  template <class Body>
  void guarded(const Body& body) {
    try {
      body();
    } catch (...) {
      {
        std::lock_guard lock(error_mutex_);
        if (!error_) error_ = std::current_exception();
      }
      stop();
    }
  }

  void stop() {
    stopping_ = true;
    free_.close();
    work_.close();
    done_.abort();
    for (BatchQueue& queue : handoff_) queue.close();
  }

  void read() {
    for (std::uint64_t sequence = 0;; ++sequence) {
      BatchPtr batch = free_.pop();
      if (!batch || stopping_) return;
      batch->clear_input();
      batch->sequence = sequence;
      stages_.fill(*batch);
      const bool last = batch->last;
      work_.push(std::move(batch));
      if (last) return;
    }
  }

  void validate() {
    while (BatchPtr batch = work_.pop()) {
      stages_.validate(*batch);
      done_.put(std::move(batch));
    }
  }

  // Hands a batch that `stage` is done with to the next stage, or back to
  // the pool after the last one.
  void pass_on(std::size_t stage, BatchPtr batch) {
    if (stage + 1 < stages_.ordered.size()) {
      handoff_[stage + 1].push(std::move(batch));
    } else {
      free_.push(std::move(batch));
    }
  }

  void run_first_stage() {
    for (std::uint64_t sequence = 0;; ++sequence) {
      BatchPtr batch = done_.take(sequence);
      if (!batch) return;
      stages_.ordered[0](*batch);
      const bool last = batch->last;
      pass_on(0, std::move(batch));
      if (last) return;
    }
  }

  // Later stages get batches from a FIFO fed by the stage before, so they
  // see them in input order too.
  void run_stage(std::size_t stage) {
    while (BatchPtr batch = handoff_[stage].pop()) {
      stages_.ordered[stage](*batch);
      const bool last = batch->last;
      pass_on(stage, std::move(batch));
      if (last) return;
    }
  }

  const BatchStages& stages_;
  const std::size_t slots_;
  BatchQueue free_, work_;
  ReorderRing done_;
  std::vector<BatchQueue> handoff_;  // handoff_[k]: batches waiting for ordered stage k >= 1
  std::vector<std::thread> threads_;
  std::mutex error_mutex_;
  std::exception_ptr error_;
  std::atomic<bool> stopping_ = false;
};

}  // namespace

void run_batches(const BatchStages& stages, std::size_t workers) {
  if (stages.ordered.empty()) throw std::invalid_argument("run_batches: no ordered stage");
  if (workers <= 1) {
    run_inline(stages);
    return;
  }
  ThreadedRun(stages, workers).run();
}

}  // namespace marquee::job

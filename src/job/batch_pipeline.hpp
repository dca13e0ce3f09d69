#pragma once
// Runs batches through three roles: one reader fills them in input order,
// validation workers process any number at once, and a chain of ordered
// stages receives them strictly in input order, each stage on a thread of its
// own (the first on the calling thread), so that the sequential part of the
// job is spread over cores too. A fixed pool of batches circulates, so memory
// stays bounded whatever the input size, and the batches' buffers are reused
// rather than reallocated.
#include <cstddef>
#include <functional>
#include <vector>

#include "job/record_batch.hpp"

namespace marquee::job {

struct BatchStages {
  // Fills a cleared batch with the next records; sets `last` on the final one.
  std::function<void(RecordBatch&)> fill;
  // Runs on any worker thread, on batches in any order.
  std::function<void(RecordBatch&)> validate;
  // At least one. Each runs on batches in input order; stage k sees a batch
  // only after stage k-1 is done with it. Stage 0 runs on the calling thread.
  std::vector<std::function<void(RecordBatch&)>> ordered;
};

// `workers` <= 1: everything runs on the calling thread, one batch at a
// time. Otherwise a reader thread, `workers` validation threads and a thread
// per ordered stage after the first run beside the calling thread. The first exception thrown by any stage stops
// the pipeline and is rethrown here, after every thread has finished.
void run_batches(const BatchStages& stages, std::size_t workers);

}  // namespace marquee::job

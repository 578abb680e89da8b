#pragma once
#include "core/data/data_source.h"
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

namespace bp::data {

// Prepares the batches of one epoch ahead of the trainer on a thread of its own, at most `depth` ready at
// a time (a bounded queue: memory stays at depth batches), for a source that decodes from files. next()
// hands them over in order; an error of the source is rethrown there. Destroying it stops the thread.
class BatchPrefetcher {
  public:
    BatchPrefetcher(DataSource& source, std::function<at::Tensor(int)> indicesOfBatch, int first, int last,
                    int depth, at::Device device);
    ~BatchPrefetcher();
    BatchPrefetcher(const BatchPrefetcher&) = delete;
    BatchPrefetcher& operator=(const BatchPrefetcher&) = delete;

    // The next batch (first, first + 1, …), waiting for it when it is not ready yet.
    Batch next();
    // Seconds next() has spent waiting, in all.
    double waitedSeconds() const { return waited_; }

  private:
    void produce();

    DataSource& source_;
    std::function<at::Tensor(int)> indicesOfBatch_;
    int first_, last_, depth_;
    int taken_; // the next batch next() hands over
    at::Device device_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<Batch> ready_;
    std::exception_ptr error_;
    bool stop_ = false;
    double waited_ = 0.0;
    std::thread thread_;
};

} // namespace bp::data

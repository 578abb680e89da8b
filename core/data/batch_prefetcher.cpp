#include "core/data/batch_prefetcher.h"
#include "core/util/error.h"
#include <chrono>

namespace bp::data {

BatchPrefetcher::BatchPrefetcher(DataSource& source, std::function<at::Tensor(int)> indicesOfBatch, int first,
                                 int last, int depth, at::Device device)
    : source_(source), indicesOfBatch_(std::move(indicesOfBatch)), first_(first), last_(last),
      depth_(std::max(1, depth)), taken_(first), device_(device), thread_([this] { produce(); }) {}

BatchPrefetcher::~BatchPrefetcher() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_ = true;
    }
    changed_.notify_all();
    thread_.join();
}

void BatchPrefetcher::produce() {
    for (int b = first_; b < last_; ++b) {
        {
            std::unique_lock<std::mutex> lock(mutex_);
            changed_.wait(lock, [this] { return stop_ || static_cast<int>(ready_.size()) < depth_; });
            if (stop_)
                return;
        }
        try {
            Batch batch = source_.batch(indicesOfBatch_(b), device_);
            std::lock_guard<std::mutex> lock(mutex_);
            ready_.push_back(std::move(batch));
        } catch (...) {
            std::lock_guard<std::mutex> lock(mutex_);
            error_ = std::current_exception();
            changed_.notify_all();
            return;
        }
        changed_.notify_all();
    }
}

Batch BatchPrefetcher::next() {
    const auto start = std::chrono::steady_clock::now();
    std::unique_lock<std::mutex> lock(mutex_);
    if (taken_ >= last_)
        throw Error("internal: no batch is left in this epoch");
    changed_.wait(lock, [this] { return !ready_.empty() || error_; });
    waited_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (ready_.empty())
        std::rethrow_exception(error_);
    Batch batch = std::move(ready_.front());
    ready_.pop_front();
    ++taken_;
    lock.unlock();
    changed_.notify_all();
    return batch;
}

} // namespace bp::data

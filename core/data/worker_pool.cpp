#include "core/data/worker_pool.h"
#include <algorithm>

namespace bp::data {

WorkerPool::WorkerPool(int threads) {
    for (int i = 0; i < std::max(1, threads); ++i)
        workers_.emplace_back([this] { work(); });
}

WorkerPool::~WorkerPool() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        quit_ = true;
    }
    start_.notify_all();
    for (std::thread& t : workers_)
        t.join();
}

void WorkerPool::forEach(int64_t n, const std::function<void(int64_t)>& f) {
    if (n <= 0)
        return;
    std::lock_guard<std::mutex> call(callMutex_);
    std::unique_lock<std::mutex> lock(mutex_);
    job_ = &f;
    count_ = n;
    next_ = 0;
    finished_ = 0;
    ++generation_;
    start_.notify_all();
    done_.wait(lock, [this] { return finished_ == count_; });
    job_ = nullptr;
}

void WorkerPool::work() {
    uint64_t seen = 0;
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
        start_.wait(lock, [&] { return quit_ || (generation_ != seen && job_ && next_ < count_); });
        if (quit_)
            return;
        while (job_ && next_ < count_) {
            const int64_t i = next_++;
            const auto* job = job_;
            lock.unlock();
            (*job)(i);
            lock.lock();
            if (++finished_ == count_)
                done_.notify_all();
        }
        seen = generation_;
    }
}

} // namespace bp::data

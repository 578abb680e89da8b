#pragma once
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace bp::data {

// A fixed set of threads of its own (not LibTorch's intra-op pool, which the training step uses) that runs
// one loop at a time: forEach(n, f) calls f(0) … f(n − 1) across them and returns when all are done.
class WorkerPool {
  public:
    explicit WorkerPool(int threads);
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    int threads() const { return static_cast<int>(workers_.size()); }
    // f must not throw (catch inside); calls may come from any one thread at a time.
    void forEach(int64_t n, const std::function<void(int64_t)>& f);

  private:
    void work();

    std::vector<std::thread> workers_;
    std::mutex mutex_, callMutex_;
    std::condition_variable start_, done_;
    const std::function<void(int64_t)>* job_ = nullptr;
    int64_t count_ = 0, next_ = 0, finished_ = 0;
    uint64_t generation_ = 0;
    bool quit_ = false;
};

} // namespace bp::data

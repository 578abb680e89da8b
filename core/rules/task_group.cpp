#include "core/rules/task_group.h"
#include <ATen/Parallel.h>
#include <algorithm>
#include <cstdlib>

namespace bp {

void TaskGroup::run(bool parallel) {
    const int threads = at::get_num_threads();
    if (std::getenv("BP_SERIAL") || !parallel || threads < 2 || tasks_.size() < 2 || at::in_parallel_region()) {
        for (auto& task : tasks_)
            task.second();
        tasks_.clear();
        return;
    }
    // Greedy balance: largest task first onto the least loaded bucket, one bucket per thread.
    std::sort(tasks_.begin(), tasks_.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    const size_t buckets = std::min<size_t>(static_cast<size_t>(threads), tasks_.size());
    std::vector<std::vector<std::function<void()>*>> bucket(buckets);
    std::vector<double> load(buckets, 0.0);
    for (auto& task : tasks_) {
        const size_t least = static_cast<size_t>(std::min_element(load.begin(), load.end()) - load.begin());
        load[least] += task.first;
        bucket[least].push_back(&task.second);
    }
    // Inside at::parallel_for, ATen ops and an OpenMP BLAS run single-threaded on their own thread.
    at::parallel_for(0, static_cast<int64_t>(buckets), 1, [&](int64_t begin, int64_t end) {
        for (int64_t b = begin; b < end; ++b)
            for (auto* task : bucket[static_cast<size_t>(b)])
                (*task)();
    });
    tasks_.clear();
}

} // namespace bp

#include "core/nn/task_group.h"
#include <ATen/Parallel.h>
#include <algorithm>
#include <atomic>

namespace bp {

namespace {
// Whether ATen counts this file's OpenMP regions as parallel regions: it does when it uses the same
// OpenMP runtime (Debian's libtorch and this build share the system libgomp). An official LibTorch
// bundles its own libgomp; its kernels and BLAS would then start thread teams of their own inside each
// of ours, so after one such sighting the tasks run one after the other. -1: not known yet.
std::atomic<int> sharedOpenMp{-1};
} // namespace

void TaskGroup::run(bool parallel) {
    const int threads = at::get_num_threads();
    if (!parallel || threads < 2 || tasks_.size() < 2 || at::in_parallel_region() || sharedOpenMp == 0) {
        for (auto& task : tasks_)
            task.second();
        tasks_.clear();
        return;
    }
    // Largest first, each thread taking the next task when it is free: balanced without a cost model
    // (a W update, which also rewrites W, costs about twice a Z update of the same size).
    std::sort(tasks_.begin(), tasks_.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    std::atomic<size_t> next{0};
    const int64_t workers = std::min<int64_t>(threads, static_cast<int64_t>(tasks_.size()));
    // Inside at::parallel_for, ATen ops and an OpenMP BLAS run single-threaded on their own thread.
    at::parallel_for(0, workers, 1, [&](int64_t, int64_t) {
        sharedOpenMp = at::in_parallel_region() ? 1 : 0;
        for (size_t i = next++; i < tasks_.size(); i = next++)
            tasks_[i].second();
    });
    tasks_.clear();
}

} // namespace bp

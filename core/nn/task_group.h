#pragma once
#include <functional>
#include <utility>
#include <vector>

namespace bp {

// Independent pieces of work of known relative cost (the per-layer weight updates of a step). On the
// CPU they run concurrently, one single-threaded BLAS call per task: the updates are GEMMs with an inner
// dimension of only the batch size, which a multi-threaded BLAS splits poorly, while layers are many.
class TaskGroup {
  public:
    void add(double cost, std::function<void()> task) { tasks_.emplace_back(cost, std::move(task)); }
    // Runs every task and empties the group. parallel = false runs them in order (CUDA, one thread).
    void run(bool parallel);

  private:
    std::vector<std::pair<double, std::function<void()>>> tasks_;
};

} // namespace bp

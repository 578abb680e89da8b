#pragma once
#include "core/dist/process_group.h"
#include "core/optim/data_parallel.h"
#include "core/optim/gradient_hook.h"
#include <memory>

namespace bp::dist {

// The data-parallel reducer: as soon as a layer's gradients exist, they are weighted (1, or local n /
// global n for gradients of a mean loss, 0 for a rank without examples), flattened into one buffer (a
// bucket per layer) and summed across the group by an asynchronous allreduce; the optimizer waits on it just
// before updating that layer, so the layers below are computed while it travels.
class AllreduceHook : public GradientHook, public DataParallel {
  public:
    explicit AllreduceHook(ProcessGroup& group) : group_(group) {}

    std::unique_ptr<PendingGradients> submit(size_t index, LayerGradients& gradients) override;

    int rank() const override { return group_.rank(); }
    int worldSize() const override { return group_.size(); }
    GradientHook& hook() override { return *this; }
    void beginStep(int64_t localCount, int64_t globalCount, bool meanGradients) override;
    void sum(std::vector<double>& values) override { group_.sum(values); }
    double communicationWaitSeconds() const override { return waitSeconds(); }

    double weight() const { return weight_; }
    // Seconds spent waiting for reductions to end (the communication not hidden behind computation).
    double waitSeconds() const { return *waitSeconds_; }

  private:
    ProcessGroup& group_;
    double weight_ = 1.0;
    std::shared_ptr<double> waitSeconds_ = std::make_shared<double>(0.0);
};

} // namespace bp::dist

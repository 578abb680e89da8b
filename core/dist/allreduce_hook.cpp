#include "core/dist/allreduce_hook.h"
#include <chrono>

namespace bp::dist {

namespace {

// One layer's reduction: waits for it, then copies the sums back into the gradients' tensors.
class PendingLayer : public PendingGradients {
  public:
    PendingLayer(ProcessGroup& group, size_t index, c10::intrusive_ptr<c10d::Work> work, at::Tensor buffer,
                 std::vector<at::Tensor> targets, std::shared_ptr<double> waitSeconds)
        : group_(group), index_(index), work_(std::move(work)), buffer_(std::move(buffer)),
          targets_(std::move(targets)), waitSeconds_(std::move(waitSeconds)) {}

    void wait() override {
        const auto start = std::chrono::steady_clock::now();
        group_.wait(work_, "summing the gradients of layer " + std::to_string(index_));
        *waitSeconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        int64_t offset = 0;
        for (at::Tensor& t : targets_) {
            const int64_t n = t.numel();
            t.copy_(buffer_.narrow(0, offset, n).view(t.sizes()));
            offset += n;
        }
    }

  private:
    ProcessGroup& group_;
    size_t index_;
    c10::intrusive_ptr<c10d::Work> work_;
    at::Tensor buffer_;
    std::vector<at::Tensor> targets_;
    std::shared_ptr<double> waitSeconds_;
};

} // namespace

void AllreduceHook::beginStep(int64_t localCount, int64_t globalCount, bool meanGradients) {
    if (localCount <= 0 || globalCount <= 0)
        weight_ = 0.0;
    else if (meanGradients)
        weight_ = static_cast<double>(localCount) / static_cast<double>(globalCount);
    else
        weight_ = 1.0;
}

std::unique_ptr<PendingGradients> AllreduceHook::submit(size_t index, LayerGradients& g) {
    // Every rank runs the same rule, so the same gradients are defined on each, in this order.
    std::vector<at::Tensor> targets;
    for (at::Tensor* t : {&g.weight.dense, &g.bias, &g.feedback.dense, &g.recurrent.dense})
        if (t->defined()) {
            if (!t->is_contiguous())
                *t = t->contiguous();
            targets.push_back(*t);
        }
    if (targets.empty())
        return nullptr;
    std::vector<at::Tensor> flat;
    for (const at::Tensor& t : targets)
        flat.push_back(t.reshape({-1}));
    at::Tensor buffer = at::cat(flat);
    if (weight_ != 1.0)
        buffer.mul_(weight_);
    std::vector<at::Tensor> tensors{buffer};
    c10::intrusive_ptr<c10d::Work> work = group_.allreduceSum(tensors);
    return std::make_unique<PendingLayer>(group_, index, std::move(work), std::move(buffer),
                                          std::move(targets), waitSeconds_);
}

} // namespace bp::dist

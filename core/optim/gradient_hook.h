#pragma once
#include "core/nn/gradients.h"
#include <cstddef>
#include <memory>

namespace bp {

// Work started on a layer's gradients that must end before its update (an asynchronous allreduce).
class PendingGradients {
  public:
    virtual ~PendingGradients() = default;
    virtual void wait() = 0;
};

// Sits between a rule and the optimizer: called per layer as soon as that layer's gradients exist, as
// tensors, which it may change in place (a data-parallel reducer sums them across processes). It returns
// what the optimizer must wait on before updating that layer, or nullptr when it is done already.
class GradientHook {
  public:
    virtual ~GradientHook() = default;
    virtual std::unique_ptr<PendingGradients> submit(size_t index, LayerGradients& gradients) = 0;
};

} // namespace bp

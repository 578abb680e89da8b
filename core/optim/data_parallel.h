#pragma once
#include "core/optim/gradient_hook.h"
#include <cstdint>
#include <vector>

namespace bp {

// What a trainer in a data-parallel group needs of it (core/dist implements it over c10d): its place, the
// hook that reduces each layer's gradients across the group, and sums of a few numbers (losses, counts).
// Every rank makes the same calls in the same order.
class DataParallel {
  public:
    virtual ~DataParallel() = default;
    virtual int rank() const = 0;
    virtual int worldSize() const = 0;
    virtual GradientHook& hook() = 0;
    // Before each step: this rank trains localCount of the global batch's globalCount examples (0: it
    // contributes zeros). With meanGradients (a rule whose gradients are of the mean loss, as backprop's),
    // each rank's gradients are weighted by localCount / globalCount before the sum.
    virtual void beginStep(int64_t localCount, int64_t globalCount, bool meanGradients) = 0;
    // Sums the numbers across the group, in place (blocking).
    virtual void sum(std::vector<double>& values) = 0;
    // Seconds this rank has waited for gradient sums to arrive: the communication computation did not hide.
    virtual double communicationWaitSeconds() const { return 0.0; }
};

} // namespace bp

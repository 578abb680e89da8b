#pragma once
#include "core/nn/gradients.h"
#include "core/nn/network.h"
#include "core/optim/gradient_hook.h"
#include "core/optim/optimizer.h"
#include <memory>
#include <vector>

namespace bp {

// The GradientSink of a training step: each layer's gradients go through the hook (when there is one)
// as soon as the rule hands them over, and to the optimizer at flush(), which waits on the hook's work for
// each layer just before adding that layer's update; then the updates run (FC layers concurrently on the
// CPU). Without a hook, product-form gradients reach the optimizer as they are, so that the reference
// optimizer can fuse their GEMM into the momentum buffer; with one, they are formed first.
class Updater : public GradientSink {
  public:
    Updater(Network& net, Optimizer& optimizer, GradientHook* hook = nullptr);
    ~Updater() override; // flushes what is pending (after an exception: drops it)

    void gradientsReady(size_t index, LayerGradients gradients) override;
    void flush() override;

  private:
    struct Pending {
        size_t index;
        std::shared_ptr<LayerGradients> gradients;
        std::unique_ptr<PendingGradients> work;
    };
    Network& net_;
    Optimizer& optimizer_;
    GradientHook* hook_;
    std::vector<Pending> pending_;
};

} // namespace bp

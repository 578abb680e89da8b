#pragma once
#include "core/config/run_config.h"
#include "core/rules/learning_rule.h"

namespace bp {

// Burst-dependent plasticity (Payeur et al. 2021), as ../shared/golden/README.md states the reference:
// sigmoid layers with the recurrent inhibition of the MNIST and CIFAR-10 nets, ReLU layers and a softmax
// output with κ as the ImageNet net (../shared/golden/imagenet/README.md). Gradients are sums over the
// batch: grad_W = deltaᵀ·x, grad_Y = grad_W when feedback weights learn, grad_Z = −uᵀ·b_pre.
class BurstpropRule : public LearningRule {
  public:
    explicit BurstpropRule(const RunConfig& config) : config_(config) {}
    StepResult step(Network& net, const at::Tensor& input, const at::Tensor& labels,
                    const StepOptions& options, GradientSink& sink) override;

  private:
    RunConfig config_;
    std::vector<at::Tensor> inputs_, events_;
};

} // namespace bp

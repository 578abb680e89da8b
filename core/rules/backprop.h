#pragma once
#include "core/rules/learning_rule.h"

namespace bp {

// The backprop baseline: the same sigmoid network, MSE loss, gradients from autograd, and the update of
// torch.optim.SGD(lr=output_lr, momentum, weight_decay): g = grad + wd·θ; buf = g on the first step,
// else momentum·buf + g; θ ← θ − lr·buf (biases included). The SGD buffer lives in deltaWeight/deltaBias.
class BackpropRule : public LearningRule {
public:
    explicit BackpropRule(const RunConfig& config) : config_(config) {}
    StepResult step(Network& net, const at::Tensor& input, const at::Tensor& labels, bool measureAngles,
                    StepTrace* trace) override;

private:
    RunConfig config_;
};

} // namespace bp

#pragma once
#include "core/config/run_config.h"
#include "core/rules/learning_rule.h"

namespace bp {

// The backprop baseline: the same network, its loss (MSE of sigmoid outputs, or the cross-entropy of a
// softmax output), gradients from autograd (of the mean loss, as torch computes them), applied by default
// by torch.optim.SGD(lr=output_lr, momentum, weight_decay) (core/optim/torch_sgd.h).
class BackpropRule : public LearningRule {
  public:
    explicit BackpropRule(const RunConfig& config) : config_(config) {}
    StepResult step(Network& net, const at::Tensor& input, const at::Tensor& labels,
                    const StepOptions& options, GradientSink& sink) override;
    at::Tensor feedbackWeights(const Network&, size_t) const override { return {}; }

  private:
    RunConfig config_;
};

} // namespace bp

#pragma once
#include "core/config/run_config.h"
#include "core/rules/learning_rule.h"

namespace bp {

// Feedback alignment (Lillicrap et al. 2016): backprop's delta with the fixed random feedback
// weights Y in place of Wᵀ: delta_l = (delta_{l+1} Y_{l+1}) ⊙ f′(a_l); gradients summed over the batch,
// applied with burstprop's update form by default.
class FeedbackAlignmentRule : public LearningRule {
  public:
    explicit FeedbackAlignmentRule(const RunConfig& config) : config_(config) {}
    StepResult step(Network& net, const at::Tensor& input, const at::Tensor& labels,
                    const StepOptions& options, GradientSink& sink) override;

  protected:
    // The matrix that carries layer index's delta down (Y for feedback alignment).
    virtual at::Tensor feedbackFor(const Layer& layer) const { return layer.weightFa; }
    // Whether Y learns along with W.
    virtual bool feedbackLearns() const { return config_.weightFaLearning; }

    RunConfig config_;
    std::vector<at::Tensor> inputs_, events_;
};

// Backprop's deltas for every layer of a forward pass recorded in inputs/events (top-down, through W):
// what the delta angles compare with.
std::vector<at::Tensor> backpropDeltas(const Network& net, const std::vector<at::Tensor>& inputs,
                                       const std::vector<at::Tensor>& events, const at::Tensor& outputDelta);

} // namespace bp

#pragma once
#include "core/rules/learning_rule.h"

namespace bp {

// Feedback alignment (Lillicrap et al. 2016): backprop's delta with the fixed random feedback
// weights Y in place of Wᵀ: delta_l = (delta_{l+1} Y_{l+1}) ⊙ e_l (1 − e_l); burstprop's update form.
class FeedbackAlignmentRule : public LearningRule {
public:
    explicit FeedbackAlignmentRule(const RunConfig& config) : config_(config) {}
    StepResult step(Network& net, const at::Tensor& input, const at::Tensor& labels, bool measureAngles,
                    StepTrace* trace) override;
    bool hasAngles() const override { return true; }

private:
    RunConfig config_;
    std::vector<at::Tensor> inputs_, events_;
};

} // namespace bp

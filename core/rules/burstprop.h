#pragma once
#include "core/rules/learning_rule.h"

namespace bp {

// Burst-dependent plasticity (Payeur et al. 2021), as ../shared/golden/README.md states the reference.
class BurstpropRule : public LearningRule {
public:
    explicit BurstpropRule(const RunConfig& config) : config_(config) {}
    StepResult step(Network& net, const at::Tensor& input, const at::Tensor& labels, bool measureAngles,
                    StepTrace* trace) override;
    bool hasAngles() const override { return true; }

private:
    RunConfig config_;
    std::vector<at::Tensor> inputs_, events_;
};

} // namespace bp

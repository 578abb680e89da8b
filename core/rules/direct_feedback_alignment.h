#pragma once
#include "core/config/run_config.h"
#include "core/rules/learning_rule.h"

namespace bp {

// Direct feedback alignment (Nøkland 2016): every hidden layer l receives the output error through its own
// fixed random matrix B_l (classes × the layer's whole output volume, N(0, weight_fa_std)):
// δ_l = (δ_out B_l) ⊙ f′(a_l); the output layer learns from δ_out itself. Gradients are sums over the batch,
// applied with feedback alignment's update form. There is no matrix of W's shape to compare with W, so no
// weight angle; delta angles are against backprop's. State: "feedback.<l>" = B_l, drawn from the rule's
// own random stream for the network it first sees.
class DirectFeedbackAlignmentRule : public LearningRule {
  public:
    DirectFeedbackAlignmentRule(const RunConfig& config, uint64_t seed);
    StepResult step(Network& net, const at::Tensor& input, const at::Tensor& labels,
                    const StepOptions& options, GradientSink& sink) override;
    at::Tensor feedbackWeights(const Network&, size_t) const override { return {}; }

    void initialize(const Network& net, at::Generator& generator) override;
    RuleState saveState() const override;
    void restoreState(const RuleState& state, const std::string& source) override;

    // B_l of hidden layer l (undefined for the output layer).
    const at::Tensor& feedback(size_t layer) const { return feedback_.at(layer); }

  private:
    RunConfig config_;
    uint64_t seed_;
    std::vector<at::Tensor> feedback_; // per layer; undefined for the output layer
    std::vector<at::Tensor> inputs_, events_;
};

} // namespace bp

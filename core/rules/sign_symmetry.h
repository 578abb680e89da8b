#pragma once
#include "core/rules/feedback_alignment.h"

namespace bp {

// Sign symmetry (Liao, Leibo & Poggio 2016): feedback alignment with Y = sign(W) at every step, so the
// feedback shares W's signs but not its magnitudes (batch-manhattan not used). Its weight angle is about
// 37° by construction: for Gaussian W, cos(W, sign W) = E|w| / √E[w²] = √(2/π).
class SignSymmetryRule : public FeedbackAlignmentRule {
  public:
    using FeedbackAlignmentRule::FeedbackAlignmentRule;
    at::Tensor feedbackWeights(const Network& net, size_t index) const override;

  protected:
    at::Tensor feedbackFor(const Layer& layer) const override { return at::sign(layer.weight); }
    bool feedbackLearns() const override { return false; }
};

} // namespace bp

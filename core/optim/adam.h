#pragma once
#include "core/optim/optimizer.h"

namespace bp {

// torch.optim.Adam (amsgrad off) with one parameter group per layer, for W, b and a learned Y:
//   t ← t + 1; g = grad (+ weight_decay·θ when the group has decay); m ← β1·m + (1 − β1)·g;
//   v ← β2·v + (1 − β2)·g²; θ ← θ − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε).
// The reference's ImageNet script uses β = (0.9, 0.99), ε = 0.1 and no weight decay (its groups give Adam
// none; OptimizerSettings carries what the run asks). A parameter without a gradient is skipped.
// Z: plain SGD at recurrent_lr. State: layer<i>.exp_avg_<p>, .exp_avg_sq_<p>, .step_<p> (float64 scalar).
class Adam : public Optimizer {
  public:
    using Optimizer::Optimizer;
    std::string name() const override { return "adam"; }
    void addUpdate(UpdateTasks& tasks, Layer& layer, size_t index,
                   std::shared_ptr<LayerGradients> gradients) override;

  private:
    struct Moments {
        at::Tensor avg, avgSq, step;
    };
    Moments moments(size_t index, const char* parameter, const at::Tensor& like);
};

} // namespace bp

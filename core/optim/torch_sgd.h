#pragma once
#include "core/optim/optimizer.h"

namespace bp {

// torch.optim.SGD (dampening 0, no Nesterov) with one parameter group per layer: for each of W, b and a
// learned Y, g = grad + weight_decay·θ; buf = g on the first step, else momentum·buf + g; θ ← θ − lr·buf.
// Every parameter has its own buffer (Y's is not W's: its decay term differs). A parameter without a
// gradient is skipped, as torch skips one whose .grad is None. Z: plain SGD at recurrent_lr.
// State: layer<i>.delta_weight, .delta_bias, .delta_weight_fa.
class TorchSgd : public Optimizer {
  public:
    using Optimizer::Optimizer;
    std::string name() const override { return "sgd"; }
    void addUpdate(UpdateTasks& tasks, Layer& layer, size_t index,
                   std::shared_ptr<LayerGradients> gradients) override;
};

} // namespace bp

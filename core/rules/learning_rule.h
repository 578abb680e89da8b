#pragma once
#include "core/config/run_config.h"
#include "core/nn/network.h"
#include <ATen/ATen.h>
#include <memory>
#include <vector>

namespace bp {

// Per-layer signals of one step, recorded only when asked (golden tests, inspection).
struct LayerTrace {
    at::Tensor e;       // event rate (layer output) before the update
    at::Tensor delta;   // the rule's update signal
    at::Tensor deltaBp; // backprop's signal for the same layer
};
struct StepTrace {
    at::Tensor output; // network output before the update
    std::vector<LayerTrace> layers;
};

struct StepResult {
    double loss = 0.0;   // MSE of the output before the update
    int64_t correct = 0; // examples classified right before the update
    // Per hidden layer (bottom to top, output excluded): mean over the batch of the angle in degrees
    // between the rule's delta and backprop's. Filled only when asked, and for rules that have one.
    std::vector<double> deltaAngles;
};

// One learning rule: a training step on a batch changes the network in place.
class LearningRule {
public:
    virtual ~LearningRule() = default;
    // labels: int64 N. measureAngles: also compute the backprop reference signal and delta angles
    // (only then does the step pay for it). trace: when not null, filled with the step's signals.
    virtual StepResult step(Network& net, const at::Tensor& input, const at::Tensor& labels, bool measureAngles,
                            StepTrace* trace = nullptr) = 0;
    // Whether the rule has feedback weights to compare (weight/delta angles apply).
    virtual bool hasAngles() const { return false; }
};

std::unique_ptr<LearningRule> makeLearningRule(const RunConfig& config, uint64_t noiseSeed);

// Shared by the rules.
at::Tensor oneHot(const at::Tensor& labels, int64_t classes, const at::TensorOptions& options);
double mseLoss(const at::Tensor& output, const at::Tensor& target);
int64_t countCorrect(const at::Tensor& output, const at::Tensor& labels);
// Every layer's prepared input and output e of a forward pass.
void forwardRecord(const Network& net, const at::Tensor& input, std::vector<at::Tensor>& inputs,
                   std::vector<at::Tensor>& outputs);

} // namespace bp

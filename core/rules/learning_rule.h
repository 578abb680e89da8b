#pragma once
#include "core/nn/gradients.h"
#include "core/nn/network.h"
#include <ATen/ATen.h>
#include <functional>
#include <map>
#include <string>
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

// This process's part of a global batch in data-parallel training (core/dist): the examples
// [offset, offset + count) of globalCount. A rule whose step needs more than sums of per-example gradients
// (node perturbation: the loss of the whole batch, its noise drawn for the whole batch) uses it.
struct BatchShard {
    int64_t offset = 0;
    int64_t count = 0; // 0: the rank has no example of this batch (it steps on a stand-in, weighted 0)
    int64_t globalCount = 0;
    // Sums the numbers across the group, in place; every rank calls it at the same point of the step.
    std::function<void(std::vector<double>&)> sum;
};

struct StepOptions {
    // Also compute the backprop reference signal and the delta angles (only then does the step pay for it).
    bool measureAngles = false;
    // Also fill StepResult::signals (every rule: its event rates and update signals; burstprop's p and p_t).
    bool recordSignals = false;
    StepTrace* trace = nullptr;        // filled with the step's signals when not null
    const BatchShard* shard = nullptr; // data-parallel training: this process's part of the batch
};

struct StepResult {
    double loss = 0.0;   // of the output before the update (MSE, or cross-entropy for a softmax output)
    int64_t correct = 0; // examples classified right before the update
    // Examples whose label is among the min(5, classes) largest outputs; counted for softmax outputs (the
    // ImageNet net's), -1 otherwise.
    int64_t correctTop5 = -1;
    // Per hidden layer (bottom to top, output excluded): mean over the batch of the angle in degrees
    // between the rule's delta and backprop's. Filled only when asked, and for rules that have one.
    std::vector<double> deltaAngles;
    // Per layer, bottom to top, when StepOptions::recordSignals: the signals the signal histograms summarise
    // (core/metrics/signal_histogram.h). Views of the step's own tensors, valid until the next step.
    struct LayerSignals {
        at::Tensor e;     // event rate (the layer's output), (N, ...)
        at::Tensor p, pT; // burst probabilities p and p_t, (N, ...); undefined for rules without bursts
        // The rule's update signal, (N, ...): burstprop's and (direct) feedback alignment's delta, backprop's
        // gradient of the loss with respect to the pre-activation, node perturbation's scaled noise
        // (undefined for a layer a sub-step did not perturb).
        at::Tensor delta;
    };
    std::vector<LayerSignals> signals;
};

// A rule's own state for checkpoints: tensors by name (random generators as their uint8 state).
using RuleState = std::map<std::string, at::Tensor>;

// A learning rule computes; it does not apply. A step reads a batch, computes every layer's gradients
// (top-down for burstprop) and hands each layer's to the sink as soon as they are complete; the sink's
// optimizer applies them (core/optim).
class LearningRule {
  public:
    virtual ~LearningRule() = default;
    // labels: int64 N. The rule calls sink.gradientsReady() once per layer it updates (and may flush()
    // between sub-steps); the caller flushes after the step.
    virtual StepResult step(Network& net, const at::Tensor& input, const at::Tensor& labels,
                            const StepOptions& options, GradientSink& sink) = 0;

    // The feedback matrix compared with W_index in the weight angles, W's shape; undefined when the rule
    // has none of W's shape (default: the layer's Y).
    virtual at::Tensor feedbackWeights(const Network& net, size_t index) const;

    // Before the first step of a new run: the rule's own random state for this network (drawn from
    // generator after the network's tensors). Not called when the state comes from a checkpoint.
    virtual void initialize(const Network& /*net*/, at::Generator& /*generator*/) {}
    virtual RuleState saveState() const { return {}; }
    // Throws bp::Error naming `source` when an entry is missing or does not fit.
    virtual void restoreState(const RuleState& /*state*/, const std::string& /*source*/) {}
    // After restoreState(): throws bp::Error naming `source` when the restored state does not fit net (an
    // index past its layers or units), so that a damaged checkpoint is refused on load, not by a step.
    virtual void checkState(const Network& /*net*/, const std::string& /*source*/) const {}
};

// Shared by the rules: every layer's prepared input and output e of a forward pass.
void forwardRecord(const Network& net, const at::Tensor& input, std::vector<at::Tensor>& inputs,
                   std::vector<at::Tensor>& outputs);
// The gradient of the output loss with respect to the output layer's pre-activation, as the reference's
// delta: sigmoid/MSE −(t − e) e (1 − e) (the factor 2/(N·C) of the mean dropped, as the reference does),
// softmax/cross-entropy softmax(e) − t.
at::Tensor outputDelta(const Network& net, const at::Tensor& output, const at::Tensor& labels);

// Per-example angle in degrees between rows of a and b (flattened per example), averaged over the batch.
double meanRowAngle(const at::Tensor& a, const at::Tensor& b);
// Angle in degrees between two tensors flattened.
double tensorAngle(const at::Tensor& a, const at::Tensor& b);

} // namespace bp

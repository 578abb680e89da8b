#pragma once
#include "core/config/run_config.h"
#include "core/rules/learning_rule.h"

namespace bp {

// Node perturbation as the reference implements it. Gaussian noise xi ~ N(xi_mean, xi_std) is added to
// pre-activations; E and E_perturbed are the losses of the clean and the perturbed output, and every
// perturbed layer gets delta = −(E − E_perturbed)·xi / xi_std², applied with burstprop's update form.
// Modes (the reference's -sequential_pertubation / -perturb_units):
//  * AllLayers: every layer perturbed in one pass. As in the reference, a perturbed layer's activity
//    is f(clean pre-activation + xi), so only the output layer's noise reaches E_perturbed.
//  * LayerByLayer: one perturbed pass and update per layer, layers above recomputed from the
//    perturbed activity; every sub-step applies momentum and weight decay to all layers.
//  * UnitByUnit: one unit per batch (all examples perturbed on that unit), moving to the next unit,
//    then the next layer, cyclically. (The reference spends one batch without an update at each
//    layer change; this implementation does not.)
// State: "generator" (the noise's generator) and "position" (the next unit of UnitByUnit: layer, unit).
class NodePerturbationRule : public LearningRule {
  public:
    NodePerturbationRule(const RunConfig& config, uint64_t seed);
    StepResult step(Network& net, const at::Tensor& input, const at::Tensor& labels,
                    const StepOptions& options, GradientSink& sink) override;
    at::Tensor feedbackWeights(const Network&, size_t) const override { return {}; }

    RuleState saveState() const override;
    void restoreState(const RuleState& state, const std::string& source) override;
    // The position's layer is one of net's and its unit one of that layer's outputs.
    void checkState(const Network& net, const std::string& source) const override;

    // Position of the next unit perturbed in UnitByUnit mode.
    int64_t currentLayer() const { return layer_; }
    int64_t currentUnit() const { return unit_; }

  private:
    at::Tensor noise(const at::IntArrayRef shape, const at::TensorOptions& options);
    // Noise of a batch-leading shape: with a shard, this rank's rows of the global batch's draw.
    at::Tensor batchNoise(const at::IntArrayRef shape, const at::TensorOptions& options,
                          const BatchShard* shard);
    double perturbedLoss(const Network& net, size_t layer, const at::Tensor& xi, const at::Tensor& labels);
    void handAll(GradientSink& sink, const std::vector<at::Tensor>& deltas);

    RunConfig config_;
    at::Generator generator_;
    std::vector<at::Tensor> inputs_, pre_;
    int64_t layer_ = 0, unit_ = 0;
};

} // namespace bp

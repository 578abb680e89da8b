#pragma once
#include "core/config/run_config.h"
#include "core/nn/network.h"
#include "core/optim/gradient_hook.h"
#include "core/optim/optimizer.h"
#include "core/rules/learning_rule.h"
#include "core/rules/rule_registry.h"
#include <memory>

namespace bp {

// A rule and the optimizer that applies its gradients, as a run sets them up: one call trains one batch.
class Learner {
  public:
    Learner(const RuleInfo& info, std::unique_ptr<LearningRule> rule, std::unique_ptr<Optimizer> optimizer);

    // The rule computes the batch's gradients and the optimizer applies them (through the hook, when set).
    // measure: a measuring step — the delta angles where the rule has them, and every rule's signals for the
    // signal histograms (StepResult::signals).
    StepResult step(Network& net, const at::Tensor& input, const at::Tensor& labels, bool measure,
                    StepTrace* trace = nullptr);
    // Between rule and optimizer, e.g. a reduction across processes; nullptr: none.
    void setHook(GradientHook* hook) { hook_ = hook; }
    // Data-parallel training: this process's part of the next steps' batches (not owned); nullptr: none.
    void setShard(const BatchShard* shard) { shard_ = shard; }

    const RuleInfo& info() const { return info_; }
    LearningRule& rule() { return *rule_; }
    const LearningRule& rule() const { return *rule_; }
    Optimizer& optimizer() { return *optimizer_; }
    const Optimizer& optimizer() const { return *optimizer_; }

  private:
    const RuleInfo& info_;
    std::unique_ptr<LearningRule> rule_;
    std::unique_ptr<Optimizer> optimizer_;
    GradientHook* hook_ = nullptr;
    const BatchShard* shard_ = nullptr;
};

// The optimizer a configuration asks for, by name ("reference", "sgd", "adam"): the rule's own unless named.
std::string optimizerName(const RunConfig& config);
// One parameter group per layer of net: hidden_lr below the output, output_lr on it (output_lr everywhere
// for backprop, as the reference's SGD), momentum and weight decay (none with Adam, as the reference's
// ImageNet script), recurrent_lr for Z.
OptimizerSettings optimizerSettings(const RunConfig& config, const Network& net);

// The rule (with its own random stream from ruleSeed) and optimizer of a configuration, for net.
// Throws bp::Error for an unknown rule.
std::unique_ptr<Learner> makeLearner(const RunConfig& config, const Network& net, uint64_t ruleSeed);

} // namespace bp

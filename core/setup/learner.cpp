#include "core/setup/learner.h"
#include "core/optim/updater.h"
#include "core/setup/defaults.h"

namespace bp {

Learner::Learner(const RuleInfo& info, std::unique_ptr<LearningRule> rule,
                 std::unique_ptr<Optimizer> optimizer)
    : info_(info), rule_(std::move(rule)), optimizer_(std::move(optimizer)) {}

StepResult Learner::step(Network& net, const at::Tensor& input, const at::Tensor& labels, bool measure,
                         StepTrace* trace) {
    Updater updater(net, *optimizer_, hook_);
    StepOptions options;
    options.measureAngles = measure && info_.deltaAngles;
    options.recordSignals = measure; // every rule has signals to histogram
    options.trace = trace;
    options.shard = shard_;
    const StepResult result = rule_->step(net, input, labels, options, updater);
    updater.flush();
    return result;
}

std::string optimizerName(const RunConfig& config) {
    OptimizerKind kind = config.optimizer;
    if (kind == OptimizerKind::RuleDefault)
        kind = requireRule(config.rule).optimizer;
    return toString(kind == OptimizerKind::RuleDefault ? OptimizerKind::Reference : kind);
}

OptimizerSettings optimizerSettings(const RunConfig& config, const Network& net) {
    const RuleInfo& rule = requireRule(config.rule);
    const bool adam = optimizerName(config) == "adam";
    OptimizerSettings s;
    for (const Layer& layer : net.layers) {
        ParameterGroup g;
        g.lr = layer.isOutput() || rule.outputLrEverywhere ? config.outputLr : config.hiddenLr;
        g.momentum = config.momentum;
        g.weightDecay = adam ? 0.0 : config.weightDecay;
        s.layers.push_back(g);
    }
    s.recurrentLr = config.recurrentLr;
    return s;
}

std::unique_ptr<Learner> makeLearner(const RunConfig& original, const Network& net, uint64_t ruleSeed) {
    const RunConfig config = normalized(original);
    const RuleInfo& info = requireRule(config.rule);
    return std::make_unique<Learner>(info, info.make(config, ruleSeed),
                                     makeOptimizer(optimizerName(config), optimizerSettings(config, net)));
}

} // namespace bp

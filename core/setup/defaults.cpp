#include "core/setup/defaults.h"
#include "core/rules/rule_registry.h"
#include "core/util/error.h"

namespace bp {

RunConfig defaultConfig(DatasetKind dataset, const std::string& rule) {
    const RuleInfo& info = requireRule(rule);
    RunConfig c = datasetDefaults(dataset);
    c.rule = info.name;
    if (info.defaults)
        info.defaults(c);
    return c;
}

bool usesLearnedFeedbackWidths(const RunConfig& config) {
    const RuleInfo* rule = findRule(config.rule);
    return config.architecture == Architecture::Cifar10Conv && config.weightFaLearning && rule &&
           rule->layerFeedback && rule->uses("weight_fa_learning");
}

RunConfig normalized(RunConfig c) {
    if (const RuleInfo* rule = findRule(c.rule)) {
        c.rule = rule->name;
        if (!rule->uses("weight_fa_learning"))
            c.weightFaLearning = false;
        if (!rule->uses("recurrent_input"))
            c.recurrentInput = false;
    }
    if (!c.recurrentInput)
        c.weightRLearning = false;
    return c;
}

bool hyperparameterApplies(const RunConfig& config, const std::string& key) {
    const RuleInfo* rule = findRule(config.rule);
    if (key == "perturbation")
        return rule && rule->perturbationModes;
    if (key == "hidden_widths")
        return config.architecture == Architecture::FullyConnected;
    if (key == "conv_channels")
        return config.architecture == Architecture::ImagenetConv;
    if (key == "image_size" || key == "validation_size" || key == "loader_threads" || key == "test_augment")
        return isImageFolder(config.dataset);
    if (key == "kappa" && config.output != OutputKind::Softmax)
        return false;
    if (!findHyperparameter(key))
        return true; // dataset, rule, seed, ...
    return !rule || rule->uses(key);
}

std::vector<ConfigIssue> validate(const RunConfig& config) {
    std::vector<ConfigIssue> issues = checkValues(config);
    const RuleInfo* rule = findRule(config.rule);
    if (!rule) {
        issues.push_back(
            {"rule", "unknown learning rule '" + config.rule + "' (allowed: " + ruleNames() + ")"});
        return issues;
    }
    if (rule->unsupported) {
        const std::string why = rule->unsupported(normalized(config));
        if (!why.empty())
            issues.push_back({"rule", why});
    }
    return issues;
}

void requireValid(const RunConfig& config) {
    const auto issues = validate(config);
    if (issues.empty())
        return;
    std::string message = "invalid configuration:";
    for (const auto& issue : issues)
        message += "\n  " + issue.message;
    throw Error(message);
}

} // namespace bp

#pragma once
#include "core/config/hyperparameters.h"
#include "core/config/run_config.h"
#include <string>
#include <vector>

namespace bp {

// The reference scripts' per-dataset defaults (train_mnist.py, train_cifar10.py), then the rule's own
// (RuleInfo::defaults). Throws bp::Error for an unknown rule.
RunConfig defaultConfig(DatasetKind dataset, const std::string& rule = "burstprop");

// The paper's CIFAR-10 net narrows to 128 channels / 1024 units when feedback weights learn.
bool usesLearnedFeedbackWidths(const RunConfig& config);

// Which options apply: a rule ignores the switches it does not use (feedback learning for backprop,
// recurrent input for feedback alignment, ...), recurrent learning needs recurrent input, and the rule's
// name is written as the registry writes it. normalized() applies that.
RunConfig normalized(RunConfig config);

// Whether a hyperparameter (a key of the table, or one of the choices the run store records: perturbation,
// hidden_widths, ...) means anything for this configuration's rule and network: what the rule registry
// declares, kappa only with a softmax output, hidden widths only for the fully connected network.
bool hyperparameterApplies(const RunConfig& config, const std::string& key);

// checkValues() and what depends on the rule: an unknown rule, or a network the rule cannot train.
std::vector<ConfigIssue> validate(const RunConfig& config);
// Throws bp::Error listing every issue when validate() finds any.
void requireValid(const RunConfig& config);

} // namespace bp

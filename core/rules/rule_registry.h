#pragma once
#include "core/config/run_config.h"
#include "core/rules/learning_rule.h"
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace bp {

// Everything the program knows of a learning rule, declared once by the rule beside its code (each rule's
// .cpp defines its RuleInfo; rule_registry.cpp lists them). The CLI's --rule and --help, the form's rule
// list, preset validation, the defaults, the network builder and the run store read it from here.
struct RuleInfo {
    std::string name;                 // as written in configurations and on the command line
    std::vector<std::string> aliases; // also read (e.g. "fa", "bp")
    std::string title;                // for people: "Feedback alignment"
    std::string description;          // one or two sentences, with the reference
    // The hyperparameter table's keys this rule uses beyond those every rule uses (ParamSpec::everyRule).
    std::vector<std::string> hyperparameters;
    bool layerFeedback = false;     // every layer has feedback weights Y of W's shape (weight_fa_std applies)
    bool recurrent = false;         // hidden FC layers have recurrent weights Z when recurrent_input is on
    bool weightAngles = false;      // angle between W and the rule's feedback matrix is defined
    bool deltaAngles = false;       // angle between the rule's deltas and backprop's is measured
    std::string weightAngleNote;    // what a weight angle means for this rule, when it is not the usual
    bool perturbationModes = false; // node perturbation's --perturbation applies
    OptimizerKind optimizer = OptimizerKind::Reference; // what applies its gradients by default
    bool outputLrEverywhere = false; // every layer learns at output_lr (backprop, as the reference's SGD)
    // Its gradients are of the mean loss over the batch (backprop's autograd), not sums over it: a
    // data-parallel reduction weights each rank's by its share of the batch.
    bool meanGradients = false;
    // Per-rule default values on top of the data set's (feedback alignment's smaller learning rates).
    std::function<void(RunConfig&)> defaults;
    // Xavier gain of W at initialisation for this configuration.
    std::function<double(const RunConfig&)> initGain;
    // Why this rule cannot train the configuration's network; empty when it can.
    std::function<std::string(const RunConfig&)> unsupported;
    // The rule object; seed: its own random stream (node perturbation's noise).
    std::function<std::unique_ptr<LearningRule>(const RunConfig&, uint64_t seed)> make;

    bool uses(const std::string& key) const;
};

// Every rule, in the order lists show them (burstprop first).
const std::vector<const RuleInfo*>& ruleRegistry();
// The rule of that name or alias (case and '_'/'-' ignored); nullptr when there is none.
const RuleInfo* findRule(const std::string& name);
// As findRule, or a bp::Error "unknown learning rule 'x' (allowed: burstprop, backprop, ...)".
const RuleInfo& requireRule(const std::string& name);
// The names of every rule, comma-separated.
std::string ruleNames();

// Whether `rule` uses the hyperparameter `key` (every rule uses the keys marked everyRule). An unknown
// rule uses every key.
bool ruleUsesHyperparameter(const std::string& rule, const std::string& key);

} // namespace bp

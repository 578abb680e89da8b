#include "core/rules/rule_registry.h"
#include "core/config/hyperparameters.h"
#include "core/util/error.h"
#include <algorithm>
#include <cctype>

namespace bp {

// Each rule's RuleInfo, defined beside its code. A new rule adds its line here.
const RuleInfo& burstpropRule();
const RuleInfo& backpropRule();
const RuleInfo& feedbackAlignmentRule();
const RuleInfo& nodePerturbationRule();
const RuleInfo& directFeedbackAlignmentRule();
const RuleInfo& signSymmetryRule();

const std::vector<const RuleInfo*>& ruleRegistry() {
    static const std::vector<const RuleInfo*> rules = {&burstpropRule(),
                                                       &backpropRule(),
                                                       &feedbackAlignmentRule(),
                                                       &nodePerturbationRule(),
                                                       &directFeedbackAlignmentRule(),
                                                       &signSymmetryRule()};
    return rules;
}

bool RuleInfo::uses(const std::string& key) const {
    if (const ParamSpec* spec = findHyperparameter(key); spec && spec->everyRule)
        return true;
    return std::find(hyperparameters.begin(), hyperparameters.end(), key) != hyperparameters.end();
}

namespace {
std::string normalisedName(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    std::replace(s.begin(), s.end(), '_', '-');
    return s;
}
} // namespace

const RuleInfo* findRule(const std::string& name) {
    const std::string key = normalisedName(name);
    for (const RuleInfo* rule : ruleRegistry()) {
        if (rule->name == key)
            return rule;
        if (std::find(rule->aliases.begin(), rule->aliases.end(), key) != rule->aliases.end())
            return rule;
    }
    return nullptr;
}

std::string ruleNames() {
    std::string out;
    for (const RuleInfo* rule : ruleRegistry())
        out += (out.empty() ? "" : ", ") + rule->name;
    return out;
}

const RuleInfo& requireRule(const std::string& name) {
    if (const RuleInfo* rule = findRule(name))
        return *rule;
    throw Error("unknown learning rule '" + name + "' (allowed: " + ruleNames() + ")");
}

bool ruleUsesHyperparameter(const std::string& rule, const std::string& key) {
    const RuleInfo* info = findRule(rule);
    return !info || info->uses(key);
}

} // namespace bp

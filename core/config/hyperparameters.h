#pragma once
#include "core/config/run_config.h"
#include <string>
#include <vector>

namespace bp {

enum class ParamType { Double, Int, Bool };

// Bit mask of the rules a hyperparameter applies to.
enum RuleMask : unsigned {
    kBurstprop = 1u << 0,
    kBackprop = 1u << 1,
    kFeedbackAlignment = 1u << 2,
    kNodePerturbation = 1u << 3,
    kAllRules = 0xFu,
};
unsigned ruleBit(Rule rule);

// One tunable number of a run: its reference flag name, range, unit, meaning and storage.
// The CLI, validation, the run store and the GUI form are all driven from this one table.
struct ParamSpec {
    const char* key;   // reference flag name without the dash, e.g. "hidden_lr"
    ParamType type;
    double min;        // inclusive bounds
    double max;
    const char* unit;  // "" when dimensionless
    const char* help;  // what it does in the model
    unsigned rules;    // RuleMask
    double RunConfig::*d = nullptr;
    int RunConfig::*i = nullptr;
    bool RunConfig::*b = nullptr;

    double get(const RunConfig& c) const;
    void set(RunConfig& c, double value) const;
};

const std::vector<ParamSpec>& hyperparameters();
const ParamSpec* findHyperparameter(const std::string& key);

struct ConfigIssue {
    std::string field; // ParamSpec key, or "hidden_widths", "device", ...
    std::string message;
};
// Every out-of-range or inconsistent value, each naming its field and the allowed range.
std::vector<ConfigIssue> validate(const RunConfig& config);
// Throws bp::Error listing every issue when validate() finds any.
void requireValid(const RunConfig& config);

// A JSON object with every field of the config (stable key order).
std::string toJson(const RunConfig& config);
// The inverse of toJson(): keys it lacks keep defaultConfig(dataset, rule)'s values, unknown keys are
// ignored. Throws bp::Error naming a key of the wrong type or an unknown dataset, rule or architecture.
RunConfig configFromJson(const std::string& json);

} // namespace bp

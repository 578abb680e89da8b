#pragma once
#include "core/config/run_config.h"
#include <string>
#include <vector>

namespace bp {

enum class ParamType { Double, Int, Bool };

// One tunable number of a run: its reference flag name, range, unit, meaning and storage.
// The CLI, validation, the run store and the GUI form are all driven from this one table; which rules
// use a key that not every rule uses, each rule declares in the rule registry (core/rules).
struct ParamSpec {
    const char* key; // reference flag name without the dash, e.g. "hidden_lr"
    ParamType type;
    double min; // inclusive bounds
    double max;
    const char* unit; // "" when dimensionless
    const char* help; // what it does in the model
    bool everyRule;   // used by every rule (n_epochs, batch_size, ...); else as the rules declare
    double RunConfig::*d = nullptr;
    int RunConfig::*i = nullptr;
    bool RunConfig::*b = nullptr;

    double get(const RunConfig& c) const;
    void set(RunConfig& c, double value) const;
};

const std::vector<ParamSpec>& hyperparameters();
const ParamSpec* findHyperparameter(const std::string& key);

// Limits of the networks this project builds (written once: the CLI, validation and the form read them).
constexpr int kMaxHiddenLayers = 20;
constexpr int kMaxLayerWidth = 100000;

struct ConfigIssue {
    std::string field; // ParamSpec key, or "hidden_widths", "device", "rule", ...
    std::string message;
};
// Every out-of-range value of the table, every impossible network or device, each naming its field and
// the allowed range. (core/setup's validate() adds what depends on the rule.)
std::vector<ConfigIssue> checkValues(const RunConfig& config);

// A JSON object with every field of the config (stable key order; numbers independent of the locale).
std::string toJson(const RunConfig& config);
// The inverse of toJson(): keys it lacks keep datasetDefaults(dataset)'s values (a key an older version
// did not write), unknown keys are ignored. Throws bp::Error naming a key of the wrong type, or an
// unknown dataset, architecture or other choice.
RunConfig configFromJson(const std::string& json);

} // namespace bp

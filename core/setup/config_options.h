#pragma once
#include "core/config/hyperparameters.h"
#include "core/config/run_config.h"
#include <optional>
#include <string>
#include <vector>

namespace bp {

// How an option of a command line takes its value.
enum class OptionKind { Param, Bool, Int, Text, Switch };

// One option as typed: "-hidden_lr 0.1", "--hidden-lr=0.1", "--json".
struct OptionItem {
    std::string flag; // as typed, without "=value"
    std::string key;  // normalised: no dashes, '_' for '-', reference aliases resolved
    OptionKind kind = OptionKind::Text;
    const ParamSpec* spec = nullptr; // Param: the table's entry
    std::string value;
    bool hasValue = false;
};

// The normalised key of a typed option name without its dashes ("hidden-lr" → "hidden_lr";
// "weight_r_std" → "weight_r_range", the reference's names for renamed keys).
std::string normalisedOptionKey(std::string name);
// The kind of a configuration option (a hyperparameter of the table, --dataset, --rule, ...); nullopt
// when key is none.
std::optional<OptionKind> configOptionKind(const std::string& key);

// The command-line spelling of an option key: "-hidden_lr" for the reference scripts' flags,
// "--angle-interval" for this program's own.
std::string flagName(const std::string& key);

// The configuration that the configuration options among items give (others are skipped): the
// dataset's and the rule's defaults first, wherever --dataset and --rule stand, then every other option in
// order (a later one overrides an earlier one). Throws bp::Error listing every bad value, each named by
// the flag as typed, and what validate() still finds. The result passed validate().
RunConfig parseConfigOptions(const std::vector<OptionItem>& items);

// Reading values, shared with the CLI's own options; each throws bp::Error naming flag and the range.
bool parseBoolValue(const std::string& flag, const std::string& value);
int parseIntValue(const std::string& flag, const std::string& value, long long lo, long long hi);
std::string rangeText(const ParamSpec& spec);
std::string paramValueText(const ParamSpec& spec, double value); // "true", "500", "0.1"

} // namespace bp

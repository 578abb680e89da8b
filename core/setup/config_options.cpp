#include "core/setup/config_options.h"
#include "core/rules/rule_registry.h"
#include "core/setup/defaults.h"
#include "core/setup/network_for_config.h"
#include "core/util/error.h"
#include "core/util/number_text.h"
#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>
#include <sstream>

namespace bp {

namespace {

// Flags of the reference scripts (train_mnist.py, train_cifar10.py, train_imagenet.py) that name a
// ParamSpec: spelled with one dash and underscores, as there. The table's other keys are this program's
// own (--threads).
const std::set<std::string>& referenceKeys() {
    static const std::set<std::string> keys = {"n_epochs",        "batch_size",     "hidden_lr",
                                               "output_lr",       "weight_fa_std",  "momentum",
                                               "weight_decay",    "p_baseline",     "weight_fa_learning",
                                               "recurrent_input", "weight_r_range", "weight_r_learning",
                                               "recurrent_lr",    "xi_mean",        "xi_std",
                                               "validation",      "kappa"};
    return keys;
}

// Reference spellings of table keys that this project renamed.
const std::pair<const char*, const char*> kAliases[] = {
    {"weight_r_std", "weight_r_range"}, // the reference's name for the recurrent weights' range
    {"use_node_perturbation", "use_node_pertubation"},
    {"sequential_perturbation", "sequential_pertubation"},
};

struct ConfigOption {
    const char* key;
    OptionKind kind;
    bool reference; // a reference script flag: spelled with a single dash in messages and help
};
const ConfigOption kConfigOptions[] = {
    {"dataset", OptionKind::Text, false},       {"data_dir", OptionKind::Text, false},
    {"conv_net", OptionKind::Bool, true},       {"n_hidden_layers", OptionKind::Int, true},
    {"hidden_widths", OptionKind::Text, false}, {"activation", OptionKind::Text, false},
    {"output", OptionKind::Text, false},        {"rule", OptionKind::Text, false},
    {"use_backprop", OptionKind::Bool, true},   {"use_node_pertubation", OptionKind::Bool, true},
    {"perturbation", OptionKind::Text, false},  {"sequential_pertubation", OptionKind::Bool, true},
    {"perturb_units", OptionKind::Bool, true},  {"optimizer", OptionKind::Text, false},
    {"use_adam", OptionKind::Bool, true},       {"device", OptionKind::Text, false},
    {"dtype", OptionKind::Text, false},         {"seed", OptionKind::Text, false},
    {"info", OptionKind::Text, true},           {"no_download", OptionKind::Switch, false},
    {"mirror", OptionKind::Text, false},        {"conv_channels", OptionKind::Text, false},
};

constexpr int kReferenceWidth = 500;

const ConfigOption* findConfigOption(const std::string& key) {
    for (const ConfigOption& option : kConfigOptions)
        if (key == option.key)
            return &option;
    return nullptr;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

// Integer bounds in full ("1000000000", not "1e+09"), others as %g writes them ("1e-06", "0.999").
std::string boundText(const ParamSpec& spec, double v) {
    return spec.type == ParamType::Int ? std::to_string(static_cast<long long>(v)) : formatNumber(v, 6);
}

// A hyperparameter of the table, range-checked here already (an int field must not overflow).
void setParam(RunConfig& config, const ParamSpec& spec, const std::string& flag, const std::string& value) {
    if (spec.type == ParamType::Bool) {
        spec.set(config, parseBoolValue(flag, value) ? 1.0 : 0.0);
        return;
    }
    double v = 0.0;
    if (spec.type == ParamType::Int) {
        const auto i = parseInteger(value);
        if (!i)
            throw Error(flag + ": '" + value + "' is not an integer (allowed range " + rangeText(spec) + ")");
        v = static_cast<double>(*i);
    } else {
        const auto r = parseNumber(value);
        if (!r)
            throw Error(flag + ": '" + value + "' is not a number (allowed range " + rangeText(spec) + ")");
        v = *r;
    }
    if (!std::isfinite(v) || v < spec.min || v > spec.max)
        throw Error(flag + ": " + value + " is out of range " + rangeText(spec));
    spec.set(config, v);
}

std::vector<int> parseWidths(const std::string& flag, const std::string& value) {
    std::vector<int> widths;
    const std::string v = lower(value);
    if (v.empty() || v == "none")
        return widths;
    std::stringstream in(value);
    std::string item;
    while (std::getline(in, item, ',')) {
        const auto w = parseInteger(item);
        if (!w || *w < 1 || *w > kMaxLayerWidth)
            throw Error(flag + ": '" + value + "' is not a comma-separated list of layer widths in [1, " +
                        std::to_string(kMaxLayerWidth) + "] (e.g. 500,300)");
        widths.push_back(static_cast<int>(*w));
    }
    if (!value.empty() && value.back() == ',')
        throw Error(flag + ": '" + value + "' ends with a comma (e.g. 500,300)");
    return widths;
}

// A choice by name, the parser's message prefixed with the flag.
template <typename E>
E parseChoice(const std::string& flag, const std::string& value, E (*parse)(const std::string&)) {
    try {
        return parse(value);
    } catch (const Error& e) {
        throw Error(flag + ": " + e.what());
    }
}

} // namespace

std::string normalisedOptionKey(std::string name) {
    std::replace(name.begin(), name.end(), '-', '_');
    for (const auto& [alias, key] : kAliases)
        if (name == alias)
            return key;
    return name;
}

std::optional<OptionKind> configOptionKind(const std::string& key) {
    if (findHyperparameter(key))
        return OptionKind::Param;
    if (const ConfigOption* option = findConfigOption(key))
        return option->kind;
    return std::nullopt;
}

std::string flagName(const std::string& key) {
    if (referenceKeys().count(key))
        return "-" + key;
    if (const ConfigOption* option = findConfigOption(key); option && option->reference)
        return "-" + key;
    std::string dashed = key;
    std::replace(dashed.begin(), dashed.end(), '_', '-');
    return "--" + dashed;
}

bool parseBoolValue(const std::string& flag, const std::string& value) {
    const std::string v = lower(value);
    if (v == "true" || v == "1")
        return true;
    if (v == "false" || v == "0")
        return false;
    throw Error(flag + ": '" + value + "' is not a boolean (allowed: true, false, 1, 0)");
}

int parseIntValue(const std::string& flag, const std::string& value, long long lo, long long hi) {
    const std::string range = "[" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
    const auto v = parseInteger(value);
    if (!v)
        throw Error(flag + ": '" + value + "' is not an integer (allowed range " + range + ")");
    if (*v < lo || *v > hi)
        throw Error(flag + ": " + value + " is out of range " + range);
    return static_cast<int>(*v);
}

std::string rangeText(const ParamSpec& spec) {
    return "[" + boundText(spec, spec.min) + ", " + boundText(spec, spec.max) + "]";
}

std::string paramValueText(const ParamSpec& spec, double v) {
    if (spec.type == ParamType::Bool)
        return v != 0.0 ? "true" : "false";
    if (spec.type == ParamType::Int)
        return std::to_string(static_cast<long long>(v));
    return formatNumber(v);
}

RunConfig parseConfigOptions(const std::vector<OptionItem>& all) {
    std::vector<const OptionItem*> items;
    for (const OptionItem& item : all)
        if (configOptionKind(item.key))
            items.push_back(&item);
    std::string errors; // every bad value, not just the first
    auto collect = [&errors](const Error& e) {
        errors += (errors.empty() ? "" : "\n") + std::string(e.what());
    };

    // 1. The dataset and the rule first, wherever they stand: their defaults (defaultConfig()) come
    //    before every other option. -use_backprop wins over -use_node_pertubation, as in the reference.
    DatasetKind dataset = DatasetKind::FashionMnist;
    std::optional<std::string> explicitRule;
    std::optional<bool> useBackprop, useNodePerturbation;
    std::string ruleFlag, backpropFlag, npFlag;
    for (const OptionItem* item : items) {
        try {
            if (item->key == "dataset") {
                dataset = parseChoice(item->flag, item->value, parseDatasetKind);
            } else if (item->key == "rule") {
                ruleFlag = item->flag;
                const RuleInfo* rule = findRule(item->value);
                if (!rule)
                    throw Error(item->flag + ": unknown learning rule '" + item->value +
                                "' (allowed: " + ruleNames() + ")");
                explicitRule = rule->name;
            } else if (item->key == "use_backprop") {
                useBackprop = parseBoolValue(item->flag, item->value);
                backpropFlag = item->flag;
            } else if (item->key == "use_node_pertubation") {
                useNodePerturbation = parseBoolValue(item->flag, item->value);
                npFlag = item->flag;
            }
        } catch (const Error& e) {
            collect(e);
        }
    }
    std::optional<std::string> impliedRule;
    std::string impliedFlag;
    if (useBackprop.value_or(false)) {
        impliedRule = "backprop";
        impliedFlag = backpropFlag;
    } else if (useNodePerturbation.value_or(false)) {
        impliedRule = "node-perturbation";
        impliedFlag = npFlag;
    }
    if (explicitRule && impliedRule && *explicitRule != *impliedRule)
        collect(Error(ruleFlag + ": " + *explicitRule + " conflicts with " + impliedFlag + " true"));
    RunConfig config =
        defaultConfig(dataset, explicitRule ? *explicitRule : impliedRule.value_or("burstprop"));

    // 2. Every other option, in order (a later one overrides an earlier one).
    std::optional<PerturbationMode> explicitPerturbation;
    std::optional<OptimizerKind> explicitOptimizer;
    std::optional<bool> sequential, perturbUnits, convNet, useAdam;
    std::string perturbationFlag, sequentialFlag, convFlag, widthsFlag, optimizerFlag, adamFlag;
    std::vector<std::pair<std::string, std::string>> spelled; // table key or field -> flag as typed
    for (const OptionItem* item : items) {
        try {
            const std::string& k = item->key;
            const std::string& flag = item->flag;
            const std::string& v = item->value;
            if (item->kind == OptionKind::Param) {
                setParam(config, *item->spec, flag, v);
                spelled.emplace_back(k, flag);
            } else if (k == "dataset" || k == "rule" || k == "use_backprop" || k == "use_node_pertubation") {
                // applied above
            } else if (k == "data_dir") {
                config.dataDir = v;
            } else if (k == "no_download") {
                config.download = false;
            } else if (k == "mirror") {
                config.mirror = v;
            } else if (k == "conv_net") {
                convNet = parseBoolValue(flag, v);
                convFlag = flag;
            } else if (k == "n_hidden_layers") {
                config.hiddenWidths.assign(static_cast<size_t>(parseIntValue(flag, v, 0, kMaxHiddenLayers)),
                                           kReferenceWidth);
                widthsFlag = flag;
            } else if (k == "hidden_widths") {
                config.hiddenWidths = parseWidths(flag, v);
                widthsFlag = flag;
            } else if (k == "conv_channels") {
                config.convChannels = parseWidths(flag, v);
                spelled.emplace_back("conv_channels", flag);
            } else if (k == "activation") {
                config.activation = parseChoice(flag, v, parseActivation);
                spelled.emplace_back("activation", flag);
            } else if (k == "output") {
                config.output = parseChoice(flag, v, parseOutputKind);
            } else if (k == "perturbation") {
                explicitPerturbation = parseChoice(flag, v, parsePerturbationMode);
                perturbationFlag = flag;
            } else if (k == "sequential_pertubation") {
                sequential = parseBoolValue(flag, v);
                sequentialFlag = flag;
            } else if (k == "perturb_units") {
                perturbUnits = parseBoolValue(flag, v);
            } else if (k == "optimizer") {
                explicitOptimizer = parseChoice(flag, v, parseOptimizerKind);
                optimizerFlag = flag;
            } else if (k == "use_adam") {
                useAdam = parseBoolValue(flag, v);
                adamFlag = flag;
            } else if (k == "device") {
                config.device = v;
                spelled.emplace_back("device", flag);
            } else if (k == "dtype") {
                config.dtype = parseChoice(flag, v, parseDtype);
                spelled.emplace_back("dtype", flag);
            } else if (k == "seed") {
                const auto seed = parseUnsigned(v);
                if (!seed)
                    throw Error(flag + ": '" + v + "' is not an integer in [0, 18446744073709551615]");
                config.seed = *seed;
            } else if (k == "info") {
                config.info = v;
            }
        } catch (const Error& e) {
            collect(e);
        }
    }
    if (!errors.empty())
        throw Error(errors);

    // 3. Node perturbation mode, optimizer and network. -perturb_units only matters with
    // -sequential_pertubation true, as in the reference.
    if (sequential) {
        const PerturbationMode implied = *sequential
                                             ? (perturbUnits.value_or(false) ? PerturbationMode::UnitByUnit
                                                                             : PerturbationMode::LayerByLayer)
                                             : PerturbationMode::AllLayers;
        if (explicitPerturbation && *explicitPerturbation != implied)
            throw Error(perturbationFlag + ": " + toString(*explicitPerturbation) + " conflicts with " +
                        sequentialFlag + " " + (*sequential ? "true" : "false"));
        config.perturbation = implied;
    }
    if (explicitPerturbation)
        config.perturbation = *explicitPerturbation;
    if (useAdam.value_or(false)) {
        if (explicitOptimizer && *explicitOptimizer != OptimizerKind::Adam)
            throw Error(optimizerFlag + ": " + toString(*explicitOptimizer) + " conflicts with " + adamFlag +
                        " true");
        config.optimizer = OptimizerKind::Adam;
    } else if (explicitOptimizer) {
        config.optimizer = *explicitOptimizer;
    }

    // CIFAR-10 has one network (its conv net); MNIST-format data the fully connected or the conv net.
    if (dataset == DatasetKind::Cifar10)
        config.architecture = Architecture::Cifar10Conv;
    else if (isImageFolder(dataset))
        config.architecture = Architecture::ImagenetConv;
    else if (convNet)
        config.architecture = *convNet ? Architecture::MnistConv : Architecture::FullyConnected;
    if (config.architecture == Architecture::ImagenetConv && config.convChannels.empty())
        config.convChannels = imagenetChannels(config); // recorded as chosen, whatever changes later

    // 4. Whatever validate() still finds, named by the flag that set it.
    const auto issues = validate(config);
    if (!issues.empty()) {
        std::string message;
        for (const ConfigIssue& issue : issues) {
            std::string flag;
            for (const auto& [field, typed] : spelled)
                if (field == issue.field)
                    flag = typed;
            if (flag.empty()) {
                if (issue.field == "hidden_widths")
                    flag = widthsFlag.empty() ? "--hidden-widths" : widthsFlag;
                else if (issue.field == "architecture")
                    flag = convFlag.empty() ? "--dataset" : convFlag;
                else if (issue.field == "rule")
                    flag = ruleFlag.empty() ? "--rule" : ruleFlag;
                else
                    flag = flagName(issue.field);
            }
            std::string text = issue.message;
            const std::string prefix = issue.field + " = ";
            if (text.compare(0, prefix.size(), prefix) == 0)
                text = text.substr(prefix.size());
            message += (message.empty() ? "" : "\n") + flag + ": " + text;
        }
        throw Error(message);
    }
    return config;
}

} // namespace bp

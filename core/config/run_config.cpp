#include "core/config/run_config.h"
#include "core/util/error.h"
#include <algorithm>
#include <cctype>

namespace bp {

RunConfig defaultConfig(DatasetKind dataset, Rule rule) {
    RunConfig c; // train_mnist.py defaults (also used for Fashion-MNIST)
    c.dataset = dataset;
    c.rule = rule;
    if (dataset == DatasetKind::Cifar10) { // train_cifar10.py defaults
        c.architecture = Architecture::Cifar10Conv;
        c.hiddenLr = 0.01;
        c.outputLr = 0.01;
        c.weightFaStd = 1.0;
        c.momentum = 0.9;
        c.weightDecay = 1e-5;
        c.weightFaLearning = true;
    }
    if (rule == Rule::FeedbackAlignment) {
        c.hiddenLr = 0.001;
        c.outputLr = 0.002;
    }
    return c;
}

bool usesLearnedFeedbackWidths(const RunConfig& config) {
    return config.architecture == Architecture::Cifar10Conv && config.weightFaLearning &&
           (config.rule == Rule::Burstprop || config.rule == Rule::FeedbackAlignment);
}

RunConfig normalized(RunConfig c) {
    if (c.rule == Rule::Backprop || c.rule == Rule::NodePerturbation) {
        c.weightFaLearning = false;
        c.recurrentInput = false;
    }
    if (c.rule == Rule::FeedbackAlignment)
        c.recurrentInput = false;
    if (!c.recurrentInput)
        c.weightRLearning = false;
    return c;
}

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char ch) { return std::tolower(ch); });
    std::replace(s.begin(), s.end(), '_', '-');
    return s;
}

template <typename E, size_t N>
E parseEnum(const std::string& text, const char* what, const std::pair<const char*, E> (&names)[N]) {
    const std::string key = lower(text);
    std::string allowed;
    for (const auto& [name, value] : names) {
        if (key == name)
            return value;
        allowed += (allowed.empty() ? "" : ", ") + std::string(name);
    }
    throw Error("unknown " + std::string(what) + " '" + text + "' (allowed: " + allowed + ")");
}

} // namespace

std::string toString(DatasetKind k) {
    switch (k) {
    case DatasetKind::FashionMnist: return "fashion-mnist";
    case DatasetKind::Mnist: return "mnist";
    case DatasetKind::Cifar10: return "cifar10";
    }
    return "?";
}
std::string toString(Rule r) {
    switch (r) {
    case Rule::Burstprop: return "burstprop";
    case Rule::Backprop: return "backprop";
    case Rule::FeedbackAlignment: return "feedback-alignment";
    case Rule::NodePerturbation: return "node-perturbation";
    }
    return "?";
}
std::string toString(Architecture a) {
    switch (a) {
    case Architecture::FullyConnected: return "fc";
    case Architecture::MnistConv: return "mnist-conv";
    case Architecture::Cifar10Conv: return "cifar10-conv";
    }
    return "?";
}
std::string toString(PerturbationMode m) {
    switch (m) {
    case PerturbationMode::AllLayers: return "all";
    case PerturbationMode::LayerByLayer: return "layer";
    case PerturbationMode::UnitByUnit: return "unit";
    }
    return "?";
}

DatasetKind parseDatasetKind(const std::string& s) {
    static const std::pair<const char*, DatasetKind> names[] = {
        {"fashion-mnist", DatasetKind::FashionMnist}, {"mnist", DatasetKind::Mnist},
        {"cifar10", DatasetKind::Cifar10}, {"fashionmnist", DatasetKind::FashionMnist},
        {"cifar-10", DatasetKind::Cifar10}};
    return parseEnum(s, "dataset", names);
}
Rule parseRule(const std::string& s) {
    static const std::pair<const char*, Rule> names[] = {
        {"burstprop", Rule::Burstprop}, {"backprop", Rule::Backprop},
        {"feedback-alignment", Rule::FeedbackAlignment}, {"node-perturbation", Rule::NodePerturbation},
        {"fa", Rule::FeedbackAlignment}, {"np", Rule::NodePerturbation}, {"bp", Rule::Backprop}};
    return parseEnum(s, "learning rule", names);
}
Architecture parseArchitecture(const std::string& s) {
    static const std::pair<const char*, Architecture> names[] = {
        {"fc", Architecture::FullyConnected}, {"mnist-conv", Architecture::MnistConv},
        {"cifar10-conv", Architecture::Cifar10Conv}};
    return parseEnum(s, "architecture", names);
}
PerturbationMode parsePerturbationMode(const std::string& s) {
    static const std::pair<const char*, PerturbationMode> names[] = {
        {"all", PerturbationMode::AllLayers}, {"layer", PerturbationMode::LayerByLayer},
        {"unit", PerturbationMode::UnitByUnit}};
    return parseEnum(s, "perturbation mode", names);
}

} // namespace bp

#include "core/config/hyperparameters.h"
#include "core/util/error.h"
#include "core/util/json_writer.h"
#include <cmath>
#include <sstream>

namespace bp {

unsigned ruleBit(Rule rule) {
    switch (rule) {
    case Rule::Burstprop: return kBurstprop;
    case Rule::Backprop: return kBackprop;
    case Rule::FeedbackAlignment: return kFeedbackAlignment;
    case Rule::NodePerturbation: return kNodePerturbation;
    }
    return 0;
}

double ParamSpec::get(const RunConfig& c) const {
    if (d)
        return c.*d;
    if (i)
        return c.*i;
    return (c.*b) ? 1.0 : 0.0;
}

void ParamSpec::set(RunConfig& c, double value) const {
    if (d)
        c.*d = value;
    else if (i)
        c.*i = static_cast<int>(std::llround(value));
    else
        c.*b = value != 0.0;
}

namespace {

ParamSpec real(const char* key, double RunConfig::*m, double lo, double hi, const char* unit, unsigned rules,
               const char* help) {
    ParamSpec s{key, ParamType::Double, lo, hi, unit, help, rules};
    s.d = m;
    return s;
}
ParamSpec integer(const char* key, int RunConfig::*m, double lo, double hi, const char* unit, unsigned rules,
                  const char* help) {
    ParamSpec s{key, ParamType::Int, lo, hi, unit, help, rules};
    s.i = m;
    return s;
}
ParamSpec flag(const char* key, bool RunConfig::*m, unsigned rules, const char* help) {
    ParamSpec s{key, ParamType::Bool, 0, 1, "", help, rules};
    s.b = m;
    return s;
}

constexpr unsigned kFeedbackRules = kBurstprop | kFeedbackAlignment;
constexpr unsigned kLocalRules = kBurstprop | kFeedbackAlignment | kNodePerturbation;

} // namespace

const std::vector<ParamSpec>& hyperparameters() {
    static const std::vector<ParamSpec> table = {
        integer("n_epochs", &RunConfig::epochs, 1, 100000, "epochs", kAllRules,
                "Passes over the training set."),
        integer("batch_size", &RunConfig::batchSize, 1, 65536, "examples", kAllRules,
                "Examples per weight update. Gradients are summed over the batch, so the effective "
                "step grows with it."),
        real("hidden_lr", &RunConfig::hiddenLr, 0, 100, "", kLocalRules,
             "Learning rate of every layer below the output layer (W, b and, when learned, Y)."),
        real("output_lr", &RunConfig::outputLr, 0, 100, "", kAllRules,
             "Learning rate of the output layer; backprop uses it for every layer, as the reference's "
             "SGD(lr=output_lr)."),
        real("weight_fa_std", &RunConfig::weightFaStd, 0, 100, "", kFeedbackRules,
             "Standard deviation of the initial feedback weights Y ~ N(0, std) that carry burst "
             "signals down."),
        real("momentum", &RunConfig::momentum, 0, 0.999, "", kAllRules,
             "Fraction of the previous weight change added to the current one."),
        real("weight_decay", &RunConfig::weightDecay, 0, 0.1, "per step", kAllRules,
             "Fraction of each weight removed at every update (W ← W + ΔW − decay·W)."),
        real("p_baseline", &RunConfig::pBaseline, 1e-6, 1, "probability", kBurstprop,
             "Baseline burst probability of the output units; the teaching signal moves it up or down."),
        flag("weight_fa_learning", &RunConfig::weightFaLearning, kFeedbackRules,
             "Learn the feedback weights Y with the same update as W, so they align with W."),
        flag("recurrent_input", &RunConfig::recurrentInput, kBurstprop,
             "Recurrent inhibition Z on hidden layers keeps burst probabilities in their linear range."),
        real("weight_r_range", &RunConfig::weightRRange, 0, 10, "", kBurstprop,
             "Recurrent weights start uniform in [−range, range]."),
        flag("weight_r_learning", &RunConfig::weightRLearning, kBurstprop,
             "Learn the recurrent weights Z (Z ← Z − recurrent_lr·grad, no momentum)."),
        real("recurrent_lr", &RunConfig::recurrentLr, 0, 10, "", kBurstprop,
             "Learning rate of the recurrent weights Z."),
        real("xi_mean", &RunConfig::xiMean, -1, 1, "", kNodePerturbation,
             "Mean of the Gaussian noise added to the pre-activations."),
        real("xi_std", &RunConfig::xiStd, 1e-9, 1, "", kNodePerturbation,
             "Standard deviation of the perturbation noise; the update divides by its square."),
        flag("validation", &RunConfig::validation, kAllRules,
             "Hold out 10,000 training images as the test set instead of the real test set."),
        integer("threads", &RunConfig::threads, 0, 1024, "threads", kAllRules,
                "CPU threads for LibTorch and BLAS (0: all cores)."),
        integer("angle_interval", &RunConfig::angleInterval, 0, 1000000000, "batches", kFeedbackRules,
                "Measure weight and delta angles every N batches (0: once per epoch). Only those steps "
                "pay for the backprop reference signal."),
        integer("test_batch_size", &RunConfig::testBatchSize, 1, 100000, "examples", kAllRules,
                "Examples per forward pass when evaluating."),
        integer("train_limit", &RunConfig::trainLimit, 0, 100000000, "examples", kAllRules,
                "Train on the first N training images only (0: all)."),
    };
    return table;
}

const ParamSpec* findHyperparameter(const std::string& key) {
    for (const ParamSpec& spec : hyperparameters())
        if (key == spec.key)
            return &spec;
    return nullptr;
}

namespace {
std::string formatNumber(double v) {
    std::ostringstream out;
    out << v;
    return out.str();
}
} // namespace

std::vector<ConfigIssue> validate(const RunConfig& config) {
    std::vector<ConfigIssue> issues;
    for (const ParamSpec& spec : hyperparameters()) {
        if (spec.type == ParamType::Bool)
            continue;
        const double v = spec.get(config);
        if (!std::isfinite(v) || v < spec.min || v > spec.max)
            issues.push_back({spec.key, std::string(spec.key) + " = " + formatNumber(v) + " is out of range [" +
                                            formatNumber(spec.min) + ", " + formatNumber(spec.max) + "]"});
    }
    if (config.architecture == Architecture::FullyConnected) {
        if (config.hiddenWidths.size() > 20)
            issues.push_back({"hidden_widths", "at most 20 hidden layers are supported"});
        for (int w : config.hiddenWidths)
            if (w < 1 || w > 100000) {
                issues.push_back({"hidden_widths", "hidden layer width " + std::to_string(w) +
                                                       " is out of range [1, 100000]"});
                break;
            }
    }
    const bool cifar = config.dataset == DatasetKind::Cifar10;
    if (cifar && config.architecture == Architecture::MnistConv)
        issues.push_back({"architecture", "the MNIST conv net takes 28×28 grey images, not CIFAR-10"});
    if (!cifar && config.architecture == Architecture::Cifar10Conv)
        issues.push_back({"architecture", "the CIFAR-10 conv net takes 32×32 colour images, not " +
                                              toString(config.dataset)});
    const std::string& dev = config.device;
    if (!(dev == "cpu" || dev == "cuda" || dev.rfind("cuda:", 0) == 0))
        issues.push_back({"device", "device '" + dev + "' is not one of cpu, cuda, cuda:N"});
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

std::string toJson(const RunConfig& c) {
    JsonWriter json;
    json.field("dataset", toString(c.dataset))
        .field("data_dir", c.dataDir)
        .field("download", c.download)
        .field("mirror", c.mirror)
        .field("architecture", toString(c.architecture))
        .field("hidden_widths", c.hiddenWidths)
        .field("rule", toString(c.rule))
        .field("perturbation", toString(c.perturbation))
        .field("seed", static_cast<long long>(c.seed))
        .field("device", c.device)
        .field("info", c.info);
    for (const ParamSpec& spec : hyperparameters()) {
        if (spec.type == ParamType::Bool)
            json.field(spec.key, spec.get(c) != 0.0);
        else if (spec.type == ParamType::Int)
            json.field(spec.key, static_cast<long long>(spec.get(c)));
        else
            json.field(spec.key, spec.get(c));
    }
    return json.str();
}

} // namespace bp

#include "core/config/hyperparameters.h"
#include "core/util/number_text.h"
#include <cmath>

namespace bp {

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

constexpr bool kEveryRule = true;
constexpr bool kSomeRules = false;

ParamSpec real(const char* key, double RunConfig::*m, double lo, double hi, const char* unit, bool every,
               const char* help) {
    ParamSpec s{key, ParamType::Double, lo, hi, unit, help, every};
    s.d = m;
    return s;
}
ParamSpec integer(const char* key, int RunConfig::*m, double lo, double hi, const char* unit, bool every,
                  const char* help) {
    ParamSpec s{key, ParamType::Int, lo, hi, unit, help, every};
    s.i = m;
    return s;
}
ParamSpec flag(const char* key, bool RunConfig::*m, bool every, const char* help) {
    ParamSpec s{key, ParamType::Bool, 0, 1, "", help, every};
    s.b = m;
    return s;
}

} // namespace

const std::vector<ParamSpec>& hyperparameters() {
    static const std::vector<ParamSpec> table = {
        integer("n_epochs", &RunConfig::epochs, 1, 100000, "epochs", kEveryRule,
                "Passes over the training set."),
        integer("batch_size", &RunConfig::batchSize, 1, 65536, "examples", kEveryRule,
                "Examples per weight update. Gradients are summed over the batch, so the effective "
                "step grows with it."),
        real("hidden_lr", &RunConfig::hiddenLr, 0, 100, "", kSomeRules,
             "Learning rate of every layer below the output layer (W, b and, when learned, Y)."),
        real("output_lr", &RunConfig::outputLr, 0, 100, "", kEveryRule,
             "Learning rate of the output layer; backprop uses it for every layer, as the reference's "
             "SGD(lr=output_lr)."),
        real("weight_fa_std", &RunConfig::weightFaStd, 0, 100, "", kSomeRules,
             "Standard deviation of the initial feedback weights Y ~ N(0, std) that carry burst "
             "signals down."),
        real("momentum", &RunConfig::momentum, 0, 0.999, "", kEveryRule,
             "Fraction of the previous weight change added to the current one."),
        real("weight_decay", &RunConfig::weightDecay, 0, 0.1, "per step", kEveryRule,
             "Fraction of each weight removed at every update (W ← W + ΔW − decay·W)."),
        real("p_baseline", &RunConfig::pBaseline, 1e-6, 1, "probability", kSomeRules,
             "Baseline burst probability of the output units; the teaching signal moves it up or down."),
        flag("weight_fa_learning", &RunConfig::weightFaLearning, kSomeRules,
             "Learn the feedback weights Y with the same update as W, so they align with W."),
        flag("recurrent_input", &RunConfig::recurrentInput, kSomeRules,
             "Recurrent inhibition Z on hidden layers keeps burst probabilities in their linear range."),
        real("weight_r_range", &RunConfig::weightRRange, 0, 10, "", kSomeRules,
             "Recurrent weights start uniform in [−range, range]."),
        flag("weight_r_learning", &RunConfig::weightRLearning, kSomeRules,
             "Learn the recurrent weights Z (Z ← Z − recurrent_lr·grad, no momentum)."),
        real("recurrent_lr", &RunConfig::recurrentLr, 0, 10, "", kSomeRules,
             "Learning rate of the recurrent weights Z."),
        real("xi_mean", &RunConfig::xiMean, -1, 1, "", kSomeRules,
             "Mean of the Gaussian noise added to the pre-activations."),
        real("xi_std", &RunConfig::xiStd, 1e-9, 1, "", kSomeRules,
             "Standard deviation of the perturbation noise; the update divides by its square."),
        real("kappa", &RunConfig::kappa, 1e-12, 1, "", kSomeRules,
             "Softmax output (--output softmax): scale κ of the teaching signal in the output's burst "
             "probabilities, undone by 1/κ in the layer below (the reference's ImageNet -kappa)."),
        integer("lr_step", &RunConfig::lrStep, 0, 100000, "epochs", kEveryRule,
                "Multiply every learning rate by lr_factor every lr_step epochs (0: constant)."),
        real("lr_factor", &RunConfig::lrFactor, 1e-6, 1, "", kEveryRule,
             "The factor of each learning-rate step (with lr_step > 0)."),
        flag("validation", &RunConfig::validation, kEveryRule,
             "Hold out 10,000 training images as the test set instead of the real test set."),
        integer("threads", &RunConfig::threads, 0, 1024, "threads", kEveryRule,
                "CPU threads for LibTorch and BLAS (0: all cores)."),
        integer("angle_interval", &RunConfig::angleInterval, 0, 1000000000, "batches", kEveryRule,
                "Measure weight and delta angles (where the rule has them) and the signal histograms every "
                "N batches (0: once per epoch). Only those steps pay for the backprop reference signal."),
        integer("test_batch_size", &RunConfig::testBatchSize, 1, 100000, "examples", kEveryRule,
                "Examples per forward pass when evaluating."),
        integer("train_limit", &RunConfig::trainLimit, 0, 100000000, "examples", kEveryRule,
                "Train on the first N training images only (0: all)."),
        integer("image_size", &RunConfig::imageSize, 1, 4096, "pixels", kEveryRule,
                "Image folders: side of the square crops the network reads (the ImageNet net needs at "
                "least 193)."),
        integer("validation_size", &RunConfig::validationSize, 1, 100000000, "images", kEveryRule,
                "Image folders: training images held out as the test set by -validation (at most a tenth "
                "of the training set)."),
        integer("loader_threads", &RunConfig::loaderThreads, 0, 1024, "threads", kEveryRule,
                "Image folders: threads that decode and augment images ahead of training (0: the cores "
                "training leaves free, at least one)."),
        flag("test_augment", &RunConfig::testAugment, kEveryRule,
             "Image folders: give the test set the training transform (random crop and flip), as the "
             "reference's train_imagenet.py did, instead of Resize + CenterCrop."),
    };
    return table;
}

const ParamSpec* findHyperparameter(const std::string& key) {
    for (const ParamSpec& spec : hyperparameters())
        if (key == spec.key)
            return &spec;
    return nullptr;
}

std::vector<ConfigIssue> checkValues(const RunConfig& config) {
    std::vector<ConfigIssue> issues;
    for (const ParamSpec& spec : hyperparameters()) {
        if (spec.type == ParamType::Bool)
            continue;
        const double v = spec.get(config);
        if (!std::isfinite(v) || v < spec.min || v > spec.max)
            issues.push_back({spec.key, std::string(spec.key) + " = " + formatNumber(v, 6) +
                                            " is out of range [" + formatNumber(spec.min, 6) + ", " +
                                            formatNumber(spec.max, 6) + "]"});
    }
    if (config.architecture == Architecture::FullyConnected) {
        if (config.hiddenWidths.size() > static_cast<size_t>(kMaxHiddenLayers))
            issues.push_back({"hidden_widths", "at most " + std::to_string(kMaxHiddenLayers) +
                                                   " hidden layers are supported"});
        for (int w : config.hiddenWidths)
            if (w < 1 || w > kMaxLayerWidth) {
                issues.push_back({"hidden_widths", "hidden layer width " + std::to_string(w) +
                                                       " is out of range [1, " +
                                                       std::to_string(kMaxLayerWidth) + "]"});
                break;
            }
    }
    if (config.architecture == Architecture::ImagenetConv) {
        if (!config.convChannels.empty() && config.convChannels.size() != 7)
            issues.push_back(
                {"conv_channels", "the ImageNet net has 7 convolutions: give 7 channel counts, not " +
                                      std::to_string(config.convChannels.size())});
        for (int w : config.convChannels)
            if (w < 1 || w > kMaxLayerWidth) {
                issues.push_back({"conv_channels", "channel count " + std::to_string(w) +
                                                       " is out of range [1, " +
                                                       std::to_string(kMaxLayerWidth) + "]"});
                break;
            }
        if (config.imageSize < kImagenetMinInputSize)
            issues.push_back({"image_size", "the ImageNet net needs images of at least " +
                                                std::to_string(kImagenetMinInputSize) +
                                                " pixels a side (seven convolutions without padding), not " +
                                                std::to_string(config.imageSize)});
    }
    const bool images = isImageFolder(config.dataset);
    if (images != (config.architecture == Architecture::ImagenetConv))
        issues.push_back({"architecture", images
                                              ? "image folders are read by the ImageNet net"
                                              : "the ImageNet net reads image folders (--dataset imagenet or "
                                                "image-folder), not " +
                                                    toString(config.dataset)});
    const bool cifar = config.dataset == DatasetKind::Cifar10;
    if (cifar && config.architecture == Architecture::MnistConv)
        issues.push_back({"architecture", "the MNIST conv net takes 28×28 grey images, not CIFAR-10"});
    if (!cifar && config.architecture == Architecture::Cifar10Conv)
        issues.push_back({"architecture", "the CIFAR-10 conv net takes 32×32 colour images, not " +
                                              toString(config.dataset)});
    const std::string& dev = config.device;
    if (!(dev == "cpu" || dev == "cuda" || dev.rfind("cuda:", 0) == 0))
        issues.push_back({"device", "device '" + dev + "' is not one of cpu, cuda, cuda:N"});
    if (config.dtype == Dtype::Float64 && dev != "cpu")
        issues.push_back({"dtype", "float64 runs on the CPU only (--device cpu)"});
    return issues;
}

} // namespace bp

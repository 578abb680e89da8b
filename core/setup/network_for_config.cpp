#include "core/setup/network_for_config.h"
#include "core/rules/rule_registry.h"
#include "core/setup/defaults.h"

namespace bp {

NetworkSpec networkSpec(const RunConfig& original, const data::DataShape& shape) {
    const RunConfig config = normalized(original);
    const RuleInfo& rule = requireRule(config.rule);
    NetworkSpec spec;
    spec.inputChannels = shape.channels;
    spec.inputSize = shape.size;
    spec.output = config.output;
    spec.kappa = config.output == OutputKind::Softmax ? config.kappa : 1.0;
    spec.init.gain = rule.initGain ? rule.initGain(config) : 1.0;
    spec.init.feedbackStd = config.weightFaStd;
    spec.init.recurrentRange = config.weightRRange;

    auto conv = [](int64_t out, int64_t kernel, int64_t stride) {
        LayerSpec l;
        l.kind = LayerKind::Conv;
        l.outFeatures = out;
        l.kernel = kernel;
        l.stride = stride;
        return l;
    };
    auto hidden = [](int64_t out) {
        LayerSpec l;
        l.kind = LayerKind::Hidden;
        l.outFeatures = out;
        return l;
    };
    switch (config.architecture) {
    case Architecture::FullyConnected:
        for (int width : config.hiddenWidths)
            spec.layers.push_back(hidden(width));
        break;
    case Architecture::MnistConv:
        spec.layers = {conv(8, 4, 2), conv(16, 3, 2), hidden(500), hidden(500)};
        break;
    case Architecture::Cifar10Conv: {
        const bool narrow = usesLearnedFeedbackWidths(config);
        spec.layers = {conv(64, 5, 2), conv(narrow ? 128 : 256, 5, 2), conv(256, 3, 1),
                       hidden(narrow ? 1024 : 1480)};
        break;
    }
    case Architecture::ImagenetConv: {
        const std::vector<int> channels = imagenetChannels(config);
        const int64_t kernels[7][2] = {{9, 4}, {3, 2}, {5, 1}, {3, 2}, {3, 1}, {3, 2}, {3, 1}};
        for (size_t i = 0; i < 7; ++i)
            spec.layers.push_back(conv(channels[i], kernels[i][0], kernels[i][1]));
        spec.init.scheme = InitScheme::KaimingFanOut;
        break;
    }
    }
    LayerSpec output;
    output.kind = LayerKind::Output;
    output.outFeatures = shape.classes;
    spec.layers.push_back(output);

    const bool recurrent = rule.recurrent && config.recurrentInput;
    for (LayerSpec& l : spec.layers) {
        if (l.kind != LayerKind::Output)
            l.activation = config.activation;
        else
            l.activation = config.output == OutputKind::Sigmoid ? Activation::Sigmoid : Activation::Identity;
        l.feedback = rule.layerFeedback;
        l.recurrent = recurrent && l.kind == LayerKind::Hidden;
    }
    return spec;
}

at::ScalarType scalarType(const RunConfig& config) {
    return config.dtype == Dtype::Float64 ? at::kDouble : at::kFloat;
}

Network buildNetwork(const RunConfig& config, int64_t channels, int64_t size, at::Generator& generator) {
    return buildNetwork(networkSpec(config, {channels, size, 10}), scalarType(config), generator);
}

std::vector<int> imagenetChannels(const RunConfig& config) {
    if (!config.convChannels.empty())
        return config.convChannels;
    const RuleInfo* rule = findRule(config.rule);
    const bool learned =
        rule && (rule->outputLrEverywhere || // backprop
                 (config.weightFaLearning && rule->layerFeedback && rule->uses("weight_fa_learning")));
    if (learned)
        return {48, 48, 96, 96, 192, 192, 384};
    return {48, 96, 96, 192, 192, 384, 470};
}

data::DataShape usualShape(const RunConfig& config) {
    if (isImageFolder(config.dataset))
        return {3, config.imageSize, config.dataset == DatasetKind::ImageNet ? 1000 : 10};
    const bool cifar = config.dataset == DatasetKind::Cifar10;
    return {cifar ? 3 : 1, cifar ? 32 : 28, 10};
}

std::vector<std::string> layerTitles(const RunConfig& config) {
    try {
        return layerTitles(networkSpec(config, usualShape(config)));
    } catch (const std::exception&) {
        return {};
    }
}

} // namespace bp

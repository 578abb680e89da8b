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

std::vector<std::string> layerTitles(const RunConfig& config) {
    try {
        const bool cifar = config.dataset == DatasetKind::Cifar10;
        return layerTitles(networkSpec(config, {cifar ? 3 : 1, cifar ? 32 : 28, 10}));
    } catch (const std::exception&) {
        return {};
    }
}

} // namespace bp

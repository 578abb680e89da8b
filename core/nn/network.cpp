#include "core/nn/network.h"
#include "core/nn/sigmoid.h"
#include "core/util/error.h"
#include <cmath>
#include <sstream>

namespace bp {

std::vector<LayerSpec> architectureSpecs(const RunConfig& config) {
    std::vector<LayerSpec> specs;
    switch (config.architecture) {
    case Architecture::FullyConnected:
        for (int width : config.hiddenWidths)
            specs.push_back({LayerKind::Hidden, width});
        break;
    case Architecture::MnistConv:
        specs = {{LayerKind::Conv, 8, 4, 2}, {LayerKind::Conv, 16, 3, 2}, {LayerKind::Hidden, 500},
                 {LayerKind::Hidden, 500}};
        break;
    case Architecture::Cifar10Conv: {
        const bool narrow = usesLearnedFeedbackWidths(config);
        specs = {{LayerKind::Conv, 64, 5, 2}, {LayerKind::Conv, narrow ? 128 : 256, 5, 2},
                 {LayerKind::Conv, 256, 3, 1}, {LayerKind::Hidden, narrow ? 1024 : 1480}};
        break;
    }
    }
    specs.push_back({LayerKind::Output, 10});
    return specs;
}

double initGain(const RunConfig& config) {
    if (config.rule == Rule::Backprop || config.rule == Rule::NodePerturbation)
        return 3.6;
    return config.architecture == Architecture::Cifar10Conv ? 3.6 : 1.0;
}

Network buildNetwork(const RunConfig& config, int64_t channels, int64_t size, at::Generator& generator) {
    const bool feedback = config.rule == Rule::Burstprop || config.rule == Rule::FeedbackAlignment;
    const bool recurrent = config.rule == Rule::Burstprop && config.recurrentInput;
    const double gain = initGain(config);

    Network net;
    net.inputChannels = channels;
    net.inputSize = size;
    int64_t c = channels, h = size;
    bool flat = false;
    for (const LayerSpec& spec : architectureSpecs(config)) {
        Layer layer;
        layer.kind = spec.kind;
        int64_t fanIn = 0, fanOut = 0;
        if (spec.kind == LayerKind::Conv) {
            if (flat)
                throw Error("a convolutional layer cannot follow a fully connected one");
            const int64_t out = (h + 2 * spec.padding - spec.kernel) / spec.stride + 1;
            if (out < 1)
                throw Error("input of " + std::to_string(h) + " pixels is too small for the conv net");
            layer.stride = spec.stride;
            layer.padding = spec.padding;
            layer.weight = at::empty({spec.outFeatures, c, spec.kernel, spec.kernel});
            fanIn = c * spec.kernel * spec.kernel;
            fanOut = spec.outFeatures * spec.kernel * spec.kernel;
            c = spec.outFeatures;
            h = out;
        } else {
            const int64_t in = flat ? c : c * h * h;
            layer.weight = at::empty({spec.outFeatures, in});
            fanIn = in;
            fanOut = spec.outFeatures;
            c = spec.outFeatures;
            h = 1;
            flat = true;
        }
        const double std = gain * std::sqrt(2.0 / static_cast<double>(fanIn + fanOut));
        layer.weight.normal_(0.0, std, generator);
        layer.bias = at::zeros({spec.outFeatures});
        if (feedback) {
            layer.weightFa = at::empty_like(layer.weight);
            layer.weightFa.normal_(0.0, config.weightFaStd, generator);
        }
        if (recurrent && spec.kind == LayerKind::Hidden) {
            layer.weightR = at::empty({spec.outFeatures, spec.outFeatures});
            layer.weightR.uniform_(-config.weightRRange, config.weightRRange, generator);
        }
        net.layers.push_back(std::move(layer));
    }
    net.classes = net.layers.back().weight.size(0);
    return net;
}

at::Tensor Network::forward(const at::Tensor& input) const {
    at::Tensor h = input;
    for (const Layer& layer : layers) {
        h = layer.preActivation(layer.prepareInput(h));
        sigmoidInPlace(h);
    }
    return h;
}

void Network::to(const at::Device& device) {
    auto move = [&](at::Tensor& t) {
        if (t.defined())
            t = t.to(device);
    };
    for (Layer& layer : layers) {
        for (at::Tensor* t : {&layer.weight, &layer.bias, &layer.weightFa, &layer.weightR, &layer.deltaWeight,
                              &layer.deltaBias})
            move(*t);
    }
}

at::Device Network::device() const { return layers.empty() ? at::Device(at::kCPU) : layers[0].weight.device(); }

std::vector<std::pair<std::string, at::Tensor>> Network::namedTensors(bool includeMomentum) const {
    std::vector<std::pair<std::string, at::Tensor>> out;
    for (size_t i = 0; i < layers.size(); ++i) {
        const Layer& l = layers[i];
        const std::string prefix = "layer" + std::to_string(i) + ".";
        auto add = [&](const char* name, const at::Tensor& t) {
            if (t.defined())
                out.emplace_back(prefix + name, t);
        };
        add("weight", l.weight);
        add("bias", l.bias);
        add("weight_fa", l.weightFa);
        add("weight_r", l.weightR);
        if (includeMomentum) {
            add("delta_weight", l.deltaWeight);
            add("delta_bias", l.deltaBias);
        }
    }
    return out;
}

int64_t Network::parameterCount() const {
    int64_t n = 0;
    for (const auto& [name, t] : namedTensors(false))
        n += t.numel();
    return n;
}

std::string Network::describe() const {
    std::ostringstream out;
    out << inputChannels * inputSize * inputSize;
    for (const Layer& l : layers) {
        out << '-';
        if (l.isConv())
            out << "conv" << l.weight.size(0) << '@' << l.weight.size(2) << 'x' << l.weight.size(3) << 's'
                << l.stride;
        else
            out << l.weight.size(0);
    }
    return out.str();
}

} // namespace bp

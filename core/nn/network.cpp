#include "core/nn/network.h"
#include "core/util/error.h"
#include <cctype>
#include <cmath>

namespace bp {

std::pair<int64_t, std::string> splitLayerKey(const std::string& name) {
    if (name.rfind("layer", 0) != 0)
        return {-1, ""};
    size_t i = 5;
    int64_t index = 0;
    while (i < name.size() && std::isdigit(static_cast<unsigned char>(name[i])) && i < 10)
        index = index * 10 + (name[i++] - '0');
    if (i == 5 || i >= name.size() || name[i] != '.')
        return {-1, ""};
    return {index, name.substr(i + 1)};
}

Network buildNetwork(const NetworkSpec& spec, at::ScalarType dtype, at::Generator& generator) {
    Network net;
    net.inputChannels = spec.inputChannels;
    net.inputSize = spec.inputSize;
    net.output = spec.output;
    net.kappa = spec.kappa;
    int64_t c = spec.inputChannels, h = spec.inputSize;
    bool flat = false;
    for (const LayerSpec& ls : spec.layers) {
        Layer layer;
        layer.kind = ls.kind;
        layer.activation = ls.kind != LayerKind::Output         ? ls.activation
                           : spec.output == OutputKind::Sigmoid ? Activation::Sigmoid
                                                                : Activation::Identity;
        int64_t fanIn = 0, fanOut = 0;
        if (ls.kind == LayerKind::Conv) {
            if (flat)
                throw Error("a convolutional layer cannot follow a fully connected one");
            const int64_t out = (h + 2 * ls.padding - ls.kernel) / ls.stride + 1;
            if (out < 1)
                throw Error("input of " + std::to_string(h) + " pixels is too small for the conv net");
            layer.stride = ls.stride;
            layer.padding = ls.padding;
            layer.weight = at::empty({ls.outFeatures, c, ls.kernel, ls.kernel});
            fanIn = c * ls.kernel * ls.kernel;
            fanOut = ls.outFeatures * ls.kernel * ls.kernel;
            c = ls.outFeatures;
            h = out;
        } else {
            const int64_t in = flat ? c : c * h * h;
            layer.weight = at::empty({ls.outFeatures, in});
            fanIn = in;
            fanOut = ls.outFeatures;
            c = ls.outFeatures;
            h = 1;
            flat = true;
        }
        const bool kaiming = spec.init.scheme == InitScheme::KaimingFanOut;
        const double std = !kaiming ? spec.init.gain * std::sqrt(2.0 / double(fanIn + fanOut))
                           : ls.kind == LayerKind::Conv ? std::sqrt(2.0 / static_cast<double>(fanOut))
                                                        : 0.01;
        layer.weight.normal_(0.0, std, generator);
        layer.bias = at::zeros({ls.outFeatures});
        if (ls.feedback) {
            layer.weightFa = at::empty_like(layer.weight);
            const bool asWeights = kaiming && spec.init.feedbackStd == 0.0;
            layer.weightFa.normal_(0.0, asWeights ? std : spec.init.feedbackStd, generator);
        }
        if (ls.recurrent && ls.kind == LayerKind::Hidden) {
            layer.weightR = at::empty({ls.outFeatures, ls.outFeatures});
            layer.weightR.uniform_(-spec.init.recurrentRange, spec.init.recurrentRange, generator);
        }
        net.layers.push_back(std::move(layer));
    }
    if (net.layers.empty() || !net.layers.back().isOutput())
        throw Error("a network needs an output layer");
    net.classes = net.layers.back().weight.size(0);
    if (dtype != at::kFloat)
        net.to(dtype);
    return net;
}

at::Tensor Network::forward(const at::Tensor& input) const {
    at::Tensor h = input;
    for (const Layer& layer : layers) {
        h = layer.preActivation(layer.prepareInput(h));
        layer.activate(h);
    }
    return h;
}

namespace {
template <typename N, typename F> void forEachTensor(N& net, F&& f) {
    for (auto& layer : net.layers)
        for (auto* t : {&layer.weight, &layer.bias, &layer.weightFa, &layer.weightR})
            if (t->defined())
                f(*t);
}
} // namespace

void Network::to(const at::Device& device) {
    forEachTensor(*this, [&](at::Tensor& t) { t = t.to(device); });
}

void Network::to(at::ScalarType dtype) {
    forEachTensor(*this, [&](at::Tensor& t) { t = t.to(dtype); });
}

at::Device Network::device() const {
    return layers.empty() ? at::Device(at::kCPU) : layers[0].weight.device();
}

at::ScalarType Network::dtype() const {
    return layers.empty() ? at::kFloat : layers[0].weight.scalar_type();
}

Network Network::clone() const {
    Network copy = *this;
    forEachTensor(copy, [](at::Tensor& t) { t = t.clone(); });
    return copy;
}

std::vector<std::pair<std::string, at::Tensor>> Network::namedTensors() const {
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
    }
    return out;
}

int64_t Network::parameterCount() const {
    int64_t n = 0;
    for (const auto& [name, t] : namedTensors())
        n += t.numel();
    return n;
}

std::string Network::describe() const {
    NetworkSpec spec;
    spec.inputChannels = inputChannels;
    spec.inputSize = inputSize;
    spec.output = output;
    for (const Layer& l : layers) {
        LayerSpec ls;
        ls.kind = l.kind;
        ls.outFeatures = l.weight.size(0);
        ls.activation = l.activation;
        if (l.isConv()) {
            ls.kernel = l.weight.size(2);
            ls.stride = l.stride;
        }
        spec.layers.push_back(ls);
    }
    return spec.describe();
}

} // namespace bp

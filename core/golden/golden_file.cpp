#include "core/golden/golden_file.h"
#include "core/checkpoint/pickle_io.h"
#include "core/util/error.h"
#include <cmath>

namespace bp::golden {

GoldenFile::GoldenFile(const std::string& path) : path_(path), dict_(pickle::load(path)) {}

bool GoldenFile::has(const std::string& key) const {
    return dict_.contains(key);
}

c10::IValue GoldenFile::value(const std::string& key) const {
    if (!has(key))
        throw Error(path_ + ": no key '" + key + "'");
    return dict_.at(key);
}

at::Tensor GoldenFile::tensor(const std::string& key) const {
    const c10::IValue v = value(key);
    if (!v.isTensor())
        throw Error(path_ + ": key '" + key + "' holds a " + v.tagKind() + ", not a tensor");
    return v.toTensor();
}

std::string GoldenFile::text(const std::string& key) const {
    const c10::IValue v = value(key);
    if (!v.isString())
        throw Error(path_ + ": key '" + key + "' holds a " + v.tagKind() + ", not a string");
    return v.toStringRef();
}

double GoldenFile::real(const std::string& key) const {
    const c10::IValue v = value(key);
    if (v.isDouble())
        return v.toDouble();
    if (v.isInt())
        return static_cast<double>(v.toInt());
    if (v.isBool())
        return v.toBool() ? 1.0 : 0.0;
    if (v.isTensor() && v.toTensor().numel() == 1)
        return v.toTensor().item<double>();
    throw Error(path_ + ": key '" + key + "' holds a " + v.tagKind() + ", not a number");
}

int64_t GoldenFile::integer(const std::string& key) const {
    return static_cast<int64_t>(std::llround(real(key)));
}

std::string layerKey(const std::string& prefix, int64_t layer, const std::string& name) {
    return prefix + "/layer" + std::to_string(layer) + "/" + name;
}

bool isImagenet(const GoldenFile& g) {
    return g.text("meta/arch") == "imagenet_conv";
}

RunConfig configOf(const GoldenFile& g) {
    RunConfig c;
    const std::string rule = g.text("meta/rule");
    if (rule != "burstprop" && rule != "backprop")
        throw Error(g.path() + ": rule '" + rule + "' is not one this project builds (burstprop, backprop)");
    c.rule = rule;
    const std::string arch = g.text("meta/arch");
    if (arch != "fc" && arch != "mnist_conv" && arch != "cifar_conv" && arch != "imagenet_conv")
        throw Error(g.path() + ": architecture '" + arch +
                    "' is not one this project builds (fc, mnist_conv, cifar_conv, imagenet_conv)");
    c.outputLr = g.real("hp/output_lr");
    c.momentum = g.real("hp/momentum");
    c.weightDecay = g.real("hp/weight_decay");
    if (isImagenet(g)) { // ReLU convolutions, a softmax output with κ, torch.optim optimizers
        c.activation = Activation::Relu;
        c.output = OutputKind::Softmax;
        c.kappa = g.real("hp/kappa");
        c.recurrentInput = false;
        c.optimizer = g.flag("hp/use_adam") ? OptimizerKind::Adam : OptimizerKind::Sgd;
        c.hiddenLr = g.real("hp/hidden_lr");
        c.pBaseline = g.real("hp/p_baseline");
        c.weightFaLearning = g.flag("hp/weight_fa_learning");
        return c;
    }
    if (rule == "burstprop") {
        c.hiddenLr = g.real("hp/hidden_lr");
        c.pBaseline = g.real("hp/p_baseline");
        c.weightFaLearning = g.flag("hp/weight_fa_learning");
        c.recurrentInput = g.flag("hp/recurrent_input");
        c.weightRLearning = g.flag("hp/weight_r_learning");
        c.recurrentLr = g.real("hp/recurrent_lr");
    }
    return c;
}

Network networkOf(const GoldenFile& g) {
    Network net;
    net.inputChannels = g.integer("meta/input_channels");
    net.inputSize = g.integer("meta/input_size");
    const bool imagenet = isImagenet(g);
    if (imagenet) {
        net.output = OutputKind::Softmax;
        net.kappa = g.real("hp/kappa");
    }
    const int64_t n = g.integer("meta/n_layers");
    if (n < 1)
        throw Error(g.path() + ": meta/n_layers is " + std::to_string(n));
    for (int64_t i = 0; i < n; ++i) {
        Layer layer;
        const std::string arch = "arch/layer" + std::to_string(i) + "/";
        const std::string kind = g.text(arch + "kind");
        if (kind == "conv") {
            layer.kind = LayerKind::Conv;
            layer.stride = g.integer(arch + "stride");
            layer.padding = g.integer(arch + "padding");
        } else if (kind == "hidden") {
            layer.kind = LayerKind::Hidden;
        } else if (kind == "output") {
            layer.kind = LayerKind::Output;
        } else {
            throw Error(g.path() + ": layer " + std::to_string(i) + " is of kind '" + kind +
                        "', not one this project builds (conv, hidden, output)");
        }
        layer.activation = !imagenet          ? Activation::Sigmoid
                           : layer.isOutput() ? Activation::Identity
                                              : Activation::Relu;
        layer.weight = g.tensor(layerKey("init", i, "weight")).clone();
        layer.bias = g.tensor(layerKey("init", i, "bias")).clone();
        if (g.has(layerKey("init", i, "weight_fa")))
            layer.weightFa = g.tensor(layerKey("init", i, "weight_fa")).clone();
        if (g.has(layerKey("init", i, "weight_r")))
            layer.weightR = g.tensor(layerKey("init", i, "weight_r")).clone();
        net.layers.push_back(std::move(layer));
    }
    net.classes = net.layers.back().weight.size(0);
    return net;
}

} // namespace bp::golden

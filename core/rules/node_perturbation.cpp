#include "core/rules/node_perturbation.h"
#include "core/rules/update.h"
#include <ATen/CPUGeneratorImpl.h>

namespace bp {

NodePerturbationRule::NodePerturbationRule(const RunConfig& config, uint64_t seed)
    : config_(config), generator_(at::make_generator<at::CPUGeneratorImpl>(seed)) {}

at::Tensor NodePerturbationRule::noise(const at::IntArrayRef shape, const at::TensorOptions& options) {
    // Drawn on the CPU from the rule's own generator, so runs repeat bit for bit on any device.
    at::Tensor xi = at::empty(shape, at::TensorOptions().dtype(at::kFloat));
    xi.normal_(config_.xiMean, config_.xiStd, generator_);
    return xi.to(options.device());
}

double NodePerturbationRule::perturbedLoss(const Network& net, size_t perturbed, const at::Tensor& xi,
                                           const at::Tensor& target) {
    // The perturbed layer's activity is sigmoid(its clean pre-activation + xi), whatever lies below it
    // (as the reference); the layers above are recomputed from it with their current weights.
    at::Tensor h = at::sigmoid(pre_[perturbed] + xi);
    for (size_t i = perturbed + 1; i < net.layers.size(); ++i) {
        const Layer& layer = net.layers[i];
        h = layer.preActivation(layer.prepareInput(h)).sigmoid_();
    }
    return mseLoss(h, target);
}

void NodePerturbationRule::updateAll(Network& net, const std::vector<at::Tensor>& deltas) {
    for (size_t i = 0; i < net.layers.size(); ++i) {
        Layer& layer = net.layers[i];
        UpdateSettings s;
        s.lr = layer.isOutput() ? config_.outputLr : config_.hiddenLr;
        s.momentum = config_.momentum;
        s.weightDecay = config_.weightDecay;
        applyMomentumUpdate(layer, deltas[i], inputs_[i], s);
    }
}

StepResult NodePerturbationRule::step(Network& net, const at::Tensor& input, const at::Tensor& labels,
                                      bool /*measureAngles*/, StepTrace* trace) {
    const size_t n = net.layers.size();
    inputs_.resize(n);
    pre_.resize(n);
    at::Tensor h = input;
    for (size_t i = 0; i < n; ++i) {
        inputs_[i] = net.layers[i].prepareInput(h);
        pre_[i] = net.layers[i].preActivation(inputs_[i]);
        h = at::sigmoid(pre_[i]);
    }
    const at::Tensor out = h;
    const at::Tensor target = oneHot(labels, net.classes, out.options());
    StepResult result;
    result.loss = mseLoss(out, target);
    result.correct = countCorrect(out, labels);
    if (trace)
        trace->output = out.clone();

    const double scale = 1.0 / (config_.xiStd * config_.xiStd);
    std::vector<at::Tensor> deltas(n);
    if (config_.perturbation == PerturbationMode::AllLayers) {
        for (size_t i = 0; i < n; ++i)
            deltas[i] = noise(pre_[i].sizes(), pre_[i].options());
        // Each layer's perturbed activity is sigmoid(its clean pre-activation + xi) (see header).
        const double perturbed = mseLoss(at::sigmoid(pre_.back() + deltas.back()), target);
        for (at::Tensor& xi : deltas)
            xi.mul_(-(result.loss - perturbed) * scale);
        updateAll(net, deltas);
        return result;
    }

    auto subStep = [&](size_t layer, at::Tensor xi) {
        const double perturbed = perturbedLoss(net, layer, xi, target);
        std::fill(deltas.begin(), deltas.end(), at::Tensor());
        deltas[layer] = xi.mul_(-(result.loss - perturbed) * scale);
        updateAll(net, deltas);
    };
    if (config_.perturbation == PerturbationMode::LayerByLayer) {
        for (size_t l = 0; l < n; ++l)
            subStep(l, noise(pre_[l].sizes(), pre_[l].options()));
        return result;
    }
    // UnitByUnit
    if (layer_ >= static_cast<int64_t>(n))
        layer_ = 0;
    const at::Tensor& pre = pre_[layer_];
    const int64_t batch = pre.size(0);
    const int64_t units = pre.numel() / batch;
    at::Tensor xi = at::zeros({batch, units}, pre.options());
    xi.select(1, unit_).copy_(noise({batch}, pre.options()));
    subStep(static_cast<size_t>(layer_), xi.view(pre.sizes()));
    if (++unit_ >= units) {
        unit_ = 0;
        layer_ = (layer_ + 1) % static_cast<int64_t>(n);
    }
    return result;
}

} // namespace bp

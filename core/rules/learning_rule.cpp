#include "core/rules/learning_rule.h"
#include "core/nn/loss.h"
#include <cmath>

namespace bp {

at::Tensor LearningRule::feedbackWeights(const Network& net, size_t index) const {
    return net.layers.at(index).weightFa;
}

void forwardRecord(const Network& net, const at::Tensor& input, std::vector<at::Tensor>& inputs,
                   std::vector<at::Tensor>& outputs) {
    const size_t n = net.layers.size();
    inputs.resize(n);
    outputs.resize(n);
    at::Tensor h = input;
    for (size_t i = 0; i < n; ++i) {
        const Layer& layer = net.layers[i];
        inputs[i] = layer.prepareInput(h);
        outputs[i] = layer.preActivation(inputs[i]);
        layer.activate(outputs[i]);
        h = outputs[i];
    }
}

at::Tensor outputDelta(const Network& net, const at::Tensor& out, const at::Tensor& labels) {
    const at::Tensor target = oneHot(labels, net.classes, out.options());
    if (net.output == OutputKind::Softmax)
        return at::softmax(out, 1).sub_(target);
    return (out - target).mul_(out).mul_(1.0 - out);
}

namespace {
constexpr double kDegrees = 180.0 / M_PI;
}

double meanRowAngle(const at::Tensor& a, const at::Tensor& b) {
    const at::Tensor a2 = a.reshape({a.size(0), -1}).to(at::kDouble);
    const at::Tensor b2 = b.reshape({b.size(0), -1}).to(at::kDouble);
    const at::Tensor dot = (a2 * b2).sum(1);
    const at::Tensor norms = (a2.norm(2, 1) * b2.norm(2, 1)).clamp_min(1e-12);
    return (dot / norms).clamp(-1.0, 1.0).acos().mean().item<double>() * kDegrees;
}

double tensorAngle(const at::Tensor& a, const at::Tensor& b) {
    const at::Tensor a1 = a.reshape({-1}).to(at::kDouble);
    const at::Tensor b1 = b.reshape({-1}).to(at::kDouble);
    const double cosine = (a1.dot(b1) / (a1.norm() * b1.norm()).clamp_min(1e-12)).item<double>();
    return std::acos(std::clamp(cosine, -1.0, 1.0)) * kDegrees;
}

} // namespace bp

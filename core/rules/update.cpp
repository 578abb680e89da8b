#include "core/rules/update.h"
#include "core/nn/kernel_path.h"
#include <cmath>

namespace bp {

void applyMomentumUpdate(Layer& layer, const at::Tensor& delta, const at::Tensor& input,
                         const UpdateSettings& s) {
    layer.ensureMomentumBuffers();
    if (!delta.defined()) { // a zero gradient: momentum and decay still act
        layer.deltaWeight.mul_(s.momentum);
        layer.deltaBias.mul_(s.momentum);
    } else if (layer.isConv()) {
        layer.deltaWeight.mul_(s.momentum).add_(layer.weightGradient(delta, input), -s.lr);
    } else {
        // ΔW = momentum·ΔW − lr·deltaᵀ·input, in one BLAS call.
        layer.deltaWeight.addmm_(delta.t(), input, s.momentum, -s.lr);
    }
    if (delta.defined())
        layer.deltaBias.mul_(s.momentum).add_(layer.biasGradient(delta), -s.lr);

    // W ← ΔW + (1 − decay)·W in one pass (add(self, other, alpha) = self + alpha·other).
    at::add_out(layer.weight, layer.deltaWeight, layer.weight, 1.0 - s.weightDecay);
    layer.bias.add_(layer.deltaBias);
    if (s.learnFeedback && layer.weightFa.defined())
        at::add_out(layer.weightFa, layer.deltaWeight, layer.weightFa, 1.0 - s.weightDecay);
}

void applyMomentumUpdateRows(Layer& layer, const at::Tensor& delta, const at::Tensor& input,
                             const UpdateSettings& s, int64_t first, int64_t count) {
    at::Tensor dW = layer.deltaWeight.narrow(0, first, count);
    at::Tensor W = layer.weight.narrow(0, first, count);
    dW.addmm_(delta.narrow(1, first, count).t(), input, s.momentum, -s.lr);
    at::add_out(W, dW, W, 1.0 - s.weightDecay);
    if (s.learnFeedback && layer.weightFa.defined()) {
        at::Tensor Y = layer.weightFa.narrow(0, first, count);
        at::add_out(Y, dW, Y, 1.0 - s.weightDecay);
    }
    // Δb ← momentum·Δb − lr·Σ_batch delta, b ← b + Δb. A few hundred numbers: a plain loop when it can
    // (the same in tensor operations costs tens of microseconds per call).
    if (!useFusedKernel(KernelPath::Auto, {&delta, &layer.deltaBias, &layer.bias}) || delta.dim() != 2) {
        at::Tensor dB = layer.deltaBias.narrow(0, first, count);
        dB.mul_(s.momentum).add_(delta.narrow(1, first, count).sum(0), -s.lr);
        layer.bias.narrow(0, first, count).add_(dB);
        return;
    }
    const int64_t n = delta.size(0), width = delta.size(1);
    const float* d = delta.data_ptr<float>();
    float* dB = layer.deltaBias.data_ptr<float>();
    float* b = layer.bias.data_ptr<float>();
    const float m = static_cast<float>(s.momentum), lr = static_cast<float>(s.lr);
    for (int64_t r = first; r < first + count; ++r) {
        float g = 0.0f;
        for (int64_t i = 0; i < n; ++i)
            g += d[i * width + r];
        dB[r] = dB[r] * m - lr * g;
        b[r] += dB[r];
    }
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

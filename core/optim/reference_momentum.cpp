#include "core/optim/reference_momentum.h"
#include "core/nn/kernel_path.h"

namespace bp {

namespace {

struct Rates {
    double lr, momentum, decay;
};

// ΔW rows ← momentum·ΔW − lr·grad rows, then W rows ← ΔW + (1 − decay)·W (and Y when it follows ΔW).
void updateWeightRows(Layer& layer, at::Tensor deltaWeight, const Gradient& g, const Rates& r,
                      bool feedbackFollows, int64_t first, int64_t count) {
    at::Tensor dW = deltaWeight.narrow(0, first, count);
    at::Tensor W = layer.weight.narrow(0, first, count);
    if (g.isProduct()) // one GEMM into ΔW
        dW.addmm_(g.delta.narrow(1, first, count).t(), g.input, r.momentum, -r.lr * g.scale);
    else if (g.dense.defined())
        dW.mul_(r.momentum).add_(g.dense.narrow(0, first, count), -r.lr);
    else
        dW.mul_(r.momentum);
    at::add_out(W, dW, W, 1.0 - r.decay); // W ← ΔW + (1 − decay)·W in one pass
    if (feedbackFollows) {
        at::Tensor Y = layer.weightFa.narrow(0, first, count);
        at::add_out(Y, dW, Y, 1.0 - r.decay);
    }
}

// Δb rows ← momentum·Δb − lr·grad_b rows; b rows ← b + Δb. From a product-form gradient, grad_b is the
// column sum of delta: a few hundred numbers, one plain loop when it can (the same in tensor operations
// costs tens of microseconds per call).
void updateBiasRows(Layer& layer, at::Tensor deltaBias, LayerGradients& g, const Rates& r, int64_t first,
                    int64_t count) {
    const at::Tensor& delta = g.weight.delta;
    if (!g.bias.defined() && g.weight.isProduct() && delta.dim() == 2 &&
        useFusedKernel(KernelPath::Auto, {&delta, &deltaBias, &layer.bias})) {
        const int64_t n = delta.size(0), width = delta.size(1);
        const float* d = delta.data_ptr<float>();
        float* dB = deltaBias.data_ptr<float>();
        float* b = layer.bias.data_ptr<float>();
        const float m = static_cast<float>(r.momentum), lr = static_cast<float>(r.lr * g.weight.scale);
        for (int64_t row = first; row < first + count; ++row) {
            float sum = 0.0f;
            for (int64_t i = 0; i < n; ++i)
                sum += d[i * width + row];
            dB[row] = dB[row] * m - lr * sum;
            b[row] += dB[row];
        }
        return;
    }
    at::Tensor dB = deltaBias.narrow(0, first, count);
    if (g.bias.defined())
        dB.mul_(r.momentum).add_(g.bias.narrow(0, first, count), -r.lr);
    else if (g.weight.delta.defined())
        dB.mul_(r.momentum).add_(delta.narrow(1, first, count).sum(0), -r.lr * g.weight.scale);
    else
        dB.mul_(r.momentum);
    layer.bias.narrow(0, first, count).add_(dB);
}

} // namespace

void ReferenceMomentum::addUpdate(UpdateTasks& tasks, Layer& layer, size_t index,
                                  std::shared_ptr<LayerGradients> g) {
    const ParameterGroup& group = this->group(index);
    const Rates r{group.lr * scale_, group.momentum, group.weightDecay};
    const at::Tensor deltaWeight = stateTensor(key(index, "delta", "weight"), layer.weight);
    const at::Tensor deltaBias = stateTensor(key(index, "delta", "bias"), layer.bias);
    const bool follows = g->feedbackFollowsWeight && layer.weightFa.defined();
    Layer* l = &layer;

    if (g->recurrent.defined() && layer.weightR.defined()) { // Z ← Z − recurrent_lr·grad_Z, in row blocks
        const double lrZ = settings_.recurrentLr * scale_;
        forRowBlocks(layer.weightR, [&](int64_t first, int64_t count) {
            tasks.concurrent.add(static_cast<double>(count * l->weightR.size(1)), [=] {
                at::Tensor Z = l->weightR.narrow(0, first, count);
                const Gradient& gz = g->recurrent;
                if (gz.isProduct())
                    Z.addmm_(gz.delta.narrow(1, first, count).t(), gz.input, 1.0, -lrZ * gz.scale);
                else
                    Z.sub_(gz.dense.narrow(0, first, count), lrZ);
            });
        });
    }
    if (layer.isConv()) {
        tasks.serial.add(static_cast<double>(layer.weight.numel()), [=] {
            const Gradient& gw = g->weight;
            at::Tensor dW = deltaWeight;
            if (gw.defined())
                dW.mul_(r.momentum).add_(g->weight.materialize(*l), -r.lr);
            else
                dW.mul_(r.momentum);
            at::Tensor dB = deltaBias;
            const at::Tensor& gb = g->biasGradient(*l);
            if (gb.defined())
                dB.mul_(r.momentum).add_(gb, -r.lr);
            else
                dB.mul_(r.momentum);
            at::add_out(l->weight, dW, l->weight, 1.0 - r.decay);
            l->bias.add_(dB);
            if (follows)
                at::add_out(l->weightFa, dW, l->weightFa, 1.0 - r.decay);
        });
    } else {
        forRowBlocks(layer.weight, [&](int64_t first, int64_t count) {
            tasks.concurrent.add(static_cast<double>(count * l->weight.size(1)), [=] {
                updateWeightRows(*l, deltaWeight, g->weight, r, follows, first, count);
                updateBiasRows(*l, deltaBias, *g, r, first, count);
            });
        });
    }
    if (g->feedback.defined() && layer.weightFa.defined()) { // Y with a gradient of its own
        const at::Tensor deltaFeedback = stateTensor(key(index, "delta", "weight_fa"), layer.weightFa);
        tasks.serial.add(static_cast<double>(layer.weightFa.numel()), [=] {
            deltaFeedback.mul_(r.momentum).add_(g->feedback.materialize(*l), -r.lr);
            at::add_out(l->weightFa, deltaFeedback, l->weightFa, 1.0 - r.decay);
        });
    }
}

} // namespace bp

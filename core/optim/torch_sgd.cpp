#include "core/optim/torch_sgd.h"

namespace bp {

namespace {

void sgd(const at::Tensor& param, const at::Tensor& buffer, const at::Tensor& grad,
         const ParameterGroup& group, double lr) {
    // torch's first step sets buf = g; a zero buffer gives the same: momentum·0 + g.
    const at::Tensor g = group.weightDecay != 0.0 ? grad.add(param, group.weightDecay) : grad;
    buffer.mul_(group.momentum).add_(g);
    param.sub_(buffer, lr);
}

} // namespace

void TorchSgd::addUpdate(UpdateTasks& tasks, Layer& layer, size_t index, std::shared_ptr<LayerGradients> g) {
    const ParameterGroup group = this->group(index);
    const double lr = group.lr * scale_;
    const double lrZ = settings_.recurrentLr * scale_;
    Layer* l = &layer;
    const bool hasWeight = g->weight.defined();
    const bool feedback = layer.weightFa.defined() && (g->feedbackFollowsWeight || g->feedback.defined());
    const bool recurrent = layer.weightR.defined() && g->recurrent.defined();
    // Buffers are made here, on the calling thread; the task only fills them.
    const at::Tensor bufW =
        hasWeight ? stateTensor(key(index, "delta", "weight"), layer.weight) : at::Tensor();
    const at::Tensor bufB =
        hasWeight || g->bias.defined() ? stateTensor(key(index, "delta", "bias"), layer.bias) : at::Tensor();
    const at::Tensor bufY =
        feedback ? stateTensor(key(index, "delta", "weight_fa"), layer.weightFa) : at::Tensor();
    auto task = [=] {
        if (g->recurrent.defined() && recurrent) {
            g->materialize(*l);
            l->weightR.sub_(g->recurrent.dense, lrZ);
        }
        if (hasWeight) {
            const at::Tensor gradW = g->weight.materialize(*l);
            if (feedback) { // Y's gradient: its own, or W's
                const at::Tensor gradY = g->feedback.defined() ? g->feedback.materialize(*l) : gradW;
                sgd(l->weightFa, bufY, gradY, group, lr);
            }
            sgd(l->weight, bufW, gradW, group, lr);
        }
        if (bufB.defined()) {
            const at::Tensor gradB = g->biasGradient(*l);
            if (gradB.defined())
                sgd(l->bias, bufB, gradB, group, lr);
        }
    };
    addLayerTask(tasks, layer, std::move(task));
}

} // namespace bp

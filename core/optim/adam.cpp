#include "core/optim/adam.h"
#include <cmath>

namespace bp {

Adam::Moments Adam::moments(size_t index, const char* parameter, const at::Tensor& like) {
    Moments m{stateTensor(key(index, "exp_avg", parameter), like),
              stateTensor(key(index, "exp_avg_sq", parameter), like),
              {}};
    at::Tensor& step = state_[key(index, "step", parameter)];
    if (!step.defined())
        step = at::zeros({}, at::TensorOptions().dtype(at::kDouble));
    m.step = step;
    return m;
}

namespace {

void adamStep(const at::Tensor& param, const at::Tensor& grad, const at::Tensor& avg, const at::Tensor& avgSq,
              const at::Tensor& stepCount, double lr, double decay, const OptimizerSettings& s) {
    stepCount.add_(1.0);
    const double t = stepCount.item<double>();
    const at::Tensor g = decay != 0.0 ? grad.add(param, decay) : grad;
    avg.mul_(s.adamBeta1).add_(g, 1.0 - s.adamBeta1);
    avgSq.mul_(s.adamBeta2).addcmul_(g, g, 1.0 - s.adamBeta2);
    const double correction1 = 1.0 - std::pow(s.adamBeta1, t);
    const double correction2 = 1.0 - std::pow(s.adamBeta2, t);
    const at::Tensor denom = (avgSq.sqrt() / std::sqrt(correction2)).add_(s.adamEps);
    param.addcdiv_(avg, denom, -lr / correction1);
}

} // namespace

void Adam::addUpdate(UpdateTasks& tasks, Layer& layer, size_t index, std::shared_ptr<LayerGradients> g) {
    const ParameterGroup group = this->group(index);
    const double lr = group.lr * scale_, lrZ = settings_.recurrentLr * scale_;
    const OptimizerSettings s = settings_;
    Layer* l = &layer;
    const bool hasWeight = g->weight.defined();
    const bool feedback = layer.weightFa.defined() && (g->feedbackFollowsWeight || g->feedback.defined());
    const bool recurrent = layer.weightR.defined() && g->recurrent.defined();
    const Moments mW = hasWeight ? moments(index, "weight", layer.weight) : Moments{};
    const Moments mB = hasWeight || g->bias.defined() ? moments(index, "bias", layer.bias) : Moments{};
    const Moments mY = feedback ? moments(index, "weight_fa", layer.weightFa) : Moments{};
    auto task = [=] {
        if (recurrent) {
            g->materialize(*l);
            l->weightR.sub_(g->recurrent.dense, lrZ);
        }
        if (hasWeight) {
            const at::Tensor gradW = g->weight.materialize(*l);
            if (feedback)
                adamStep(l->weightFa, g->feedback.defined() ? g->feedback.materialize(*l) : gradW, mY.avg,
                         mY.avgSq, mY.step, lr, group.weightDecay, s);
            adamStep(l->weight, gradW, mW.avg, mW.avgSq, mW.step, lr, group.weightDecay, s);
        }
        if (mB.avg.defined()) {
            const at::Tensor gradB = g->biasGradient(*l);
            if (gradB.defined())
                adamStep(l->bias, gradB, mB.avg, mB.avgSq, mB.step, lr, group.weightDecay, s);
        }
    };
    addLayerTask(tasks, layer, std::move(task));
}

} // namespace bp

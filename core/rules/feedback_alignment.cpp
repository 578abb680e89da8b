#include "core/rules/feedback_alignment.h"
#include "core/rules/update.h"

namespace bp {

StepResult FeedbackAlignmentRule::step(Network& net, const at::Tensor& input, const at::Tensor& labels,
                                       bool measureAngles, StepTrace* trace) {
    const size_t n = net.layers.size();
    const bool needBp = measureAngles || trace;
    forwardRecord(net, input, inputs_, events_);

    const at::Tensor& out = events_.back();
    const at::Tensor target = oneHot(labels, net.classes, out.options());
    StepResult result;
    result.loss = mseLoss(out, target);
    result.correct = countCorrect(out, labels);
    if (trace) {
        trace->output = out.clone();
        trace->layers.assign(n, {});
    }

    // Output: delta = −(t − e) e (1 − e), the same as backprop's.
    at::Tensor delta = (out - target).mul_(out).mul_(1.0 - out);
    at::Tensor deltaBp = needBp ? delta : at::Tensor();
    std::vector<double> angles(n > 0 ? n - 1 : 0, 0.0);
    for (size_t k = n; k-- > 0;) {
        Layer& layer = net.layers[k];
        const at::Tensor& e = events_[k];
        if (!layer.isOutput()) {
            const at::Tensor slope = e * (1.0 - e);
            delta = delta.view(e.sizes()).mul(slope);
            if (needBp)
                deltaBp = deltaBp.view(e.sizes()).mul(slope);
        }
        if (trace)
            trace->layers[k] = {e.clone(), delta.clone(), needBp ? deltaBp.clone() : at::Tensor()};
        if (measureAngles && !layer.isOutput())
            angles[k] = meanRowAngle(delta, deltaBp);

        const at::Tensor own = delta;
        if (k > 0) {
            const at::Tensor& x = inputs_[k];
            delta = layer.sendDown(own, layer.weightFa, x);
            if (needBp)
                deltaBp = layer.sendDown(deltaBp, layer.weight, x);
        }
        UpdateSettings s;
        s.lr = layer.isOutput() ? config_.outputLr : config_.hiddenLr;
        s.momentum = config_.momentum;
        s.weightDecay = config_.weightDecay;
        s.learnFeedback = config_.weightFaLearning;
        applyMomentumUpdate(layer, own, inputs_[k], s);
    }
    if (measureAngles)
        result.deltaAngles = angles;
    return result;
}

} // namespace bp

#include "core/rules/burstprop.h"
#include "core/rules/update.h"

namespace bp {

StepResult BurstpropRule::step(Network& net, const at::Tensor& input, const at::Tensor& labels, bool measureAngles,
                               StepTrace* trace) {
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

    // Output layer: p = p_b, p_t = p_b((t − e)(1 − e) + 1), delta = −(b_t − b) = −p_b (t − e)(1 − e) e.
    const double pb = config_.pBaseline;
    at::Tensor teach = (target - out).mul_(1.0 - out); // (t − e)(1 − e)
    at::Tensor b = out * pb;
    at::Tensor bt = (teach * pb).add_(pb).mul_(out);
    at::Tensor delta = b - bt;
    at::Tensor deltaBp;
    if (needBp)
        deltaBp = teach.mul(out).neg_(); // −(t − e) e (1 − e)

    std::vector<double> angles(n > 0 ? n - 1 : 0, 0.0);
    for (size_t k = n; k-- > 0;) {
        Layer& layer = net.layers[k];
        const at::Tensor& e = events_[k];
        if (!layer.isOutput()) {
            // Hidden layer: signals (f, f_t, f_bp) arrived from above in b, bt, deltaBp.
            const at::Tensor f = b.view(e.sizes()), ft = bt.view(e.sizes());
            const at::Tensor oneMinusE = 1.0 - e;
            at::Tensor u = f * oneMinusE, ut = ft * oneMinusE;
            at::Tensor bPre;
            if (config_.recurrentInput && layer.weightR.defined()) {
                bPre = at::sigmoid(f).mul_(e);
                const at::Tensor inhibition = bPre.mm(layer.weightR.t());
                u.sub_(inhibition);
                ut.sub_(inhibition);
            }
            at::Tensor p = at::sigmoid(u), pt = at::sigmoid(ut);
            b = p.mul_(e);
            bt = pt.mul_(e);
            delta = b - bt;
            if (needBp)
                deltaBp = deltaBp.view(e.sizes()).mul(e).mul_(oneMinusE);
            if (config_.weightRLearning && bPre.defined()) // Z ← Z − lr_r·(−uᵀ b_pre)
                layer.weightR.addmm_(u.t(), bPre, 1.0, config_.recurrentLr);
        }
        if (trace)
            trace->layers[k] = {e.clone(), delta.clone(), needBp ? deltaBp.clone() : at::Tensor()};
        if (measureAngles && !layer.isOutput())
            angles[k] = meanRowAngle(delta, deltaBp);

        // Signals for the layer below, through the weights as they were before this step's update.
        at::Tensor delta_ = delta; // this layer's delta, kept for its own update
        if (k > 0) {
            const at::Tensor& x = inputs_[k];
            const at::Tensor bDown = layer.sendDown(b, layer.weightFa, x);
            const at::Tensor btDown = layer.sendDown(bt, layer.weightFa, x);
            if (needBp)
                deltaBp = layer.sendDown(deltaBp, layer.weight, x);
            b = bDown;
            bt = btDown;
        }
        UpdateSettings s;
        s.lr = layer.isOutput() ? config_.outputLr : config_.hiddenLr;
        s.momentum = config_.momentum;
        s.weightDecay = config_.weightDecay;
        s.learnFeedback = config_.weightFaLearning;
        applyMomentumUpdate(layer, delta_, inputs_[k], s);
    }
    if (measureAngles)
        result.deltaAngles = angles;
    return result;
}

} // namespace bp

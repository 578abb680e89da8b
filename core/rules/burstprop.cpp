#include "core/rules/burstprop.h"
#include "core/nn/loss.h"
#include "core/rules/burst_signals.h"
#include "core/rules/rule_registry.h"
#include <cmath>

namespace bp {

namespace {

// The burst rates b and b_t of a layer travel together as one (2, N, ...) tensor: the feedback
// weights then carry both in a single GEMM of twice the rows (for a conv layer, one transposed
// convolution of a doubled batch), and every elementwise step below handles both at once.
at::Tensor stackedShape(const at::Tensor& bursts, const at::Tensor& events) {
    std::vector<int64_t> shape{2};
    shape.insert(shape.end(), events.sizes().begin(), events.sizes().end());
    return bursts.view(shape);
}

// Both burst signals through Y to the layer below (returns (2N, ...) rows: b then b_t).
at::Tensor sendBurstsDown(const Layer& layer, const at::Tensor& bursts, const at::Tensor& input) {
    const int64_t n = input.size(0);
    if (!layer.isConv())
        return bursts.reshape({2 * n, -1}).mm(layer.weightFa);
    std::vector<int64_t> twice(input.sizes().begin(), input.sizes().end());
    twice[0] = 2 * n;
    const at::Tensor doubledInput = input.unsqueeze(0).expand({2, -1, -1, -1, -1}).reshape(twice);
    std::vector<int64_t> rows(bursts.sizes().begin() + 1, bursts.sizes().end());
    rows[0] = 2 * n;
    return layer.sendDown(bursts.reshape(rows), layer.weightFa, doubledInput);
}

// p and p_t of a layer from its bursts (2, N, ...), b = p·r and b_t = p_t·r, r being the rate they multiply
// (e; a softmax output's a = softmax(e)): b / r where r > 0, NaN where the unit is silent (r = 0: a ReLU
// unit).
void burstProbabilities(const at::Tensor& bursts, const at::Tensor& rates, StepResult::LayerSignals& out) {
    std::vector<int64_t> shape{2};
    shape.insert(shape.end(), rates.sizes().begin(), rates.sizes().end());
    const at::Tensor r = rates.unsqueeze(0);
    const at::Tensor p =
        at::where(r > 0, bursts.reshape(shape) / r, at::scalar_tensor(std::nan(""), bursts.options()));
    out.p = p[0];
    out.pT = p[1];
}

} // namespace

StepResult BurstpropRule::step(Network& net, const at::Tensor& input, const at::Tensor& labels,
                               const StepOptions& options, GradientSink& sink) {
    const size_t n = net.layers.size();
    const bool needBp = options.measureAngles || options.trace;
    StepTrace* trace = options.trace;
    forwardRecord(net, input, inputs_, events_);

    const at::Tensor& out = events_.back();
    StepResult result;
    if (trace) {
        trace->output = out.clone();
        trace->layers.assign(n, {});
    }

    // Output layer: sigmoid p = p_b, p_t = p_b((t − e)(1 − e) + 1), b = p e, b_t = p_t e; or the softmax's.
    const bool softmax = net.output == OutputKind::Softmax;
    OutputSignals top = softmax ? softmaxOutputSignals(out, labels, config_.pBaseline, net.kappa, needBp)
                                : outputSignals(out, labels, config_.pBaseline, needBp);
    result.loss = top.loss;
    result.correct = top.correct;
    if (softmax)
        result.correctTop5 = countTopK(out, labels, 5);
    at::Tensor bursts = std::move(top.bursts);
    at::Tensor delta = std::move(top.delta);
    at::Tensor deltaBp = std::move(top.deltaBp);

    std::vector<double> angles(n > 0 ? n - 1 : 0, 0.0);
    if (options.recordSignals)
        result.signals.resize(n);
    at::Tensor down; // the burst signals sent to the current layer from above, (2N, ...) rows
    for (size_t k = n; k-- > 0;) {
        Layer& layer = net.layers[k];
        const at::Tensor& e = events_[k];
        LayerGradients g;
        if (!layer.isOutput()) {
            // Hidden layer receiving (f, f_t) in `down` and f_bp in deltaBp.
            at::Tensor f = stackedShape(down, e);
            const bool undo = softmax && k + 2 == n && net.kappa != 1.0;
            if (layer.activation == Activation::Relu) {
                HiddenSignals h = reluHiddenSignals(f, e, undo ? net.kappa : 1.0);
                bursts = std::move(h.bursts);
                delta = std::move(h.delta);
                if (needBp)
                    deltaBp = deltaBp.view(e.sizes()).mul(e.gt(0).to(e.scalar_type()));
            } else {
                if (undo)
                    f = undoKappa(f, net.kappa);
                const bool recurrent = config_.recurrentInput && layer.weightR.defined();
                const bool learnZ = recurrent && config_.weightRLearning;
                at::Tensor bPre, inhibition; // b_pre = sigmoid(f) e, and b_pre Zᵀ
                if (recurrent) {
                    bPre = recurrentDrive(f[0], e);
                    inhibition = bPre.mm(layer.weightR.t());
                }
                HiddenSignals h = hiddenSignals(f, e, inhibition, learnZ);
                bursts = std::move(h.bursts);
                delta = std::move(h.delta);
                if (learnZ) // grad_Z = −uᵀ b_pre
                    g.recurrent = Gradient::product(std::move(h.u), bPre, -1.0);
                if (needBp)
                    deltaBp = deltaBp.view(e.sizes()).mul(e).mul_(1.0 - e);
            }
        }
        if (trace)
            trace->layers[k] = {e.clone(), delta.clone(), needBp ? deltaBp.clone() : at::Tensor()};
        if (options.measureAngles && !layer.isOutput())
            angles[k] = meanRowAngle(delta, deltaBp);
        if (options.recordSignals) {
            StepResult::LayerSignals& s = result.signals[k];
            s.e = e;
            s.delta = delta.reshape(e.sizes());
            burstProbabilities(bursts, layer.isOutput() && softmax ? at::softmax(e, 1) : e, s);
        }

        // Signals for the layer below go through W and Y as they were before this step.
        const at::Tensor& x = inputs_[k];
        if (k > 0) {
            down = sendBurstsDown(layer, bursts, x);
            if (needBp)
                deltaBp = layer.sendDown(deltaBp, layer.weight, x);
        }
        g.weight = Gradient::product(delta, x);
        g.feedbackFollowsWeight = config_.weightFaLearning;
        sink.gradientsReady(k, std::move(g));
    }
    if (options.measureAngles)
        result.deltaAngles = angles;
    return result;
}

const RuleInfo& burstpropRule() {
    static const RuleInfo info = [] {
        RuleInfo r;
        r.name = "burstprop";
        r.title = "Burstprop";
        r.description = "Burst-dependent plasticity (Payeur et al. 2021): burst probabilities carry the "
                        "teaching signal down through feedback weights Y.";
        r.hyperparameters = {"hidden_lr",          "weight_fa_std",   "p_baseline",
                             "weight_fa_learning", "recurrent_input", "weight_r_range",
                             "weight_r_learning",  "recurrent_lr",    "kappa"};
        r.layerFeedback = true;
        r.recurrent = true;
        r.weightAngles = true;
        r.deltaAngles = true;
        r.initGain = [](const RunConfig& c) {
            return c.architecture == Architecture::Cifar10Conv ? 3.6 : 1.0;
        };
        r.unsupported = [](const RunConfig& c) -> std::string {
            if (c.recurrentInput && c.activation != Activation::Sigmoid)
                return "burstprop's recurrent input is defined for sigmoid layers only (-recurrent_input "
                       "false)";
            return {};
        };
        r.make = [](const RunConfig& c, uint64_t) { return std::make_unique<BurstpropRule>(c); };
        return r;
    }();
    return info;
}

} // namespace bp

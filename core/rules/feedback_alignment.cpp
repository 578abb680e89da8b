#include "core/rules/feedback_alignment.h"
#include "core/nn/loss.h"
#include "core/rules/rule_registry.h"

namespace bp {

std::vector<at::Tensor> backpropDeltas(const Network& net, const std::vector<at::Tensor>& inputs,
                                       const std::vector<at::Tensor>& events, const at::Tensor& outputDelta) {
    const size_t n = net.layers.size();
    std::vector<at::Tensor> deltas(n);
    at::Tensor delta = outputDelta;
    for (size_t k = n; k-- > 0;) {
        const Layer& layer = net.layers[k];
        if (!layer.isOutput())
            delta = delta.view(events[k].sizes()).mul(layer.slope(events[k]));
        deltas[k] = delta;
        if (k > 0)
            delta = layer.sendDown(delta, layer.weight, inputs[k]);
    }
    return deltas;
}

StepResult FeedbackAlignmentRule::step(Network& net, const at::Tensor& input, const at::Tensor& labels,
                                       const StepOptions& options, GradientSink& sink) {
    const size_t n = net.layers.size();
    const bool needBp = options.measureAngles || options.trace;
    StepTrace* trace = options.trace;
    forwardRecord(net, input, inputs_, events_);

    const at::Tensor& out = events_.back();
    StepResult result;
    result.loss = outputLoss(net.output, out, labels);
    result.correct = countCorrect(out, labels);
    if (trace) {
        trace->output = out.clone();
        trace->layers.assign(n, {});
    }

    // Output: backprop's delta, −(t − e) e (1 − e) or softmax(e) − t.
    at::Tensor delta = outputDelta(net, out, labels);
    at::Tensor deltaBp = needBp ? delta : at::Tensor();
    std::vector<double> angles(n > 0 ? n - 1 : 0, 0.0);
    for (size_t k = n; k-- > 0;) {
        Layer& layer = net.layers[k];
        const at::Tensor& e = events_[k];
        if (!layer.isOutput()) {
            const at::Tensor slope = layer.slope(e);
            delta = delta.view(e.sizes()).mul(slope);
            if (needBp)
                deltaBp = deltaBp.view(e.sizes()).mul(slope);
        }
        if (trace)
            trace->layers[k] = {e.clone(), delta.clone(), needBp ? deltaBp.clone() : at::Tensor()};
        if (options.measureAngles && !layer.isOutput())
            angles[k] = meanRowAngle(delta, deltaBp);
        if (options.recordSignals) { // no bursts: event rates and deltas only
            result.signals.resize(n);
            result.signals[k].e = e;
            result.signals[k].delta = delta.reshape(e.sizes());
        }

        const at::Tensor own = delta;
        const at::Tensor& x = inputs_[k];
        if (k > 0) {
            delta = layer.sendDown(own, feedbackFor(layer), x);
            if (needBp)
                deltaBp = layer.sendDown(deltaBp, layer.weight, x);
        }
        LayerGradients g;
        g.weight = Gradient::product(own, x);
        g.feedbackFollowsWeight = feedbackLearns();
        sink.gradientsReady(k, std::move(g));
    }
    if (options.measureAngles)
        result.deltaAngles = angles;
    return result;
}

const RuleInfo& feedbackAlignmentRule() {
    static const RuleInfo info = [] {
        RuleInfo r;
        r.name = "feedback-alignment";
        r.aliases = {"fa"};
        r.title = "Feedback alignment";
        r.description = "Backprop's deltas carried down by fixed random feedback weights Y instead of Wᵀ "
                        "(Lillicrap et al. 2016).";
        r.hyperparameters = {"hidden_lr", "weight_fa_std", "weight_fa_learning"};
        r.layerFeedback = true;
        r.weightAngles = true;
        r.deltaAngles = true;
        // The summed-gradient update without burst probabilities saturates the network at burstprop's
        // learning rates (90 % error after one epoch): smaller ones by default.
        r.defaults = [](RunConfig& c) {
            c.hiddenLr = 0.001;
            c.outputLr = 0.002;
        };
        r.initGain = [](const RunConfig& c) {
            return c.architecture == Architecture::Cifar10Conv ? 3.6 : 1.0;
        };
        r.make = [](const RunConfig& c, uint64_t) { return std::make_unique<FeedbackAlignmentRule>(c); };
        return r;
    }();
    return info;
}

} // namespace bp

#include "core/rules/direct_feedback_alignment.h"
#include "core/nn/loss.h"
#include "core/rules/feedback_alignment.h"
#include "core/rules/rule_registry.h"
#include "core/util/error.h"
#include <ATen/CPUGeneratorImpl.h>

namespace bp {

namespace {

// The number of units of each layer's output: the width of a dense layer, C·H·W of a conv layer.
std::vector<int64_t> outputVolumes(const Network& net) {
    std::vector<int64_t> volumes;
    int64_t c = net.inputChannels, h = net.inputSize;
    bool flat = false;
    for (const Layer& layer : net.layers) {
        if (layer.isConv() && !flat) {
            h = (h + 2 * layer.padding - layer.weight.size(2)) / layer.stride + 1;
            c = layer.weight.size(0);
            volumes.push_back(c * h * h);
        } else {
            flat = true;
            volumes.push_back(layer.weight.size(0));
        }
    }
    return volumes;
}

} // namespace

DirectFeedbackAlignmentRule::DirectFeedbackAlignmentRule(const RunConfig& config, uint64_t seed)
    : config_(config), seed_(seed) {}

void DirectFeedbackAlignmentRule::initialize(const Network& net, at::Generator& generator) {
    const std::vector<int64_t> volumes = outputVolumes(net);
    feedback_.assign(net.layers.size(), at::Tensor());
    for (size_t l = 0; l + 1 < net.layers.size(); ++l) {
        at::Tensor b = at::empty({net.classes, volumes[l]}, at::kFloat);
        b.normal_(0.0, config_.weightFaStd, generator);
        feedback_[l] = b.to(net.device()).to(net.dtype());
    }
}

RuleState DirectFeedbackAlignmentRule::saveState() const {
    RuleState state;
    for (size_t l = 0; l < feedback_.size(); ++l)
        if (feedback_[l].defined())
            state["feedback." + std::to_string(l)] = feedback_[l];
    return state;
}

void DirectFeedbackAlignmentRule::restoreState(const RuleState& state, const std::string& source) {
    std::vector<at::Tensor> restored;
    for (size_t l = 0;; ++l) {
        const auto it = state.find("feedback." + std::to_string(l));
        if (it == state.end())
            break;
        restored.push_back(it->second);
    }
    if (restored.empty())
        throw Error(source + ": the checkpoint has no direct-feedback matrices (\"feedback.0\", ...)");
    restored.emplace_back(); // the output layer has none
    feedback_ = std::move(restored);
}

StepResult DirectFeedbackAlignmentRule::step(Network& net, const at::Tensor& input, const at::Tensor& labels,
                                             const StepOptions& options, GradientSink& sink) {
    const size_t n = net.layers.size();
    if (feedback_.size() != n) {
        if (!feedback_.empty())
            throw Error("direct feedback alignment: " + std::to_string(feedback_.size()) +
                        " feedback matrices for a network of " + std::to_string(n) + " layers");
        at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(seed_);
        initialize(net, generator);
    }
    const bool needBp = options.measureAngles || options.trace;
    forwardRecord(net, input, inputs_, events_);
    const at::Tensor& out = events_.back();
    StepResult result;
    result.loss = outputLoss(net.output, out, labels);
    result.correct = countCorrect(out, labels);

    const at::Tensor error = outputDelta(net, out, labels); // δ_out, (N, classes)
    std::vector<at::Tensor> bp;
    if (needBp)
        bp = backpropDeltas(net, inputs_, events_, error);
    if (options.trace) {
        options.trace->output = out.clone();
        options.trace->layers.assign(n, {});
    }
    std::vector<double> angles(n > 0 ? n - 1 : 0, 0.0);
    if (options.recordSignals)
        result.signals.resize(n);
    for (size_t k = n; k-- > 0;) {
        const Layer& layer = net.layers[k];
        const at::Tensor& e = events_[k];
        at::Tensor delta = error;
        if (!layer.isOutput()) {
            const at::Tensor& b = feedback_[k];
            if (!b.defined() || b.size(0) != error.size(1) || b.size(1) * e.size(0) != e.numel())
                throw Error("direct feedback alignment: the feedback matrix of layer " + std::to_string(k) +
                            " does not fit the network (a state of another network?)");
            delta = error.mm(b).view(e.sizes()).mul_(layer.slope(e));
        }
        if (options.trace)
            options.trace->layers[k] = {e.clone(), delta.clone(), needBp ? bp[k].clone() : at::Tensor()};
        if (options.measureAngles && !layer.isOutput())
            angles[k] = meanRowAngle(delta, bp[k]);
        if (options.recordSignals) { // the projected error B_l δ_out times the layer's slope; no bursts
            result.signals[k].e = e;
            result.signals[k].delta = delta.view(e.sizes());
        }
        LayerGradients g;
        g.weight = Gradient::product(delta, inputs_[k]);
        sink.gradientsReady(k, std::move(g));
    }
    if (options.measureAngles)
        result.deltaAngles = angles;
    return result;
}

const RuleInfo& directFeedbackAlignmentRule() {
    static const RuleInfo info = [] {
        RuleInfo r;
        r.name = "dfa";
        r.aliases = {"direct-feedback-alignment"};
        r.title = "Direct feedback alignment";
        r.description = "Every hidden layer receives the output error through its own fixed random matrix "
                        "B_l (Nøkland 2016); no signal travels layer by layer.";
        r.hyperparameters = {"hidden_lr", "weight_fa_std"};
        r.deltaAngles = true;
        r.weightAngleNote = "Direct feedback alignment has no feedback matrix of W's shape: no weight angle.";
        // As feedback alignment: summed gradients at burstprop's rates saturate the sigmoid units.
        r.defaults = [](RunConfig& c) {
            c.hiddenLr = 0.001;
            c.outputLr = 0.002;
        };
        r.initGain = [](const RunConfig& c) {
            return c.architecture == Architecture::Cifar10Conv ? 3.6 : 1.0;
        };
        r.make = [](const RunConfig& c, uint64_t seed) {
            return std::make_unique<DirectFeedbackAlignmentRule>(c, seed);
        };
        return r;
    }();
    return info;
}

} // namespace bp

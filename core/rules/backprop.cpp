#include "core/rules/backprop.h"
#include "core/nn/loss.h"
#include "core/rules/rule_registry.h"
#include <torch/csrc/autograd/autograd.h>

namespace bp {

namespace {

at::Tensor activate(const Layer& layer, const at::Tensor& z) {
    switch (layer.activation) {
    case Activation::Sigmoid:
        return z.sigmoid();
    case Activation::Relu:
        return z.relu();
    case Activation::Identity:
        return z;
    }
    return z;
}

} // namespace

StepResult BackpropRule::step(Network& net, const at::Tensor& input, const at::Tensor& labels,
                              const StepOptions& options, GradientSink& sink) {
    std::vector<at::Tensor> params;
    for (Layer& layer : net.layers) {
        params.push_back(layer.weight.detach().requires_grad_(true));
        params.push_back(layer.bias.detach().requires_grad_(true));
    }
    const size_t n = net.layers.size();
    at::Tensor out;
    at::Tensor loss;
    // Measuring steps keep every layer's pre-activation z and output e: the same backward pass also gives
    // dL/dz, backprop's delta, for the signal histograms.
    std::vector<at::Tensor> pre, events;
    {
        at::AutoGradMode enable(true);
        at::Tensor h = input;
        for (size_t i = 0; i < n; ++i) {
            const Layer& layer = net.layers[i];
            h = layer.prepareInput(h);
            h = layer.isConv() ? at::conv2d(h, params[2 * i], params[2 * i + 1], {layer.stride, layer.stride},
                                            {layer.padding, layer.padding})
                               : at::addmm(params[2 * i + 1], h, params[2 * i].t());
            if (options.recordSignals)
                pre.push_back(h);
            h = activate(layer, h);
            if (options.recordSignals)
                events.push_back(h.detach());
        }
        out = h;
        if (net.output == OutputKind::Softmax) {
            loss = at::cross_entropy_loss(out, labels);
        } else {
            const at::Tensor target = oneHot(labels, net.classes, out.options());
            loss = (out - target).pow(2).mean();
        }
    }
    std::vector<at::Tensor> wrt = params;
    wrt.insert(wrt.end(), pre.begin(), pre.end());
    const auto grads = torch::autograd::grad({loss}, wrt);

    StepResult result;
    const at::Tensor output = out.detach();
    result.loss = loss.item<double>();
    result.correct = countCorrect(output, labels);
    if (net.output == OutputKind::Softmax)
        result.correctTop5 = countTopK(output, labels, 5);
    if (options.trace)
        options.trace->output = output.clone();

    if (options.recordSignals) { // no bursts: event rates and deltas (of the mean loss, as autograd's)
        result.signals.resize(n);
        for (size_t i = 0; i < n; ++i) {
            result.signals[i].e = events[i];
            result.signals[i].delta = grads[2 * n + i];
        }
    }
    for (size_t i = n; i-- > 0;) {
        LayerGradients g;
        g.weight = Gradient::of(grads[2 * i]);
        g.bias = grads[2 * i + 1];
        sink.gradientsReady(i, std::move(g));
    }
    return result;
}

const RuleInfo& backpropRule() {
    static const RuleInfo info = [] {
        RuleInfo r;
        r.name = "backprop";
        r.aliases = {"bp"};
        r.title = "Backprop";
        r.description = "Error backpropagation through autograd, the baseline; torch.optim.SGD at output_lr "
                        "on every layer, as the reference.";
        r.optimizer = OptimizerKind::Sgd;
        r.outputLrEverywhere = true;
        r.meanGradients = true;
        r.initGain = [](const RunConfig&) { return 3.6; };
        r.make = [](const RunConfig& c, uint64_t) { return std::make_unique<BackpropRule>(c); };
        return r;
    }();
    return info;
}

} // namespace bp

#include "core/rules/backprop.h"
#include <torch/csrc/autograd/autograd.h>

namespace bp {

namespace {

void sgdUpdate(at::Tensor& param, at::Tensor& buffer, const at::Tensor& grad, const RunConfig& c) {
    // torch's first step sets buf = g; a zero buffer gives the same: momentum·0 + g.
    at::Tensor g = c.weightDecay != 0.0 ? grad.add(param, c.weightDecay) : grad;
    buffer.mul_(c.momentum).add_(g);
    param.sub_(buffer, c.outputLr);
}

} // namespace

StepResult BackpropRule::step(Network& net, const at::Tensor& input, const at::Tensor& labels, bool /*measureAngles*/,
                              StepTrace* trace) {
    std::vector<at::Tensor> params;
    for (Layer& layer : net.layers) {
        params.push_back(layer.weight.detach().requires_grad_(true));
        params.push_back(layer.bias.detach().requires_grad_(true));
    }
    at::Tensor out;
    at::Tensor loss;
    {
        at::AutoGradMode enable(true);
        at::Tensor h = input;
        for (size_t i = 0; i < net.layers.size(); ++i) {
            const Layer& layer = net.layers[i];
            h = layer.prepareInput(h);
            h = layer.isConv() ? at::conv2d(h, params[2 * i], params[2 * i + 1], {layer.stride, layer.stride},
                                            {layer.padding, layer.padding})
                               : at::addmm(params[2 * i + 1], h, params[2 * i].t());
            h = h.sigmoid();
        }
        out = h;
        const at::Tensor target = oneHot(labels, net.classes, out.options());
        loss = (out - target).pow(2).mean();
    }
    const auto grads = torch::autograd::grad({loss}, params);

    StepResult result;
    const at::Tensor output = out.detach();
    result.loss = loss.item<double>();
    result.correct = countCorrect(output, labels);
    if (trace)
        trace->output = output.clone();

    at::NoGradGuard noGrad;
    for (size_t i = 0; i < net.layers.size(); ++i) {
        Layer& layer = net.layers[i];
        layer.ensureMomentumBuffers();
        sgdUpdate(layer.weight, layer.deltaWeight, grads[2 * i], config_);
        sgdUpdate(layer.bias, layer.deltaBias, grads[2 * i + 1], config_);
    }
    return result;
}

} // namespace bp

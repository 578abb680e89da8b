#include "core/nn/layer.h"
#include "core/nn/skinny_gemm.h"

namespace bp {

std::string toString(LayerKind kind) {
    switch (kind) {
    case LayerKind::Conv: return "conv";
    case LayerKind::Hidden: return "hidden";
    case LayerKind::Output: return "output";
    }
    return "?";
}

at::Tensor Layer::prepareInput(const at::Tensor& input) const {
    if (!isConv() && input.dim() > 2)
        return input.reshape({input.size(0), -1});
    return input;
}

at::Tensor Layer::preActivation(const at::Tensor& input) const {
    if (isConv())
        return at::conv2d(input, weight, bias, {stride, stride}, {padding, padding});
    return matmulTransposed(input, weight, bias); // x·Wᵀ + b
}

at::Tensor Layer::sendDown(const at::Tensor& signal, const at::Tensor& weights, const at::Tensor& input) const {
    if (isConv()) {
        auto grads = at::convolution_backward(signal, input, weights, c10::nullopt, {stride, stride},
                                              {padding, padding}, {1, 1}, false, {0, 0}, 1, {true, false, false});
        return std::get<0>(grads);
    }
    return signal.mm(weights);
}

at::Tensor Layer::weightGradient(const at::Tensor& delta, const at::Tensor& input) const {
    if (isConv()) {
        auto grads = at::convolution_backward(delta, input, weight, c10::nullopt, {stride, stride},
                                              {padding, padding}, {1, 1}, false, {0, 0}, 1, {false, true, false});
        return std::get<1>(grads);
    }
    return delta.t().mm(input);
}

at::Tensor Layer::biasGradient(const at::Tensor& delta) const {
    return isConv() ? delta.sum({0, 2, 3}) : delta.sum(0);
}

void Layer::ensureMomentumBuffers() {
    if (!deltaWeight.defined())
        deltaWeight = at::zeros_like(weight);
    if (!deltaBias.defined())
        deltaBias = at::zeros_like(bias);
}

} // namespace bp

#include "core/nn/layer.h"
#include "core/nn/sigmoid.h"
#include "core/nn/skinny_gemm.h"

namespace bp {

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

at::Tensor& Layer::activate(at::Tensor& z) const {
    switch (activation) {
    case Activation::Sigmoid:
        return sigmoidInPlace(z);
    case Activation::Relu:
        return z.relu_();
    case Activation::Identity:
        return z;
    }
    return z;
}

at::Tensor Layer::slope(const at::Tensor& e) const {
    switch (activation) {
    case Activation::Sigmoid:
        return e * (1.0 - e);
    case Activation::Relu:
        return e.gt(0).to(e.scalar_type());
    case Activation::Identity:
        return at::ones_like(e);
    }
    return at::ones_like(e);
}

at::Tensor Layer::sendDown(const at::Tensor& signal, const at::Tensor& weights,
                           const at::Tensor& input) const {
    if (isConv()) {
        auto grads =
            at::convolution_backward(signal, input, weights, c10::nullopt, {stride, stride},
                                     {padding, padding}, {1, 1}, false, {0, 0}, 1, {true, false, false});
        return std::get<0>(grads);
    }
    return signal.mm(weights);
}

at::Tensor Layer::weightGradient(const at::Tensor& delta, const at::Tensor& input) const {
    if (isConv()) {
        auto grads =
            at::convolution_backward(delta, input, weight, c10::nullopt, {stride, stride}, {padding, padding},
                                     {1, 1}, false, {0, 0}, 1, {false, true, false});
        return std::get<1>(grads);
    }
    return delta.t().mm(input);
}

at::Tensor Layer::biasGradient(const at::Tensor& delta) const {
    return isConv() ? delta.sum({0, 2, 3}) : delta.sum(0);
}

} // namespace bp

#include "core/nn/gradients.h"

namespace bp {

const at::Tensor& Gradient::materialize(const Layer& layer) {
    if (!dense.defined() && delta.defined()) {
        dense = layer.weightGradient(delta, input);
        if (scale != 1.0)
            dense.mul_(scale);
    }
    return dense;
}

const at::Tensor& LayerGradients::biasGradient(const Layer& layer) {
    if (!bias.defined() && weight.delta.defined()) { // given as a product (formed since or not)
        bias = layer.biasGradient(weight.delta);
        if (weight.scale != 1.0)
            bias.mul_(weight.scale);
    }
    return bias;
}

void LayerGradients::materialize(const Layer& layer) {
    biasGradient(layer);
    weight.materialize(layer);
    feedback.materialize(layer);
    if (recurrent.isProduct()) { // Z: scale · deltaᵀ·input, a plain product whatever the layer
        recurrent.dense = recurrent.delta.t().mm(recurrent.input);
        if (recurrent.scale != 1.0)
            recurrent.dense.mul_(recurrent.scale);
    }
}

} // namespace bp

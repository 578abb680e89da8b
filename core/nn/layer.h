#pragma once
#include "core/config/network_spec.h"
#include <ATen/ATen.h>
#include <string>

namespace bp {

// One weight layer of a network, with the tensors the learning rules keep on it. W has PyTorch's
// layout (out x in, or out x in x kh x kw), so checkpoints read like the reference's. Optimizer state
// (momentum buffers, Adam's moments) lives in the optimizer, not here.
struct Layer {
    LayerKind kind = LayerKind::Hidden;
    Activation activation = Activation::Sigmoid; // the output layer's follows the network's OutputKind
    int64_t stride = 1;                          // conv only
    int64_t padding = 0;                         // conv only

    at::Tensor weight; // W
    at::Tensor bias;   // b
    at::Tensor
        weightFa; // Y, feedback weights of W's shape (burstprop, feedback alignment); undefined otherwise
    at::Tensor weightR; // Z, recurrent weights (out x out), hidden FC layers with recurrent input

    bool isConv() const { return kind == LayerKind::Conv; }
    bool isOutput() const { return kind == LayerKind::Output; }

    // A fully connected layer flattens image-shaped input; a conv layer takes N x C x H x W.
    at::Tensor prepareInput(const at::Tensor& input) const;
    // W x + b, or the convolution, on a prepared input.
    at::Tensor preActivation(const at::Tensor& input) const;
    // The activation applied in place to a pre-activation (the output e of the layer).
    at::Tensor& activate(at::Tensor& preActivation) const;
    // f′ of the activation written through its output e: sigmoid e(1 − e), ReLU (e > 0), identity 1.
    at::Tensor slope(const at::Tensor& e) const;
    // The signal this layer sends to the layer below: signal (shaped like this layer's output)
    // through `weights` (W or Y) back to the shape of `input`: signal·weights, or the transposed
    // convolution. The result has the shape of the layer below's output.
    at::Tensor sendDown(const at::Tensor& signal, const at::Tensor& weights, const at::Tensor& input) const;
    // Σ over the batch of deltaᵀ·input (conv: the weight gradient of the convolution).
    at::Tensor weightGradient(const at::Tensor& delta, const at::Tensor& input) const;
    // Σ over the batch (and space for conv) of delta.
    at::Tensor biasGradient(const at::Tensor& delta) const;
};

} // namespace bp

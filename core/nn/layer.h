#pragma once
#include <ATen/ATen.h>
#include <string>

namespace bp {

enum class LayerKind { Conv, Hidden, Output };

// One weight layer of a sigmoid network, with everything the learning rules keep on it.
// W has PyTorch's layout (out x in, or out x in x kh x kw), so checkpoints read like the reference's.
struct Layer {
    LayerKind kind = LayerKind::Hidden;
    int64_t stride = 1;  // conv only
    int64_t padding = 0; // conv only

    at::Tensor weight;   // W
    at::Tensor bias;     // b
    at::Tensor weightFa; // Y, feedback weights (burstprop, feedback alignment); undefined otherwise
    at::Tensor weightR;  // Z, recurrent weights (out x out), hidden FC layers with recurrent input

    // Momentum buffers, zero until the first update. With learned feedback weights ΔY obeys the same
    // recurrence as ΔW from the same gradient and the same zero start, so ΔY = ΔW: one buffer serves both.
    at::Tensor deltaWeight;
    at::Tensor deltaBias;

    bool isConv() const { return kind == LayerKind::Conv; }
    bool isOutput() const { return kind == LayerKind::Output; }

    // A fully connected layer flattens image-shaped input; a conv layer takes N x C x H x W.
    at::Tensor prepareInput(const at::Tensor& input) const;
    // W x + b, or the convolution, on a prepared input.
    at::Tensor preActivation(const at::Tensor& input) const;
    // The signal this layer sends to the layer below: signal (shaped like this layer's output)
    // through `weights` (W or Y) back to the shape of `input`: signal·weights, or the transposed
    // convolution. The result has the shape of the layer below's output.
    at::Tensor sendDown(const at::Tensor& signal, const at::Tensor& weights, const at::Tensor& input) const;
    // Σ over the batch of deltaᵀ·input (conv: the weight gradient of the convolution).
    at::Tensor weightGradient(const at::Tensor& delta, const at::Tensor& input) const;
    // Σ over the batch (and space for conv) of delta.
    at::Tensor biasGradient(const at::Tensor& delta) const;

    // Zero momentum buffers when missing (first update).
    void ensureMomentumBuffers();
};

std::string toString(LayerKind kind);

} // namespace bp

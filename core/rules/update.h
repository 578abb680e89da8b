#pragma once
#include "core/nn/layer.h"

namespace bp {

struct UpdateSettings {
    double lr = 0.0;
    double momentum = 0.0;
    double weightDecay = 0.0;
    bool learnFeedback = false; // Y follows W's update (weight_fa_learning)
};

// The reference's update of W, b (and Y) from the summed gradients of a batch:
//   ΔW ← −lr·grad_W + momentum·ΔW;  W ← W + ΔW − weight_decay·W;  Δb ← −lr·grad_b + momentum·Δb;  b ← b + Δb;
//   with learned feedback: Y ← Y + ΔY − weight_decay·Y, where ΔY = ΔW (same recurrence, same gradient).
// An undefined delta is a zero gradient. For fully connected layers the gradient deltaᵀ·input is accumulated straight into ΔW by one GEMM.
void applyMomentumUpdate(Layer& layer, const at::Tensor& delta, const at::Tensor& input, const UpdateSettings& s);

// The same update restricted to output rows [first, first + count) of a fully connected layer, bias
// included. Rows are independent, so a layer's update can be split into cache-sized blocks that run
// concurrently: each block's ΔW rows are still in cache when W is updated from them.
void applyMomentumUpdateRows(Layer& layer, const at::Tensor& delta, const at::Tensor& input, const UpdateSettings& s,
                             int64_t first, int64_t count);

// Per-example angle in degrees between rows of a and b (flattened per example), averaged over the batch.
double meanRowAngle(const at::Tensor& a, const at::Tensor& b);
// Angle in degrees between two tensors flattened.
double tensorAngle(const at::Tensor& a, const at::Tensor& b);

} // namespace bp

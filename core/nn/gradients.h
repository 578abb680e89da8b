#pragma once
#include "core/nn/layer.h"
#include <ATen/ATen.h>
#include <cstddef>

namespace bp {

// A parameter's gradient of one step (a sum over the batch for the local rules), held either as a tensor
// or as the product that gives it, scale · deltaᵀ·input (a layer's weight gradient; conv layers: the
// weight gradient of the convolution of input and delta). The product form lets an optimizer fuse the GEMM
// into its update where that is faster; anything that needs the numbers calls materialize().
struct Gradient {
    at::Tensor dense;
    at::Tensor delta, input; // the product form, when dense is undefined
    double scale = 1.0;

    static Gradient of(at::Tensor g) { return Gradient{std::move(g), {}, {}, 1.0}; }
    static Gradient product(at::Tensor delta, at::Tensor input, double scale = 1.0) {
        return Gradient{{}, std::move(delta), std::move(input), scale};
    }
    bool defined() const { return dense.defined() || delta.defined(); }
    bool isProduct() const { return !dense.defined() && delta.defined(); }
    // The gradient as a tensor of the parameter's shape (computed once, then kept), for W of `layer`.
    const at::Tensor& materialize(const Layer& layer);
};

// One layer's gradients of a step, as a rule computes them. An undefined gradient is a zero one (an
// optimizer still applies momentum and decay where its semantics do).
struct LayerGradients {
    Gradient weight;   // grad_W
    at::Tensor bias;   // grad_b; undefined with a product-form weight gradient means Σ_batch delta·scale
    Gradient feedback; // grad_Y, when Y learns from a gradient of its own
    bool feedbackFollowsWeight = false; // Y learns with grad_Y = grad_W (the reference's learned feedback)
    Gradient recurrent;                 // grad_Z (burstprop's recurrent weights; square, FC)

    // Every gradient as a tensor (what a reduction across processes needs).
    void materialize(const Layer& layer);
    // grad_b, computed from the product form when it was not given.
    const at::Tensor& biasGradient(const Layer& layer);
};

// Where a rule hands its gradients: as soon as layer `index`'s are complete (top-down for burstprop), so
// that a reduction across processes can start while the rule works on the layers below. From that call
// until flush() the rule must not read that layer's parameters again: the update may happen at any time
// in between. flush() applies every update handed so far (the trainer calls it after each step; node
// perturbation's sub-steps call it to read the updated weights).
class GradientSink {
  public:
    virtual ~GradientSink() = default;
    virtual void gradientsReady(size_t index, LayerGradients gradients) = 0;
    virtual void flush() = 0;
};

} // namespace bp

#pragma once
#include "core/nn/kernel_path.h"
#include <ATen/ATen.h>

namespace bp {

// The elementwise part of a burstprop step, per layer (../shared/golden/README.md). On contiguous float32
// CPU tensors each function is one fused, vectorised pass; otherwise (CUDA) it is the same arithmetic in
// ATen operations (see KernelPath).

// The output layer's signals for one-hot targets from `labels` (int64 N) and baseline burst probability pb.
struct OutputSignals {
    double loss = 0.0;   // MSE between e and the one-hot target (mean over all elements)
    int64_t correct = 0; // rows whose largest e is the label (first maximum on ties)
    at::Tensor bursts;   // (2, N, C): b = pb·e and b_t = pb((t − e)(1 − e) + 1)·e
    at::Tensor delta;    // −(b_t − b)
    at::Tensor deltaBp;  // −(t − e) e (1 − e); only when asked
};
OutputSignals outputSignals(const at::Tensor& e, const at::Tensor& labels, double pb, bool wantDeltaBp,
                            KernelPath path = KernelPath::Auto);

// b_pre = sigmoid(f) e: the bursts that drive a hidden layer's recurrent inhibition.
at::Tensor recurrentDrive(const at::Tensor& f, const at::Tensor& e, KernelPath path = KernelPath::Auto);

// A hidden layer's signals from f = (f, f_t) as one (2, N, ...) tensor, its event rate e (N, ...), and
// its recurrent inhibition r = b_pre Zᵀ (undefined without recurrent input):
// u = f(1 − e) − r, p = sigmoid(u), b = p e for both halves; delta = −(b_t − b).
struct HiddenSignals {
    at::Tensor bursts; // (2, N, ...): b and b_t
    at::Tensor delta;  // (N, ...)
    at::Tensor u;      // (N, ...): u of the first half, for the recurrent weights' update; only when asked
};
HiddenSignals hiddenSignals(const at::Tensor& f, const at::Tensor& e, const at::Tensor& r, bool wantU,
                            KernelPath path = KernelPath::Auto);

// The ImageNet net's variants (../shared/golden/imagenet/README.md).
// A softmax output with baseline pb and κ: a = softmax(e); b = pb·a; b_t = min(pb(κ(t − a)/(a + 1e-8) + 1),
// 1)·a; delta = −(1/κ)(b_t − b); loss is the cross-entropy of e; deltaBp = a − t (the cross-entropy's
// gradient).
OutputSignals softmaxOutputSignals(const at::Tensor& e, const at::Tensor& labels, double pb, double kappa,
                                   bool wantDeltaBp);
// A ReLU layer's signals from f = (f, f_t) (2, N, ...) and its event rate e: with m = (e > 0),
// p = sigmoid(f·m/(e + 1e-8)) for both halves, b = p·e; delta = −(b_t − b). With undoKappaBy ≠ 1 (the layer
// right below a softmax output) f_t is first replaced by (1/κ)(f_t − f) + f, as undoKappa(). One fused pass
// on float32 CPU tensors.
HiddenSignals reluHiddenSignals(const at::Tensor& f, const at::Tensor& e, double undoKappaBy = 1.0,
                                KernelPath path = KernelPath::Auto);
// The layer right below a softmax output undoes κ on its teaching signal: f_t ← (1/κ)(f_t − f) + f.
at::Tensor undoKappa(const at::Tensor& f, double kappa);

} // namespace bp

#include "core/rules/burst_signals.h"
#include "core/nn/loss.h"
#include "core/nn/sigmoid.h"
#include "core/nn/vector_math.h"
#include <ATen/Parallel.h>

namespace bp {

namespace {

// Each pass below is as ATen computes the same formula, operation by operation (so results agree to the
// rounding of the sigmoid), in one loop over the elements.

BP_VECTOR_CLONES void recurrentDrivePass(const float* f, const float* e, float* out, int64_t n) {
#pragma omp simd
    for (int64_t i = 0; i < n; ++i)
        out[i] = vmath::sigmoid(f[i]) * e[i];
}

// One chunk [0, n) of a hidden layer: f and bursts hold both halves, the teaching half `half` elements
// after the first; e, r, delta and u are single. Without recurrent input r is absent; u is kept for
// the recurrent weights' update only when they learn.
template <bool Recurrent, bool KeepU>
inline void hiddenChunk(const float* f, const float* e, const float* r, float* bursts, float* delta, float* u,
                        int64_t n, int64_t half) {
#pragma omp simd
    for (int64_t i = 0; i < n; ++i) {
        const float oneMinusE = 1.0f - e[i];
        float u0 = f[i] * oneMinusE;
        float u1 = f[half + i] * oneMinusE;
        if constexpr (Recurrent) {
            u0 -= r[i];
            u1 -= r[i];
        }
        if constexpr (KeepU)
            u[i] = u0;
        const float b = vmath::sigmoid(u0) * e[i];
        const float bt = vmath::sigmoid(u1) * e[i];
        bursts[i] = b;
        bursts[half + i] = bt;
        delta[i] = b - bt;
    }
}

BP_VECTOR_CLONES void hiddenPlain(const float* f, const float* e, float* bursts, float* delta, int64_t n,
                                  int64_t half) {
    hiddenChunk<false, false>(f, e, nullptr, bursts, delta, nullptr, n, half);
}
BP_VECTOR_CLONES void hiddenRecurrent(const float* f, const float* e, const float* r, float* bursts,
                                      float* delta, int64_t n, int64_t half) {
    hiddenChunk<true, false>(f, e, r, bursts, delta, nullptr, n, half);
}
BP_VECTOR_CLONES void hiddenRecurrentKeepU(const float* f, const float* e, const float* r, float* bursts,
                                           float* delta, float* u, int64_t n, int64_t half) {
    hiddenChunk<true, true>(f, e, r, bursts, delta, u, n, half);
}

// One chunk of a ReLU layer (the ImageNet net): as reluHiddenSignals()'s ATen form, operation by operation.
template <bool UndoKappa>
inline void reluChunk(const float* f, const float* e, float* bursts, float* delta, int64_t n, int64_t half,
                      float inverseKappa) {
#pragma omp simd
    for (int64_t i = 0; i < n; ++i) {
        const float scale = (e[i] > 0.0f ? 1.0f : 0.0f) / (e[i] + 1e-8f);
        const float f0 = f[i];
        float f1 = f[half + i];
        if constexpr (UndoKappa)
            f1 = (f1 - f0) * inverseKappa + f0;
        const float b = vmath::sigmoid(f0 * scale) * e[i];
        const float bt = vmath::sigmoid(f1 * scale) * e[i];
        bursts[i] = b;
        bursts[half + i] = bt;
        delta[i] = b - bt;
    }
}
BP_VECTOR_CLONES void reluPlain(const float* f, const float* e, float* bursts, float* delta, int64_t n,
                                int64_t half) {
    reluChunk<false>(f, e, bursts, delta, n, half, 1.0f);
}
BP_VECTOR_CLONES void reluUndoKappa(const float* f, const float* e, float* bursts, float* delta, int64_t n,
                                    int64_t half, float inverseKappa) {
    reluChunk<true>(f, e, bursts, delta, n, half, inverseKappa);
}

template <typename F> void forChunks(int64_t n, F&& f) {
    at::parallel_for(0, n, at::internal::GRAIN_SIZE,
                     [&](int64_t begin, int64_t end) { f(begin, end - begin); });
}

} // namespace

OutputSignals outputSignals(const at::Tensor& e, const at::Tensor& labels, double pb, bool wantDeltaBp,
                            KernelPath path) {
    OutputSignals s;
    const at::Tensor labelsHere = labels.device() == e.device() ? labels : labels.to(e.device());
    if (!useFusedKernel(path, {&e}) || labels.scalar_type() != at::kLong || e.dim() != 2) {
        const at::Tensor target = oneHot(labelsHere, e.size(1), e.options());
        s.loss = outputLoss(OutputKind::Sigmoid, e, labelsHere);
        s.correct = countCorrect(e, labelsHere);
        const at::Tensor teach = (target - e).mul_(1.0 - e); // (t − e)(1 − e)
        s.bursts = at::stack({e * pb, teach.mul(pb).add_(pb).mul_(e)});
        s.delta = s.bursts[0] - s.bursts[1];
        if (wantDeltaBp)
            s.deltaBp = teach.mul(e).neg_();
        return s;
    }
    // A few hundred elements: one plain loop instead of a dozen tensor operations.
    const int64_t rows = e.size(0), classes = e.size(1);
    const at::Tensor labelsFlat = labelsHere.contiguous();
    const int64_t* label = labelsFlat.data_ptr<int64_t>();
    const float* ev = e.data_ptr<float>();
    s.bursts = at::empty({2, rows, classes}, e.options());
    s.delta = at::empty({rows, classes}, e.options());
    if (wantDeltaBp)
        s.deltaBp = at::empty({rows, classes}, e.options());
    float* b = s.bursts.data_ptr<float>();
    float* bt = b + rows * classes;
    float* delta = s.delta.data_ptr<float>();
    float* deltaBp = wantDeltaBp ? s.deltaBp.data_ptr<float>() : nullptr;
    const float p = static_cast<float>(pb);
    double squares = 0.0;
    for (int64_t i = 0; i < rows; ++i) {
        int64_t best = 0;
        for (int64_t c = 0; c < classes; ++c) {
            const int64_t k = i * classes + c;
            const float x = ev[k];
            const float t = c == label[i] ? 1.0f : 0.0f;
            const float teach = (t - x) * (1.0f - x);
            b[k] = x * p;
            bt[k] = (teach * p + p) * x;
            delta[k] = b[k] - bt[k];
            if (deltaBp)
                deltaBp[k] = -(teach * x);
            squares += static_cast<double>((x - t) * (x - t));
            if (x > ev[i * classes + best] || x != x) // NaN counts as the largest, as in argmax
                best = c;
        }
        s.correct += best == label[i];
    }
    s.loss = squares / static_cast<double>(rows * classes);
    return s;
}

at::Tensor recurrentDrive(const at::Tensor& f, const at::Tensor& e, KernelPath path) {
    if (!useFusedKernel(path, {&f, &e}))
        return at::sigmoid(f).mul_(e);
    at::Tensor out = at::empty_like(e);
    const float* fp = f.data_ptr<float>();
    const float* ep = e.data_ptr<float>();
    float* op = out.data_ptr<float>();
    forChunks(e.numel(), [&](int64_t first, int64_t count) {
        recurrentDrivePass(fp + first, ep + first, op + first, count);
    });
    return out;
}

HiddenSignals hiddenSignals(const at::Tensor& f, const at::Tensor& e, const at::Tensor& r, bool wantU,
                            KernelPath path) {
    HiddenSignals s;
    if (!useFusedKernel(path, {&f, &e, &r})) {
        at::Tensor u = f * (1.0 - e); // (2, N, ...): f(1 − e) and f_t(1 − e)
        if (r.defined())
            u.sub_(r);
        s.bursts = (wantU ? at::sigmoid(u) : u.sigmoid_()).mul_(e);
        s.delta = s.bursts[0] - s.bursts[1];
        if (wantU)
            s.u = u[0];
        return s;
    }
    const int64_t n = e.numel();
    s.bursts = at::empty_like(f);
    s.delta = at::empty_like(e);
    const float* fp = f.data_ptr<float>();
    const float* ep = e.data_ptr<float>();
    float* bp = s.bursts.data_ptr<float>();
    float* dp = s.delta.data_ptr<float>();
    if (!r.defined()) {
        if (wantU) // without recurrent input u is f(1 − e)
            s.u = f[0] * (1.0 - e);
        forChunks(n,
                  [&](int64_t i, int64_t count) { hiddenPlain(fp + i, ep + i, bp + i, dp + i, count, n); });
        return s;
    }
    const float* rp = r.data_ptr<float>();
    if (!wantU) {
        forChunks(n, [&](int64_t i, int64_t count) {
            hiddenRecurrent(fp + i, ep + i, rp + i, bp + i, dp + i, count, n);
        });
        return s;
    }
    s.u = at::empty_like(e);
    float* up = s.u.data_ptr<float>();
    forChunks(n, [&](int64_t i, int64_t count) {
        hiddenRecurrentKeepU(fp + i, ep + i, rp + i, bp + i, dp + i, up + i, count, n);
    });
    return s;
}

OutputSignals softmaxOutputSignals(const at::Tensor& e, const at::Tensor& labels, double pb, double kappa,
                                   bool wantDeltaBp) {
    OutputSignals s;
    const at::Tensor labelsHere = labels.device() == e.device() ? labels : labels.to(e.device());
    const at::Tensor target = oneHot(labelsHere, e.size(1), e.options());
    s.loss = outputLoss(OutputKind::Softmax, e, labelsHere);
    s.correct = countCorrect(e, labelsHere);
    const at::Tensor a = at::softmax(e, 1);
    const at::Tensor b = a * pb;
    const at::Tensor pt = ((target - a).mul_(kappa).div_(a + 1e-8).add_(1.0)).mul_(pb).clamp_max_(1.0);
    s.bursts = at::stack({b, pt.mul_(a)});
    s.delta = (s.bursts[1] - s.bursts[0]).mul_(-1.0 / kappa);
    if (wantDeltaBp)
        s.deltaBp = a - target;
    return s;
}

HiddenSignals reluHiddenSignals(const at::Tensor& fIn, const at::Tensor& e, double undoKappaBy,
                                KernelPath path) {
    HiddenSignals s;
    if (useFusedKernel(path, {&fIn, &e}) && fIn.size(0) == 2 && fIn[0].numel() == e.numel()) {
        const int64_t n = e.numel();
        s.bursts = at::empty(fIn.sizes(), e.options());
        s.delta = at::empty(e.sizes(), e.options());
        const float* f = fIn.data_ptr<float>();
        const float* ev = e.data_ptr<float>();
        float* b = s.bursts.data_ptr<float>();
        float* d = s.delta.data_ptr<float>();
        const bool undo = undoKappaBy != 1.0;
        const float inverse = static_cast<float>(1.0 / undoKappaBy);
        forChunks(n, [&](int64_t begin, int64_t count) {
            if (undo)
                reluUndoKappa(f + begin, ev + begin, b + begin, d + begin, count, n, inverse);
            else
                reluPlain(f + begin, ev + begin, b + begin, d + begin, count, n);
        });
        return s;
    }
    const at::Tensor f = undoKappaBy != 1.0 ? undoKappa(fIn, undoKappaBy) : fIn;
    const at::Tensor mask = e.gt(0).to(e.scalar_type());
    const at::Tensor scale = mask / (e + 1e-8);
    s.bursts = (f * scale).sigmoid_().mul_(e);
    s.delta = s.bursts[0] - s.bursts[1];
    return s;
}

at::Tensor undoKappa(const at::Tensor& f, double kappa) {
    at::Tensor out = f.clone();
    out[1].sub_(f[0]).mul_(1.0 / kappa).add_(f[0]);
    return out;
}

} // namespace bp

#include "core/rules/burstprop.h"
#include "core/rules/burst_signals.h"
#include "core/rules/task_group.h"
#include "core/rules/update.h"

namespace bp {

namespace {

// The burst rates b and b_t of a layer travel together as one (2, N, ...) tensor: the feedback
// weights then carry both in a single GEMM of twice the rows, and every elementwise step below
// handles both at once.
at::Tensor stackedShape(const at::Tensor& bursts, const at::Tensor& events) {
    std::vector<int64_t> shape{2};
    shape.insert(shape.end(), events.sizes().begin(), events.sizes().end());
    return bursts.view(shape);
}

// Both burst signals through `weights` to the layer below (returns (2N, ...) rows: b then b_t).
at::Tensor sendBurstsDown(const Layer& layer, const at::Tensor& bursts, const at::Tensor& input) {
    const int64_t n = input.size(0);
    if (!layer.isConv())
        return bursts.reshape({2 * n, -1}).mm(layer.weightFa);
    std::vector<int64_t> twice(input.sizes().begin(), input.sizes().end());
    twice[0] = 2 * n;
    const at::Tensor doubledInput = input.unsqueeze(0).expand({2, -1, -1, -1, -1}).reshape(twice);
    std::vector<int64_t> rows(bursts.sizes().begin() + 1, bursts.sizes().end());
    rows[0] = 2 * n;
    return layer.sendDown(bursts.reshape(rows), layer.weightFa, doubledInput);
}

// Blocks of output rows of at most about 1 MiB of W each, so that the two threads get balanced work
// (784-500-500-500-10: the first layer in two blocks, every other weight whole). Smaller blocks cost
// more than their cache locality gains: an update GEMM's inner dimension is only the batch size, so it
// runs at full speed only on many rows (Xeon, 2 threads: 64-row blocks 5,000-6,200 examples/s, 1 MiB
// blocks 8,000-8,700, whole layers the same).
template <typename F> void forRowBlocks(const at::Tensor& weight, F&& f) {
    constexpr int64_t kBlockBytes = int64_t{1} << 20;
    const int64_t rows = weight.size(0);
    const int64_t bytes = weight.numel() * static_cast<int64_t>(weight.element_size());
    const int64_t blocks = std::max<int64_t>(1, (bytes + kBlockBytes - 1) / kBlockBytes);
    for (int64_t b = 0; b < blocks; ++b) {
        const int64_t first = rows * b / blocks;
        f(first, rows * (b + 1) / blocks - first);
    }
}

} // namespace

StepResult BurstpropRule::step(Network& net, const at::Tensor& input, const at::Tensor& labels,
                               bool measureAngles, StepTrace* trace) {
    const size_t n = net.layers.size();
    const bool needBp = measureAngles || trace;
    forwardRecord(net, input, inputs_, events_);

    const at::Tensor& out = events_.back();
    StepResult result;
    if (trace) {
        trace->output = out.clone();
        trace->layers.assign(n, {});
    }

    // Output layer: p = p_b, p_t = p_b((t − e)(1 − e) + 1); b = p e, b_t = p_t e.
    OutputSignals top = outputSignals(out, labels, config_.pBaseline, needBp);
    result.loss = top.loss;
    result.correct = top.correct;
    at::Tensor bursts = std::move(top.bursts);
    at::Tensor delta = std::move(top.delta);
    at::Tensor deltaBp = std::move(top.deltaBp); // −(t − e) e (1 − e)

    TaskGroup updates;
    // Conv layers' weight gradients come from oneDNN, whose own parallel loops deadlock when entered from
    // inside another parallel region: their updates run after the others, with ATen's threading.
    TaskGroup convUpdates;
    std::vector<double> angles(n > 0 ? n - 1 : 0, 0.0);
    at::Tensor down; // the burst signals sent to the current layer from above, (2N, ...) rows
    for (size_t k = n; k-- > 0;) {
        Layer& layer = net.layers[k];
        const at::Tensor& e = events_[k];
        if (!layer.isOutput()) {
            // Hidden layer receiving (f, f_t) in `down` and f_bp in deltaBp.
            const at::Tensor f = stackedShape(down, e);
            const bool recurrent = config_.recurrentInput && layer.weightR.defined();
            const bool learnZ = recurrent && config_.weightRLearning;
            at::Tensor bPre, inhibition; // b_pre = sigmoid(f) e, and b_pre Zᵀ
            if (recurrent) {
                bPre = recurrentDrive(f[0], e);
                inhibition = bPre.mm(layer.weightR.t());
            }
            HiddenSignals h = hiddenSignals(f, e, inhibition, learnZ);
            bursts = std::move(h.bursts);
            delta = std::move(h.delta);
            if (learnZ) { // Z ← Z − lr_r·(−uᵀ b_pre), after this step's signals
                const at::Tensor u0 = h.u;
                Layer* l = &layer;
                const double lr = config_.recurrentLr;
                forRowBlocks(layer.weightR, [&](int64_t first, int64_t count) {
                    updates.add(static_cast<double>(count * l->weightR.size(1)), [=] {
                        l->weightR.narrow(0, first, count)
                            .addmm_(u0.narrow(1, first, count).t(), bPre, 1.0, lr);
                    });
                });
            }
            if (needBp)
                deltaBp = deltaBp.view(e.sizes()).mul(e).mul_(1.0 - e);
        }
        if (trace)
            trace->layers[k] = {e.clone(), delta.clone(), needBp ? deltaBp.clone() : at::Tensor()};
        if (measureAngles && !layer.isOutput())
            angles[k] = meanRowAngle(delta, deltaBp);

        // Signals for the layer below go through W and Y as they were before this step.
        const at::Tensor& x = inputs_[k];
        if (k > 0) {
            down = sendBurstsDown(layer, bursts, x);
            if (needBp)
                deltaBp = layer.sendDown(deltaBp, layer.weight, x);
        }
        UpdateSettings s;
        s.lr = layer.isOutput() ? config_.outputLr : config_.hiddenLr;
        s.momentum = config_.momentum;
        s.weightDecay = config_.weightDecay;
        s.learnFeedback = config_.weightFaLearning;
        Layer* l = &layer;
        if (layer.isConv()) {
            convUpdates.add(static_cast<double>(layer.weight.numel()),
                            [=] { applyMomentumUpdate(*l, delta, x, s); });
        } else {
            layer.ensureMomentumBuffers();
            forRowBlocks(layer.weight, [&](int64_t first, int64_t count) {
                updates.add(static_cast<double>(count * l->weight.size(1)),
                            [=] { applyMomentumUpdateRows(*l, delta, x, s, first, count); });
            });
        }
    }
    updates.run(out.device().is_cpu());
    convUpdates.run(false);
    if (measureAngles)
        result.deltaAngles = angles;
    return result;
}

} // namespace bp

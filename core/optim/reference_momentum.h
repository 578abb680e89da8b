#pragma once
#include "core/optim/optimizer.h"

namespace bp {

// The reference's update of W, b (and Y) from the summed gradients of a batch (../shared/golden/README.md):
//   ΔW ← −lr·grad_W + momentum·ΔW;  W ← W + ΔW − weight_decay·W;  Δb ← −lr·grad_b + momentum·Δb;  b ← b + Δb;
//   learned Y: ΔY ← −lr·grad_Y + momentum·ΔY; Y ← Y + ΔY − weight_decay·Y; when grad_Y = grad_W, ΔY = ΔW
//   (same recurrence, same start), so one buffer serves both; Z ← Z − recurrent_lr·grad_Z.
// An undefined gradient is a zero one: momentum and decay still act. State: layer<i>.delta_weight,
// .delta_bias (and .delta_weight_fa for a Y with a gradient of its own), zero until the first update.
//
// Fully connected layers are updated in blocks of rows that run concurrently, each block's ΔW rows still in
// cache when W is updated from them; a product-form gradient deltaᵀ·input goes straight into ΔW with one
// GEMM (ΔW ← momentum·ΔW − lr·deltaᵀ·input), never formed on its own.
class ReferenceMomentum : public Optimizer {
  public:
    using Optimizer::Optimizer;
    std::string name() const override { return "reference"; }
    void addUpdate(UpdateTasks& tasks, Layer& layer, size_t index,
                   std::shared_ptr<LayerGradients> gradients) override;
};

// Calls f(first, count) for blocks of output rows of at most about 1 MiB of `weight` each, so that two
// threads get balanced work (784-500-500-500-10: the first layer in two blocks, every other weight whole).
// Smaller blocks cost more than their cache locality gains: an update GEMM's inner dimension is only the
// batch size, so it runs at full speed only on many rows (Xeon, 2 threads: 64-row blocks 5,000-6,200
// examples/s, 1 MiB blocks 8,000-8,700, whole layers the same).
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

} // namespace bp

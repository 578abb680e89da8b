#include "core/data/augment.h"
#include "core/util/error.h"

namespace bp::data {
namespace {
constexpr int64_t kPad = 4; // torchvision RandomCrop(32, padding=4)
} // namespace

// Each output pixel (n, c, y, x) is padded[n, c, dy[n] + y, dx[n] + x'] with x' = x, or W-1-x when
// image n is flipped. So crop-and-flip is one gather on the whole batch, with no per-image work in
// C++, and it runs unchanged on the GPU.
at::Tensor augmentBatch(const at::Tensor& images, const at::Tensor& padValue, at::Generator& generator) {
    if (images.dim() != 4)
        throw Error("augmentBatch: expected an N x C x H x W batch, got " + std::to_string(images.dim()) +
                    " dimensions");
    const int64_t n = images.size(0), c = images.size(1), h = images.size(2), w = images.size(3);
    if (padValue.numel() != c)
        throw Error("augmentBatch: padValue has " + std::to_string(padValue.numel()) + " values for " +
                    std::to_string(c) + " channels");

    // Pad once for the batch: a canvas filled with each channel's zero pixel, the images inside.
    const at::Tensor fill = padValue.to(images.options()).reshape({1, c, 1, 1});
    at::Tensor padded = fill.expand({n, c, h + 2 * kPad, w + 2 * kPad}).contiguous();
    padded.narrow(2, kPad, h).narrow(3, kPad, w).copy_(images);

    // All randomness from the caller's generator (on its device), drawn in a fixed order: row offsets,
    // column offsets, flips. Offsets are 0..8, i.e. shifts of -4..+4 pixels.
    const auto drawOptions = at::TensorOptions().dtype(at::kLong).device(generator.device());
    const at::Tensor dy = at::randint(0, 2 * kPad + 1, {n}, generator, drawOptions).to(images.device());
    const at::Tensor dx = at::randint(0, 2 * kPad + 1, {n}, generator, drawOptions).to(images.device());
    const at::Tensor flip = at::randint(0, 2, {n}, generator, drawOptions).to(images.device());

    // Source index of every output pixel within its padded plane, then a single gather.
    const int64_t paddedWidth = w + 2 * kPad;
    const auto indexOptions = at::TensorOptions().dtype(at::kLong).device(images.device());
    const at::Tensor ys = at::arange(h, indexOptions).view({1, h, 1});
    const at::Tensor xs = at::arange(w, indexOptions).view({1, 1, w});
    const at::Tensor rows = dy.view({n, 1, 1}) + ys; // n x h x 1
    const at::Tensor cols =
        dx.view({n, 1, 1}) + at::where(flip.view({n, 1, 1}).eq(1), (w - 1) - xs, xs); // n x 1 x w
    const at::Tensor source = (rows * paddedWidth + cols).view({n, 1, h * w}).expand({n, c, h * w});
    return padded.view({n, c, (h + 2 * kPad) * paddedWidth}).gather(2, source).view({n, c, h, w});
}

} // namespace bp::data

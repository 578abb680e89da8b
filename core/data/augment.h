#pragma once
#include <ATen/ATen.h>

namespace bp::data {

// CIFAR training augmentation done on the whole batch at once: a random 32x32 crop of the image
// zero-padded by 4 pixels, then a horizontal flip with probability 1/2, independently per image.
// As torchvision (crop before normalise), the padding is zero in pixel space, which in the
// normalised images is (0 - mean) / std per channel: `padValue` holds those C values
// (normalisedZero() in dataset.h). Works for any N x C x H x W batch on any device.
// The random numbers come only from `generator`, drawn in this order (so a run is reproducible):
// at::randint(0, 9, {N}) row offsets dy, the same for column offsets dx, then at::randint(0, 2, {N})
// flips. Output pixel (n, c, y, x) is padded[n, c, dy + y, dx + x'] with x' = W-1-x when flipped.
at::Tensor augmentBatch(const at::Tensor& images, const at::Tensor& padValue, at::Generator& generator);

} // namespace bp::data

#pragma once
#include "core/nn/kernel_path.h"
#include <ATen/ATen.h>

namespace bp {

// sigmoid in place. Contiguous float32 CPU tensors take a vectorised kernel (split over ATen's threads
// above 32k elements); anything else (CUDA, other types) ATen's sigmoid_.
at::Tensor& sigmoidInPlace(at::Tensor& t);

} // namespace bp

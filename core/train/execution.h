#pragma once
#include <ATen/ATen.h>
#include <string>

namespace bp {

// Sets LibTorch's (and BLAS's) thread count: threads > 0, or every core. Returns the count set.
int applyThreadCount(int threads);
// "cpu", or "cuda"/"cuda:N" when LibTorch has CUDA; throws bp::Error otherwise.
at::Device resolveDevice(const std::string& name);

} // namespace bp

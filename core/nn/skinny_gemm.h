#pragma once
#include "core/nn/kernel_path.h"
#include <ATen/ATen.h>

namespace bp {

// a·bᵀ (+ bias added to every row) for a batch of few rows: the forward pass's x·Wᵀ + b of fully
// connected layers, with a of N × K (N = the batch, 32 by default) and b of out × K. (Burstprop's
// recurrent term b_pre·Zᵀ has the same shape but gained nothing from it inside the step: it stays with
// the BLAS.)
//
// For such shapes the BLAS spends much of its time copying b into its packed layout on every call and
// its threads wait on one another; this kernel reads b once, straight from memory, as dot products of
// rows (AVX-512, 4 rows of a × 6 rows of b held in 24 registers), and gives each thread its own rows of b.
// Each output is summed in the same order whatever the number of threads, so results do not depend on
// it. Taken when the path is Auto, the CPU has AVX-512F, a has at most kSkinnyRows rows, every tensor is
// contiguous float32 on the CPU outside autograd, and the calling thread flushes subnormals (as the trainer
// does, core/nn/denormals.h: multiplying whole vectors that hold subnormals, the kernel would be many
// times slower than the BLAS); ATen's addmm/mm otherwise (CUDA, float64, autograd, large batches, other
// CPUs, threads that keep subnormals).
at::Tensor matmulTransposed(const at::Tensor& a, const at::Tensor& b, const at::Tensor& bias = {},
                            KernelPath path = KernelPath::Auto);

// Whether matmulTransposed takes the kernel for these tensors, on this thread, now.
bool skinnyKernelTakes(const at::Tensor& a, const at::Tensor& b, const at::Tensor& bias = {},
                       KernelPath path = KernelPath::Auto);

// Rows of a up to which the kernel beats the BLAS (Xeon, 784-500 and 500-500: from 1.3× faster at 32
// rows, two threads, to even at 64).
constexpr int64_t kSkinnyRows = 48;

// Whether this build and CPU have the kernel (x86-64 with AVX-512F).
bool skinnyKernelAvailable();

} // namespace bp

#pragma once
#include <ATen/ATen.h>

namespace bp {

// Which implementation a hot-loop function takes. Auto: this project's fused, vectorised CPU kernels
// whenever every tensor involved is contiguous float32 on the CPU, ATen operations otherwise (CUDA).
// TensorOps forces the ATen formulation, so that tests can compare the two on the CPU.
enum class KernelPath { Auto, TensorOps };

// Contiguous float32 on the CPU, and outside autograd (the kernels write through raw pointers).
inline bool fusableOnCpu(const at::Tensor& t) {
    return t.defined() && t.device().is_cpu() && t.scalar_type() == at::kFloat && t.is_contiguous() &&
           !t.requires_grad();
}

// Whether `path` and every defined tensor in `tensors` allow the fused CPU kernels.
inline bool useFusedKernel(KernelPath path, std::initializer_list<const at::Tensor*> tensors) {
    if (path != KernelPath::Auto)
        return false;
    for (const at::Tensor* t : tensors)
        if (t->defined() && !fusableOnCpu(*t))
            return false;
    return true;
}

} // namespace bp

#pragma once
#include <ATen/ATen.h>

namespace bp {

// Which implementation a hot-loop function takes. Auto: this project's fused, vectorised CPU kernels
// whenever every tensor involved is contiguous float32 on the CPU, ATen operations otherwise (CUDA).
// TensorOps forces the ATen formulation, so that tests can compare the two on the CPU.
enum class KernelPath { Auto, TensorOps };

inline bool fusableOnCpu(const at::Tensor& t) {
    return t.defined() && t.device().is_cpu() && t.scalar_type() == at::kFloat && t.is_contiguous();
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

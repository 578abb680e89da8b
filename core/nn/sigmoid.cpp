#include "core/nn/sigmoid.h"
#include "core/nn/vector_math.h"
#include <ATen/Parallel.h>

namespace bp {

namespace {

BP_VECTOR_CLONES void sigmoidArray(float* data, int64_t n) {
#pragma omp simd
    for (int64_t i = 0; i < n; ++i)
        data[i] = vmath::sigmoid(data[i]);
}

} // namespace

at::Tensor& sigmoidInPlace(at::Tensor& t) {
    if (!fusableOnCpu(t))
        return t.sigmoid_();
    float* data = t.data_ptr<float>();
    at::parallel_for(0, t.numel(), at::internal::GRAIN_SIZE,
                     [&](int64_t begin, int64_t end) { sigmoidArray(data + begin, end - begin); });
    return t;
}

} // namespace bp

#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>

// Element functions written so that the compiler vectorises the loops that call them (no branches, no
// library calls), for the fused CPU kernels of the sigmoid networks. Accuracy as ATen's own sigmoid:
// relative error below 2.5e-7 over the float range, subnormal results included; NaN stays NaN, so a
// diverging run is still detected.

// Loops over these functions are compiled once per instruction set and picked at run time on x86-64
// (GCC/Clang function multi-versioning); elsewhere they are compiled once, for the build's target.
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(BURSTPROP_NO_CLONES)
#define BP_VECTOR_CLONES __attribute__((target_clones("default", "avx2", "avx512f")))
#else
#define BP_VECTOR_CLONES
#endif

namespace bp::vmath {

// exp(x) for x <= 0 (or NaN), subnormal results included, by range reduction x = n ln2 + r, |r| <= ln2/2,
// and Cephes' degree-6 polynomial for exp(r). Below -104 the result is 0 in float. Comparisons with NaN
// are false, so NaN passes through.
inline float expNonPositive(float x) {
    x = x < -104.0f ? -104.0f : x;
    // Round to nearest by adding and subtracting 1.5·2^23 (vectorises without SSE4.1's round).
    const float n = (x * 1.44269504088896341f + 12582912.0f) - 12582912.0f; // in [-150, 0]
    float r = x - n * 0.693359375f;                                         // ln2, high part (exact product)
    r = r - n * -2.12194440e-4f;                                            // ln2, low part
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * r * r + r + 1.0f;
    // 2^n as two normal factors 2^(n/2) 2^(n - n/2): the product rounds into the subnormal range correctly.
    // n is NaN when x is: converting NaN to int is undefined (UBSan), so it becomes 0; p keeps the NaN.
    const int32_t whole = static_cast<int32_t>(n >= -150.0f ? n : 0.0f);
    const int32_t half = whole >> 1;
    const int32_t bits1 = (half + 127) << 23;
    const int32_t bits2 = (whole - half + 127) << 23;
    float scale1, scale2;
    std::memcpy(&scale1, &bits1, sizeof scale1);
    std::memcpy(&scale2, &bits2, sizeof scale2);
    return p * scale1 * scale2;
}

// 1 / (1 + e^-x) for x >= 0 and e^x / (1 + e^x) below: the exponential never overflows, tiny results
// keep their relative accuracy, and ±inf give exactly 1 and 0.
inline float sigmoid(float x) {
    const float z = expNonPositive(-std::fabs(x));
    const float s = 1.0f / (1.0f + z);
    return x >= 0.0f ? s : z * s;
}

} // namespace bp::vmath

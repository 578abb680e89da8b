#include "core/nn/skinny_gemm.h"
#include "core/nn/denormals.h"
#include <ATen/Parallel.h>
#include <algorithm>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(BURSTPROP_NO_SKINNY_GEMM)
#define BP_SKINNY_GEMM 1
// GCC 12's AVX-512 intrinsics warn about their own _mm512_undefined_ps (GCC bug 105593, fixed in 12.3).
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#define BP_AVX512 __attribute__((target("avx512f")))
#endif

namespace bp {

#ifdef BP_SKINNY_GEMM
namespace {

constexpr int kTileRows = 4; // rows of a per tile
constexpr int kTileCols = 6; // rows of b (columns of the result) per tile

// The sum of a vector's 16 lanes in a fixed order: quarters (0 + 2) + (1 + 3), then lanes the same way.
BP_AVX512 inline float laneSum(__m512 v) {
    __m512 t = _mm512_add_ps(v, _mm512_shuffle_f32x4(v, v, _MM_SHUFFLE(1, 0, 3, 2)));
    t = _mm512_add_ps(t, _mm512_shuffle_f32x4(t, t, _MM_SHUFFLE(2, 3, 0, 1)));
    __m128 q = _mm512_castps512_ps128(t);
    q = _mm_add_ps(q, _mm_movehl_ps(q, q));
    q = _mm_add_ss(q, _mm_shuffle_ps(q, q, 1));
    return _mm_cvtss_f32(q);
}

// c[i][j] = Σ_k a[i][k]·b[j][k] (+ bias[j]) for an MR × NR tile. Lane l of each accumulator sums the
// k ≡ l (mod 16) terms in order, the last partial vector masked; every tile shape reduces its
// accumulators with the same function, so an output's value does not depend on the tile it falls in.
template <int MR, int NR>
BP_AVX512 inline void tile(int64_t K, const float* a, const float* b, const float* bias, float* c,
                           int64_t ldc) {
    __m512 acc[MR][NR];
    for (int i = 0; i < MR; ++i)
        for (int j = 0; j < NR; ++j)
            acc[i][j] = _mm512_setzero_ps();
    int64_t k = 0;
    for (; k + 16 <= K; k += 16) {
        __m512 bv[NR];
        for (int j = 0; j < NR; ++j)
            bv[j] = _mm512_loadu_ps(b + j * K + k);
        for (int i = 0; i < MR; ++i) {
            const __m512 av = _mm512_loadu_ps(a + i * K + k);
            for (int j = 0; j < NR; ++j)
                acc[i][j] = _mm512_fmadd_ps(av, bv[j], acc[i][j]);
        }
    }
    if (k < K) {
        const __mmask16 mask = static_cast<__mmask16>((1u << (K - k)) - 1u);
        __m512 bv[NR];
        for (int j = 0; j < NR; ++j)
            bv[j] = _mm512_maskz_loadu_ps(mask, b + j * K + k);
        for (int i = 0; i < MR; ++i) {
            const __m512 av = _mm512_maskz_loadu_ps(mask, a + i * K + k);
            for (int j = 0; j < NR; ++j)
                acc[i][j] = _mm512_fmadd_ps(av, bv[j], acc[i][j]);
        }
    }
    for (int i = 0; i < MR; ++i)
        for (int j = 0; j < NR; ++j) {
            const float sum = laneSum(acc[i][j]);
            c[i * ldc + j] = bias ? bias[j] + sum : sum;
        }
}

// Result columns [first, first + NR) (rows of b) for every row of a: full tiles, then the rows of a
// left over one at a time.
template <int NR>
BP_AVX512 void columnsOf(int64_t M, int64_t N, int64_t K, const float* a, const float* b, const float* bias,
                         float* c, int64_t first) {
    const float* const bj = b + first * K;
    const float* const biasj = bias ? bias + first : nullptr;
    int64_t i = 0;
    for (; i + kTileRows <= M; i += kTileRows)
        tile<kTileRows, NR>(K, a + i * K, bj, biasj, c + i * N + first, N);
    for (; i < M; ++i)
        tile<1, NR>(K, a + i * K, bj, biasj, c + i * N + first, N);
}

BP_AVX512 void skinnyGemm(int64_t M, int64_t N, int64_t K, const float* a, const float* b, const float* bias,
                          float* c) {
    // Units of kTileCols columns; the last may be partial. Threads take contiguous runs of whole units, so
    // which tile computes an output never depends on the number of threads.
    const int64_t units = (N + kTileCols - 1) / kTileCols;
    const int64_t perUnit = M * K * kTileCols; // multiply-adds
    const int64_t grain = std::max<int64_t>(1, (int64_t{1} << 18) / std::max<int64_t>(1, perUnit));
    at::parallel_for(0, units, grain, [&](int64_t begin, int64_t end) {
        for (int64_t u = begin; u < end; ++u) {
            const int64_t first = u * kTileCols;
            if (first + kTileCols <= N) {
                columnsOf<kTileCols>(M, N, K, a, b, bias, c, first);
            } else {
                for (int64_t j = first; j < N; ++j)
                    columnsOf<1>(M, N, K, a, b, bias, c, j);
            }
        }
    });
}

} // namespace
#endif

bool skinnyKernelAvailable() {
#ifdef BP_SKINNY_GEMM
    static const bool available = __builtin_cpu_supports("avx512f");
    return available;
#else
    return false;
#endif
}

bool skinnyKernelTakes(const at::Tensor& a, const at::Tensor& b, const at::Tensor& bias, KernelPath path) {
#ifdef BP_SKINNY_GEMM
    const bool shapesFit = a.dim() == 2 && b.dim() == 2 && a.size(1) == b.size(1) &&
                           a.size(0) <= kSkinnyRows && a.size(1) > 0 &&
                           (!bias.defined() || (bias.dim() == 1 && bias.size(0) == b.size(0)));
    return shapesFit && skinnyKernelAvailable() && useFusedKernel(path, {&a, &b, &bias}) &&
           FlushDenormals::activeOnThisThread();
#else
    (void)a, (void)b, (void)bias, (void)path;
    return false;
#endif
}

at::Tensor matmulTransposed(const at::Tensor& a, const at::Tensor& b, const at::Tensor& bias,
                            KernelPath path) {
#ifdef BP_SKINNY_GEMM
    if (skinnyKernelTakes(a, b, bias, path)) {
        const int64_t M = a.size(0), N = b.size(0), K = a.size(1);
        at::Tensor c = at::empty({M, N}, a.options());
        if (M > 0 && N > 0)
            skinnyGemm(M, N, K, a.data_ptr<float>(), b.data_ptr<float>(),
                       bias.defined() ? bias.data_ptr<float>() : nullptr, c.data_ptr<float>());
        return c;
    }
#endif
    return bias.defined() ? at::addmm(bias, a, b.t()) : a.mm(b.t());
}

} // namespace bp

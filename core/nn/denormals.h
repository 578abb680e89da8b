#pragma once

namespace bp {

// Flushes subnormal floats to zero (inputs read as zero, results written as zero: the x86 DAZ and FTZ
// bits) on the calling thread and on every thread of the OpenMP team that runs ATen's and the BLAS's
// parallel work, until destroyed; then the previous mode comes back. The trainer holds one while it trains,
// as torch.set_flush_denormal(True) would: saturated sigmoid units give events below 1.2e-38, and every
// multiply with one costs a microcode assist of a hundred cycles or more (a 32 × 500 by 500 × 500 product
// took OpenBLAS 1.2× as long with 0.1 % of its inputs subnormal, 1.8× with 1 %). Values that small change
// no sum they enter at float precision.
// No effect on other architectures, and on CUDA tensors.
class FlushDenormals {
  public:
    FlushDenormals();
    ~FlushDenormals();
    FlushDenormals(const FlushDenormals&) = delete;
    FlushDenormals& operator=(const FlushDenormals&) = delete;

    // Sets the mode again on the OpenMP team, after its number of threads changed.
    void applyToTeam();
    // Whether the calling thread flushes subnormals now (a few cycles: read on every skinny GEMM call).
    static bool activeOnThisThread();
    // Whether the calling thread and every thread of the team flush subnormals now.
    static bool activeOnTeam();

  private:
    unsigned saved_ = 0;
};

} // namespace bp

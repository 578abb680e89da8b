#include "core/nn/denormals.h"
#include <ATen/Parallel.h>
#include <atomic>

#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#define BP_HAS_MXCSR 1
#endif

namespace bp {

namespace {

#ifdef BP_HAS_MXCSR
constexpr unsigned kFlushBits = 0x8040; // FTZ (bit 15) and DAZ (bit 6) of MXCSR

void setFlushBits(unsigned bits) {
    _mm_setcsr((_mm_getcsr() & ~kFlushBits) | bits);
}

// Runs f once on each thread of a team as large as ATen's.
template <typename F> void onEveryTeamThread(F&& f) {
#pragma omp parallel num_threads(at::get_num_threads())
    f();
}
#endif

} // namespace

FlushDenormals::FlushDenormals() {
#ifdef BP_HAS_MXCSR
    saved_ = _mm_getcsr() & kFlushBits;
    setFlushBits(kFlushBits);
    applyToTeam();
#endif
}

FlushDenormals::~FlushDenormals() {
#ifdef BP_HAS_MXCSR
    const unsigned saved = saved_;
    onEveryTeamThread([saved] { setFlushBits(saved); });
    setFlushBits(saved);
#endif
}

void FlushDenormals::applyToTeam() {
#ifdef BP_HAS_MXCSR
    onEveryTeamThread([] { setFlushBits(kFlushBits); });
#endif
}

bool FlushDenormals::activeOnThisThread() {
#ifdef BP_HAS_MXCSR
    return (_mm_getcsr() & kFlushBits) == kFlushBits;
#else
    return false;
#endif
}

bool FlushDenormals::activeOnTeam() {
#ifdef BP_HAS_MXCSR
    std::atomic<bool> all{activeOnThisThread()};
    onEveryTeamThread([&all] {
        if (!activeOnThisThread())
            all = false;
    });
    return all;
#else
    return false;
#endif
}

} // namespace bp

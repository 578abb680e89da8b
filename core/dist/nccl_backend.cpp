// c10d's NCCL backend, for CUDA builds of LibTorch that have it. CMake compiles this file (and only this one)
// with USE_C10D_NCCL and the NCCL and CUDA headers when it finds them (core/dist/CMakeLists.txt); otherwise
// it says why NCCL is not there.
#include "core/dist/c10d_backend.h"
#include "core/dist/process_group.h"
#include "core/util/error.h"
#include <cstdlib>
#ifdef USE_C10D_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

namespace bp::dist {

bool ncclAvailable() {
#ifdef USE_C10D_NCCL
    return true;
#else
    return false;
#endif
}

c10::intrusive_ptr<BackendBase> makeNcclBackend(const c10::intrusive_ptr<c10d::Store>& store, int rank,
                                                int size, std::chrono::milliseconds timeout) {
#ifdef USE_C10D_NCCL
    // Without a blocking wait, ProcessGroupNCCL's wait() only orders CUDA streams: a lost peer would hang the
    // next copy to the host instead of failing within the timeout. LibTorch 1.13 reads NCCL_BLOCKING_WAIT,
    // 2.x TORCH_NCCL_BLOCKING_WAIT; a user's own setting stands.
    for (const char* name : {"NCCL_BLOCKING_WAIT", "TORCH_NCCL_BLOCKING_WAIT"})
        if (!std::getenv(name))
            setenv(name, "1", 0);
    auto options = c10d::ProcessGroupNCCL::Options::create();
    options->timeout = timeout;
    return c10::make_intrusive<c10d::ProcessGroupNCCL>(store, rank, size, options);
#else
    (void)store;
    (void)rank;
    (void)size;
    (void)timeout;
    throw Error("--backend nccl: this burstprop-train was built without NCCL (it needs a CUDA LibTorch "
                "with NCCL, and nccl.h at build time: see docs/distributed.md); use --backend gloo");
#endif
}

} // namespace bp::dist

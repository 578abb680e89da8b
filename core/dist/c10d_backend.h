#pragma once
// Inside core/dist only: the c10d class that a collective backend is in this LibTorch, and the NCCL backend's
// construction (core/dist/nccl_backend.cpp, the one file compiled with NCCL's and CUDA's headers).
#include <chrono>
#include <torch/csrc/distributed/c10d/Store.hpp>
#include <torch/version.h>
#if TORCH_VERSION_MAJOR >= 2
#include <torch/csrc/distributed/c10d/Backend.hpp>
#else
#include <torch/csrc/distributed/c10d/ProcessGroup.hpp>
#endif

namespace bp::dist {

#if TORCH_VERSION_MAJOR >= 2
using BackendBase =
    c10d::Backend; // 2.x: ProcessGroupGloo and ProcessGroupNCCL are Backends of a ProcessGroup
#else
using BackendBase = c10d::ProcessGroup; // 1.13: they are ProcessGroups themselves
#endif

// ProcessGroupNCCL over store, with collectives that give up after timeout (blocking waits, so that a lost
// rank becomes an error here rather than a hang or an abort of the process). Throws bp::Error when this
// program was built without NCCL (ncclAvailable() false).
c10::intrusive_ptr<BackendBase> makeNcclBackend(const c10::intrusive_ptr<c10d::Store>& store, int rank,
                                                int size, std::chrono::milliseconds timeout);

} // namespace bp::dist

#pragma once
#include <ATen/ATen.h>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <torch/csrc/distributed/c10d/Work.hpp>
#include <vector>

namespace bp::dist {

struct GroupOptions {
    std::string masterAddr = "127.0.0.1";
    int masterPort = 29500;
    int rank = 0;
    int worldSize = 1;
    // How long the rendezvous and each collective may take before the group gives up.
    std::chrono::milliseconds timeout{std::chrono::minutes(5)};
    // "gloo" (CPU tensors, and CUDA tensors where Gloo was built with CUDA) or "nccl" (CUDA tensors on
    // cuda:cudaDevice; only in builds where ncclAvailable()).
    std::string backend = "gloo";
    int cudaDevice = 0;
};

// Whether this program was built with c10d's NCCL backend (a CUDA LibTorch with NCCL and its headers).
bool ncclAvailable();

// A group of processes on c10d: a TCPStore at masterAddr:masterPort (rank 0 serves it) for the rendezvous,
// ProcessGroupGloo (or ProcessGroupNCCL, options.backend) for the collectives. The one place that knows how
// c10d's classes differ between LibTorch 1.13 (the backends are ProcessGroups) and 2.x (they are Backends).
// With NCCL the small host-side collectives below (sum, allgather, broadcast) travel through the group's GPU.
// Every failure — the rendezvous not reached within the timeout, a peer lost, a collective timing out — is a
// bp::Error naming the address and port and, where it can be told, the rank.
class ProcessGroup {
  public:
    explicit ProcessGroup(const GroupOptions& options);
    ~ProcessGroup();
    ProcessGroup(const ProcessGroup&) = delete;
    ProcessGroup& operator=(const ProcessGroup&) = delete;

    int rank() const { return options_.rank; }
    int size() const { return options_.worldSize; }
    std::string address() const; // "host:port" of the rendezvous
    const std::string& backend() const { return options_.backend; }
    std::chrono::milliseconds timeout() const { return options_.timeout; }

    // Starts summing the tensors (in place) across the group; wait(work) before reading them.
    c10::intrusive_ptr<c10d::Work> allreduceSum(std::vector<at::Tensor>& tensors);
    // Waits for work started here; a failure becomes a bp::Error as above.
    void wait(const c10::intrusive_ptr<c10d::Work>& work, const std::string& what);
    void barrier();
    // Rank root's tensor into every rank's (a small CPU tensor).
    void broadcast(at::Tensor& tensor, int root = 0);
    // Every rank's value, by rank (e.g. a hash of the configuration, to check that every rank runs the same).
    std::vector<uint64_t> allgather(uint64_t value);
    // Every rank's text, by rank, through the rendezvous store under `key` (each rank's configuration, its
    // host name). Blocks until every rank has given its own, at most the timeout.
    std::vector<std::string> exchange(const std::string& key, const std::string& text);
    // Sums numbers across the group (blocking).
    void sum(std::vector<double>& values);

    // The message of a c10d failure while doing `what`, as a bp::Error's text, naming the lost ranks.
    std::string describeFailure(const std::string& what, const std::exception& e) const;

  private:
    // The ranks that did not say, within a few seconds, that they saw the group fail ("rank 2", "ranks 1 and
    // 3"); asked once through the rendezvous store, then remembered. "rank 0 (its rendezvous store is gone)"
    // when the store is gone.
    std::string lostRanks() const;

    struct Impl;
    GroupOptions options_;
    std::unique_ptr<Impl> impl_;
};

} // namespace bp::dist

// The adapter over c10d: the only file that names its classes' version-dependent parts.
#include "core/dist/process_group.h"
#include "core/util/error.h"
#include "core/util/number_text.h"
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <torch/version.h>

namespace bp::dist {

#if TORCH_VERSION_MAJOR >= 2
using GlooBase = c10d::Backend; // 2.x: ProcessGroupGloo is a Backend of a ProcessGroup
#else
using GlooBase = c10d::ProcessGroup; // 1.13: ProcessGroupGloo is a ProcessGroup
#endif

struct ProcessGroup::Impl {
    c10::intrusive_ptr<c10d::Store> store;
    c10::intrusive_ptr<GlooBase> gloo;
};

namespace {

std::string firstLine(const std::exception& e) {
    std::string what = e.what();
    return what.substr(0, what.find('\n'));
}

std::string secondsText(std::chrono::milliseconds timeout) {
    return formatNumber(static_cast<double>(timeout.count()) / 1000.0, 6) + " s"; // C numbers in any locale
}

bool isLoopback(const std::string& host) {
    return host == "localhost" || host.rfind("127.", 0) == 0 || host == "::1";
}

} // namespace

std::string ProcessGroup::address() const {
    return options_.masterAddr + ":" + std::to_string(options_.masterPort);
}

std::string ProcessGroup::describeFailure(const std::string& what, const std::exception& e) const {
    std::string peer = "a peer";
    if (options_.worldSize == 2)
        peer = "rank " + std::to_string(1 - options_.rank);
    return "data-parallel group at " + address() + ": rank " + std::to_string(options_.rank) + " of " +
           std::to_string(options_.worldSize) + " failed while " + what + " (" + peer +
           " stopped answering or left within " + secondsText(options_.timeout) + "): " + firstLine(e);
}

ProcessGroup::ProcessGroup(const GroupOptions& options) : options_(options), impl_(std::make_unique<Impl>()) {
    if (options.worldSize < 1 || options.rank < 0 || options.rank >= options.worldSize)
        throw Error("rank " + std::to_string(options.rank) + " is not in a group of " +
                    std::to_string(options.worldSize));
    if (options.masterPort < 1 || options.masterPort > 65535)
        throw Error("the rendezvous port " + std::to_string(options.masterPort) + " is not from 1 to 65535");
    const std::string within = " within " + secondsText(options.timeout);
    try {
        c10d::TCPStoreOptions store;
        store.port = static_cast<std::uint16_t>(options.masterPort);
        store.isServer = options.rank == 0;
        store.numWorkers = static_cast<std::size_t>(options.worldSize);
        store.waitWorkers = true;
        store.timeout = options.timeout;
        impl_->store = c10::make_intrusive<c10d::TCPStore>(options.masterAddr, store);
    } catch (const std::exception& e) {
        throw Error("rank " + std::to_string(options.rank) + " of " + std::to_string(options.worldSize) +
                    " could not reach the rendezvous at " + address() + within +
                    (options.rank == 0 ? " (rank 0 serves it; every rank must start)" : "") + ": " +
                    firstLine(e));
    }
    try {
        auto glooOptions = c10d::ProcessGroupGloo::Options::create(options.timeout);
        const char* interface = std::getenv("GLOO_SOCKET_IFNAME");
        if (interface && *interface)
            glooOptions->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(interface));
        else if (isLoopback(options.masterAddr))
            glooOptions->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1"));
        else
            glooOptions->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
        impl_->gloo = c10::make_intrusive<c10d::ProcessGroupGloo>(impl_->store, options.rank,
                                                                  options.worldSize, glooOptions);
    } catch (const std::exception& e) {
        throw Error("rank " + std::to_string(options.rank) + " of " + std::to_string(options.worldSize) +
                    " could not connect to the other ranks of the group at " + address() + within + ": " +
                    firstLine(e));
    }
}

ProcessGroup::~ProcessGroup() = default;

c10::intrusive_ptr<c10d::Work> ProcessGroup::allreduceSum(std::vector<at::Tensor>& tensors) {
    try {
        c10d::AllreduceOptions o;
        o.reduceOp = c10d::ReduceOp::SUM;
        return impl_->gloo->allreduce(tensors, o);
    } catch (const std::exception& e) {
        throw Interruption(describeFailure("starting an allreduce", e));
    }
}

void ProcessGroup::wait(const c10::intrusive_ptr<c10d::Work>& work, const std::string& what) {
    try {
        work->wait(options_.timeout);
    } catch (const std::exception& e) {
        throw Interruption(describeFailure(what, e));
    }
}

void ProcessGroup::barrier() {
    c10::intrusive_ptr<c10d::Work> work;
    try {
        work = impl_->gloo->barrier();
    } catch (const std::exception& e) {
        throw Interruption(describeFailure("at a barrier", e));
    }
    wait(work, "at a barrier");
}

void ProcessGroup::broadcast(at::Tensor& tensor, int root) {
    std::vector<at::Tensor> tensors{tensor};
    c10::intrusive_ptr<c10d::Work> work;
    try {
        c10d::BroadcastOptions o;
        o.rootRank = root;
        work = impl_->gloo->broadcast(tensors, o);
    } catch (const std::exception& e) {
        throw Interruption(describeFailure("broadcasting", e));
    }
    wait(work, "broadcasting");
}

std::vector<uint64_t> ProcessGroup::allgather(uint64_t value) {
    at::Tensor mine = at::empty({1}, at::kLong);
    std::memcpy(mine.data_ptr<int64_t>(), &value, sizeof value);
    std::vector<at::Tensor> outputs;
    for (int r = 0; r < options_.worldSize; ++r)
        outputs.push_back(at::empty({1}, at::kLong));
    std::vector<std::vector<at::Tensor>> out{outputs};
    std::vector<at::Tensor> in{mine};
    c10::intrusive_ptr<c10d::Work> work;
    try {
        work = impl_->gloo->allgather(out, in);
    } catch (const std::exception& e) {
        throw Interruption(describeFailure("gathering values", e));
    }
    wait(work, "gathering values");
    std::vector<uint64_t> values(options_.worldSize);
    for (int r = 0; r < options_.worldSize; ++r)
        std::memcpy(&values[r], out[0][r].data_ptr<int64_t>(), sizeof(uint64_t));
    return values;
}

std::vector<std::string> ProcessGroup::exchange(const std::string& key, const std::string& text) {
    std::vector<std::string> texts(static_cast<size_t>(options_.worldSize));
    try {
        impl_->store->set(key + "/" + std::to_string(options_.rank),
                          std::vector<uint8_t>(text.begin(), text.end()));
        for (int r = 0; r < options_.worldSize; ++r) {
            const std::vector<uint8_t> bytes = impl_->store->get(key + "/" + std::to_string(r));
            texts[static_cast<size_t>(r)].assign(bytes.begin(), bytes.end());
        }
    } catch (const std::exception& e) {
        throw Interruption(describeFailure("exchanging " + key, e));
    }
    return texts;
}

void ProcessGroup::sum(std::vector<double>& values) {
    if (values.empty())
        return;
    at::Tensor t = at::from_blob(values.data(), {static_cast<int64_t>(values.size())}, at::kDouble);
    std::vector<at::Tensor> tensors{t};
    wait(allreduceSum(tensors), "summing across the group");
}

} // namespace bp::dist

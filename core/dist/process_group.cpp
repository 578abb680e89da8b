// The adapter over c10d: the only file that names its classes' version-dependent parts.
#include "core/dist/process_group.h"
#include "core/dist/c10d_backend.h"
#include "core/util/error.h"
#include "core/util/number_text.h"
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

namespace bp::dist {

struct ProcessGroup::Impl {
    c10::intrusive_ptr<c10d::Store> store;
    c10::intrusive_ptr<BackendBase> backend;
    at::Device device{at::kCPU}; // where the backend's tensors live: the CPU, or cuda:N for NCCL
    std::string lost;            // the ranks found lost after the first failure ("rank 2")

    at::Tensor onDevice(const at::Tensor& t) const { return device.is_cpu() ? t : t.to(device); }
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
    return "data-parallel group at " + address() + ": rank " + std::to_string(options_.rank) + " of " +
           std::to_string(options_.worldSize) + " failed while " + what + " (" + lostRanks() +
           " stopped answering or left within " + secondsText(options_.timeout) + "): " + firstLine(e);
}

std::string ProcessGroup::lostRanks() const {
    if (options_.worldSize == 2)
        return "rank " + std::to_string(1 - options_.rank);
    if (!impl_->lost.empty())
        return impl_->lost;
    // c10d's errors name a socket's address, not a rank. Ask instead: every rank that sees the group fail
    // says so through the rendezvous store, and waits a moment for the others; who does not answer is lost.
    // The store is rank 0's: if it is gone, so is rank 0.
    const auto patience = std::min<std::chrono::milliseconds>(options_.timeout, std::chrono::seconds(3));
    std::string lost;
    try {
        impl_->store->setTimeout(patience);
        impl_->store->set("failure-seen/" + std::to_string(options_.rank), std::vector<uint8_t>{1});
        std::vector<int> silent;
        const auto deadline = std::chrono::steady_clock::now() + patience;
        do {
            silent.clear();
            for (int r = 0; r < options_.worldSize; ++r)
                if (r != options_.rank && !impl_->store->check({"failure-seen/" + std::to_string(r)}))
                    silent.push_back(r);
            if (silent.empty())
                break;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        } while (std::chrono::steady_clock::now() < deadline);
        for (size_t i = 0; i < silent.size(); ++i)
            lost += (i == 0 ? "rank " : i + 1 == silent.size() ? " and " : ", ") + std::to_string(silent[i]);
        if (silent.size() > 1)
            lost.replace(0, 5, "ranks ");
    } catch (const std::exception&) {
        lost = "rank 0 (its rendezvous store is gone)";
    }
    impl_->lost = lost.empty() ? "a peer" : lost;
    return impl_->lost;
}

ProcessGroup::ProcessGroup(const GroupOptions& options) : options_(options), impl_(std::make_unique<Impl>()) {
    if (options.worldSize < 1 || options.rank < 0 || options.rank >= options.worldSize)
        throw Error("rank " + std::to_string(options.rank) + " is not in a group of " +
                    std::to_string(options.worldSize));
    if (options.backend != "gloo" && options.backend != "nccl")
        throw Error("'" + options.backend + "' is not a data-parallel backend (gloo or nccl)");
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
    if (options.backend == "nccl") {
        impl_->device = at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(options.cudaDevice));
        try {
            impl_->backend = makeNcclBackend(impl_->store, options.rank, options.worldSize, options.timeout);
        } catch (const Error&) {
            throw;
        } catch (const std::exception& e) {
            throw Error("rank " + std::to_string(options.rank) + " of " + std::to_string(options.worldSize) +
                        " could not start NCCL on cuda:" + std::to_string(options.cudaDevice) + ": " +
                        firstLine(e));
        }
        return;
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
        impl_->backend = c10::make_intrusive<c10d::ProcessGroupGloo>(impl_->store, options.rank,
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
        return impl_->backend->allreduce(tensors, o);
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
        work = impl_->backend->barrier();
    } catch (const std::exception& e) {
        throw Interruption(describeFailure("at a barrier", e));
    }
    wait(work, "at a barrier");
}

void ProcessGroup::broadcast(at::Tensor& tensor, int root) {
    std::vector<at::Tensor> tensors{impl_->onDevice(tensor)};
    c10::intrusive_ptr<c10d::Work> work;
    try {
        c10d::BroadcastOptions o;
        o.rootRank = root;
        work = impl_->backend->broadcast(tensors, o);
    } catch (const std::exception& e) {
        throw Interruption(describeFailure("broadcasting", e));
    }
    wait(work, "broadcasting");
    if (!tensors[0].is_same(tensor))
        tensor.copy_(tensors[0]);
}

std::vector<uint64_t> ProcessGroup::allgather(uint64_t value) {
    at::Tensor host = at::empty({1}, at::kLong);
    std::memcpy(host.data_ptr<int64_t>(), &value, sizeof value);
    at::Tensor mine = impl_->onDevice(host);
    std::vector<at::Tensor> outputs;
    for (int r = 0; r < options_.worldSize; ++r)
        outputs.push_back(at::empty({1}, mine.options()));
    std::vector<std::vector<at::Tensor>> out{outputs};
    std::vector<at::Tensor> in{mine};
    c10::intrusive_ptr<c10d::Work> work;
    try {
        work = impl_->backend->allgather(out, in);
    } catch (const std::exception& e) {
        throw Interruption(describeFailure("gathering values", e));
    }
    wait(work, "gathering values");
    std::vector<uint64_t> values(options_.worldSize);
    for (int r = 0; r < options_.worldSize; ++r) {
        const at::Tensor got = out[0][static_cast<size_t>(r)].cpu();
        std::memcpy(&values[static_cast<size_t>(r)], got.data_ptr<int64_t>(), sizeof(uint64_t));
    }
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
    at::Tensor host = at::from_blob(values.data(), {static_cast<int64_t>(values.size())}, at::kDouble);
    std::vector<at::Tensor> tensors{impl_->onDevice(host)};
    wait(allreduceSum(tensors), "summing across the group");
    if (!tensors[0].is_same(host))
        host.copy_(tensors[0]); // back from the GPU (NCCL)
}

} // namespace bp::dist

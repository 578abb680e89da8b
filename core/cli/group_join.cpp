#include "core/cli/group_join.h"
#include "core/config/hyperparameters.h"
#include "core/util/error.h"
#include "core/util/system_info.h"
#include <cstdlib>
#include <nlohmann/json.hpp>

namespace bp {

std::string GroupMember::describe() const {
    std::string on;
    for (const std::string& h : hosts)
        if (on.find(h) == std::string::npos)
            on += (on.empty() ? "" : ", ") + h;
    return std::to_string(worldSize()) + " processes (" + backend + ") on " + on + "; rendezvous " +
           group->address();
}

std::string sharedConfiguration(const RunConfig& config) {
    nlohmann::json j = nlohmann::json::parse(toJson(config));
    for (const char* key : {"threads", "device", "data_dir", "loader_threads", "download", "mirror"})
        j.erase(key);
    return j.dump();
}

std::string configurationMismatch(const std::vector<std::string>& configurations) {
    if (configurations.empty())
        return {};
    const nlohmann::json first = nlohmann::json::parse(configurations[0]);
    std::string message;
    for (size_t r = 1; r < configurations.size(); ++r) {
        if (configurations[r] == configurations[0])
            continue;
        const nlohmann::json other = nlohmann::json::parse(configurations[r]);
        std::string keys;
        for (auto it = other.begin(); it != other.end(); ++it) {
            const auto there = first.find(it.key());
            if (there == first.end() || *there != it.value())
                keys += (keys.empty() ? "" : ", ") + it.key() + " " + it.value().dump() +
                        " (rank 0: " + (there == first.end() ? std::string("none") : there->dump()) + ")";
        }
        message += (message.empty() ? "" : "; ") + std::string("rank ") + std::to_string(r) + " was given " +
                   (keys.empty() ? "another configuration" : keys);
    }
    if (message.empty())
        return {};
    return "the ranks of this data-parallel run were given different configurations: " + message +
           ". Give every rank the same options (only --threads, --device, --data-dir and --loader-threads "
           "may "
           "differ)";
}

void requireEveryRankReady(GroupMember& member, const std::string& round, const std::string& failure) {
    const std::vector<std::string> failures = member.group->exchange("ready-" + round, failure);
    if (!failure.empty())
        throw Error(failure);
    for (size_t r = 0; r < failures.size(); ++r)
        if (!failures[r].empty())
            throw Error("rank " + std::to_string(r) + " could not start: " + failures[r]);
}

bool inLaunchGroup(const CliOptions& options) {
    return dist::readDistEnv(dist::processEnvironment(), options.masterPort).worldSize > 1;
}

std::unique_ptr<GroupMember> joinGroup(const CliOptions& options) {
    const dist::DistEnv env = dist::readDistEnv(dist::processEnvironment(), options.masterPort);
    if (env.worldSize <= 1)
        return nullptr;
    const bool cuda = options.config.device.rfind("cuda", 0) == 0;
    // Gloo on CPUs, NCCL on GPUs where this build has it; --backend chooses.
    const std::string backend =
        !options.backend.empty() ? options.backend : (cuda && dist::ncclAvailable() ? "nccl" : "gloo");
    if (backend == "nccl" && !dist::ncclAvailable())
        throw Error(
            "--backend nccl: this burstprop-train was built without NCCL (it needs a CUDA LibTorch with "
            "NCCL, and nccl.h when building: see docs/distributed.md); use --backend gloo");
    if (backend == "nccl" && !cuda)
        throw Error(
            "--backend nccl sums CUDA tensors: give --device cuda (each process takes cuda:LOCAL_RANK), "
            "or use --backend gloo on CPUs");
    auto member = std::make_unique<GroupMember>();
    member->env = env;
    if (const char* launcher = std::getenv("BURSTPROP_LAUNCHER"); launcher && *launcher)
        member->env.source = launcher; // this program's own --nproc, which speaks torchrun's variables
    member->backend = backend;
    dist::GroupOptions group;
    group.masterAddr = env.masterAddr;
    group.masterPort = env.masterPort;
    group.rank = env.rank;
    group.worldSize = env.worldSize;
    group.timeout = std::chrono::seconds(options.distTimeoutSeconds);
    group.backend = backend;
    group.cudaDevice = env.localRank;
    member->group = std::make_unique<dist::ProcessGroup>(group);
    member->hook = std::make_unique<dist::AllreduceHook>(*member->group);
    member->hosts = member->group->exchange("host", sys::hostName());
    return member;
}

std::unique_ptr<GroupMember> joinLaunchGroup(const CliOptions& options) {
    std::unique_ptr<GroupMember> member = joinGroup(options);
    if (!member)
        return nullptr;
    const std::string mismatch =
        configurationMismatch(member->group->exchange("configuration", sharedConfiguration(options.config)));
    if (!mismatch.empty())
        throw Error(mismatch);
    return member;
}

} // namespace bp

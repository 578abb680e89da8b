#pragma once
#include "core/cli/options.h"
#include "core/dist/allreduce_hook.h"
#include "core/dist/dist_env.h"
#include "core/dist/process_group.h"
#include <memory>
#include <string>
#include <vector>

namespace bp {

// This process's place in a data-parallel run: the group its launcher (torchrun, srun, --nproc) named,
// joined.
struct GroupMember {
    dist::DistEnv env;
    std::string backend;            // "gloo" or "nccl"
    std::vector<std::string> hosts; // by rank
    std::unique_ptr<dist::ProcessGroup> group;
    std::unique_ptr<dist::AllreduceHook> hook;

    int rank() const { return env.rank; }
    int worldSize() const { return env.worldSize; }
    // "2 processes (gloo) on host-a, host-b; rendezvous 127.0.0.1:29500"
    std::string describe() const;
};

// True when the process environment names a data-parallel group of more than one process (torchrun, srun).
bool inLaunchGroup(const CliOptions& options);

// Joins the group that the process environment names (nullptr when it names none, or a group of one), with
// the options' timeout, port and backend. Throws bp::Error naming the address tried or the backend refused.
std::unique_ptr<GroupMember> joinGroup(const CliOptions& options);
// joinGroup(), then checks that every rank was given the same configuration (options.config), refusing the
// ranks that differ by name.
std::unique_ptr<GroupMember> joinLaunchGroup(const CliOptions& options);

// Tells every rank what failed on this one before training ("" : nothing) and learns theirs; throws bp::Error
// with this rank's own failure, else the first other rank's ("rank 0 could not start: ..."), else returns.
// `round` names the exchange: each is made once ("started", "resumed").
void requireEveryRankReady(GroupMember& member, const std::string& round, const std::string& failure);

// The configuration as JSON without what may differ between the ranks of one run (threads, device, data
// folder, loader threads, download settings): equal texts, the same run.
std::string sharedConfiguration(const RunConfig& config);

// "" when every rank's sharedConfiguration() equals rank 0's, else the message that names the ranks and the
// keys that differ ("rank 1 was given seed 2, rank 0 seed 1").
std::string configurationMismatch(const std::vector<std::string>& configurations);

} // namespace bp

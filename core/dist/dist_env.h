#pragma once
#include <map>
#include <optional>
#include <string>

namespace bp::dist {

// Where this process stands in a data-parallel group, as its launcher said: torchrun's RANK, WORLD_SIZE,
// LOCAL_RANK, MASTER_ADDR, MASTER_PORT; Slurm's SLURM_PROCID, SLURM_NTASKS, SLURM_LOCALID and the first host
// of SLURM_JOB_NODELIST (the port from an option, else 29500); or neither (one process).
struct DistEnv {
    int rank = 0;
    int worldSize = 1;
    int localRank = 0;
    std::string masterAddr = "127.0.0.1";
    int masterPort = 29500;
    std::string source = "none"; // "torchrun", "slurm" or "none"
};

using Environment = std::map<std::string, std::string>;

constexpr int kDefaultPort = 29500;

// The process's environment variables.
Environment processEnvironment();

// The launch environment in `env`: torchrun's when WORLD_SIZE is set, else Slurm's when SLURM_NTASKS is set,
// else a group of one. `port` (an option) overrides MASTER_PORT and Slurm's default. Throws bp::Error naming
// the variable when a value is missing or not a number in range.
DistEnv readDistEnv(const Environment& env, std::optional<int> port = std::nullopt);

// The first host of a Slurm node list: "node[03-05,9]" → "node03", "a,b" → "a", "gpu[1-2]-ib,x" → "gpu1-ib".
// Throws bp::Error on an empty list or an unclosed bracket.
std::string firstSlurmHost(const std::string& nodeList);

} // namespace bp::dist

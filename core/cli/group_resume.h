#pragma once
#include "core/cli/options.h"
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace bp {

struct GroupResume {
    int64_t runId = 0;
    std::string database;
    std::optional<int> epochs, threads;
    int checkpointEvery = -1; // --checkpoint-every N; -1: as recorded with the run
    CliOptions options;       // output style and the data-parallel options (nproc, timeout, backend, port)
};

// burstprop-train resume ID --nproc N (or under torchrun / srun): continues a recorded run in a data-parallel
// group, with any number of processes (the checkpoint holds the global state: the same global batch order
// follows). Rank 0 opens the store, plans the resume as a single process would and records it; it gives every
// rank the run's configuration and checkpoint file (which the other ranks read: on one host, or a shared file
// system). A failure on any rank before training is told to all. `args` are the command's words, for --nproc
// to start its ranks with. Returns the process exit status.
int resumeInGroup(const GroupResume& resume, const std::vector<std::string>& args, std::ostream& out);

} // namespace bp

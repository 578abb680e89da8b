#pragma once
#include "core/cli/options.h"
#include <ostream>
#include <string>
#include <vector>

namespace bp {

// True when `--nproc N` (N > 1) asks this process to start the group itself: no launcher (torchrun, srun)
// named one in the environment. Throws bp::Error when --nproc and a launcher's WORLD_SIZE disagree.
bool launchesLocalGroup(const CliOptions& options);

// burstprop-train --nproc N ...: starts N copies of this program with the same arguments (args, without the
// program name) and torchrun's variables (RANK, WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE, MASTER_ADDR
// 127.0.0.1, MASTER_PORT: --master-port or a free port), each with cores / N threads unless --threads was
// given. The ranks share this terminal's output; rank 0 prints the progress. SIGINT/SIGTERM is passed on once
// to every rank (they stop together at the next batch and rank 0 checkpoints). When a rank ends in failure,
// the others are given --dist-timeout (and 30 s) to notice before they are killed. Returns rank 0's exit
// status, or the first failure's when rank 0 completed.
int launchLocalGroup(const CliOptions& options, const std::vector<std::string>& args, std::ostream& out);

} // namespace bp

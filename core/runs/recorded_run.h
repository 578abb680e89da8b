#pragma once
#include "core/checkpoint/checkpoint.h"
#include "core/config/run_config.h"
#include "core/store/run_store.h"
#include <optional>
#include <string>

namespace bp {

// How a recorded checkpoint is named to users: "initial", "latest", "best" or "epoch-N".
std::string checkpointLabel(const CheckpointRecord& checkpoint);
// The file of the run's checkpoint with that label ("" means latest; "epoch:N" is accepted too).
// Throws bp::Error for an unknown label or one the run does not keep, listing those it keeps.
std::string findCheckpoint(RunStore& store, int64_t runId, const std::string& label);

// The owner a run's checkpoints record: the store's identity and path, and the run's id.
CheckpointOwner ownerOf(const RunStore& store, int64_t runId);

// Refuses (bp::Error naming the folder and the run its checkpoints belong to) a folder that already holds
// a run's checkpoints: a new run would overwrite them.
void requireFolderFree(const std::string& dir);

// Everything needed to continue a recorded run, the same record, from its latest (else initial) checkpoint; a
// run killed before it wrote any starts again from its recorded configuration.
struct ResumePlan {
    RunRecord run;
    RunConfig config;                     // the run's, with the epochs and threads asked for
    std::string checkpointDir;            // where the run keeps its checkpoints
    std::string checkpointPath;           // "" when the run wrote none
    std::optional<Checkpoint> checkpoint; // none: the run starts again from its configuration and seed
    int checkpointEvery = 0; // --checkpoint-every as recorded with the run (an execution value); 0: none
};
// epochs / threads: train to that many epochs, on that many threads (nullopt: the run's own). Throws
// bp::Error naming the reason: the run is missing, running or paused (in which process), completed and not
// extended, has no checkpoint, its checkpoint belongs to another run (naming both) or another configuration,
// or already has the epochs asked for — unless it is not completed and its checkpoint ends the last of them
// (killed before it recorded its end): then it resumes, trains nothing and completes.
ResumePlan planResume(RunStore& store, int64_t runId, std::optional<int> epochs = std::nullopt,
                      std::optional<int> threads = std::nullopt);
// Records in the store that the plan is being carried out: the new epoch total when it changed, the
// checkpoint it continues from (its record may lag the file) and a message.
void recordResume(RunStore& store, const ResumePlan& plan);

} // namespace bp

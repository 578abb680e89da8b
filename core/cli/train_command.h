#pragma once
#include "core/checkpoint/checkpoint.h"
#include "core/cli/options.h"
#include <optional>
#include <ostream>
#include <string>

namespace bp {

class RunStore;
struct GroupMember;

// What one training process does: the CLI's observers (progress or JSON, a results folder), the run's
// record in the database with its checkpoints, and the signal handling. Shared by a new run and a resumed
// one.
struct TrainJob {
    CliOptions options;        // config, output style, results folder, recording options
    std::string invocation;    // the command line, for params.txt
    RunStore* store = nullptr; // nullptr: not recorded
    int64_t runId = 0;         // the run's record in store
    std::string checkpointDir; // "" : no checkpoints
    CheckpointOwner owner;     // the run its checkpoints belong to (when recorded)
    std::optional<Checkpoint> resume;
    GroupMember* member = nullptr; // a data-parallel run's group; rank 0 records, prints and checkpoints
    // resume: the run's folder, whose metrics.csv (when it was trained with a results folder) gains the new
    // epochs (ResultsWriter::continuing); "" : none
    std::string resultsToContinue;
};

// Trains the job and returns the process exit status: 0 completed, 1 failed or diverged, 130 stopped.
// Messages go to stderr prefixed with "burstprop-train: ".
int executeTraining(TrainJob& job, std::ostream& out);

// burstprop-train [options] [results-dir]: creates the run's record (unless --no-db) and trains it.
int runTrainCommand(const CliOptions& options, const std::string& invocation, std::ostream& out);

// "burstprop-train: <line>" for every line of message, on stderr ("burstprop-train (rank N): " once
// setCliErrorRank(N) was called by a rank other than 0 of a data-parallel run).
void printCliError(const std::string& message);
void setCliErrorRank(int rank);

// Records a data-parallel run's world size, backend and hosts (with its hyperparameters) and a message.
void recordGroup(RunStore& store, int64_t runId, const GroupMember& member, const RunConfig& config);

} // namespace bp

#pragma once
#include "core/store/run_store.h"
#include "core/train/trainer.h"
#include <optional>
#include <string>

namespace bp {

// A recorded run's checkpoint evaluated on its test set, without training.
struct RunEvaluation {
    RunRecord run;
    std::string label;          // the checkpoint asked for: latest, best, initial or epoch-N
    std::string checkpointPath; // the file evaluated
    int epoch = 0;              // the epochs the checkpoint's network had trained
    int64_t step = 0;
    std::string dataDir; // the data folder used ("" when the data set's default)
    TestEvaluation result;
};

// Loads the run's checkpoint with that label ("" means latest; see findCheckpoint) and evaluates it with
// the run's recorded configuration on the run's data set (dataDir, when not empty, replaces the run's data
// folder; nothing is downloaded). Throws bp::Error naming the problem: the run is not in the store, it does
// not keep that checkpoint (listing those it keeps), the checkpoint file is missing, damaged, or belongs to
// another run or network, or the data cannot be opened. device and threads, when given, replace the run's
// (burstprop-train evaluate --device/--threads; the explorer's Evaluate dialog keeps the run's own); a
// float64 run on a device other than the CPU is refused.
RunEvaluation evaluateRun(RunStore& store, int64_t runId, const std::string& label,
                          const std::string& dataDir = {}, const std::string& device = {},
                          std::optional<int> threads = std::nullopt);

} // namespace bp

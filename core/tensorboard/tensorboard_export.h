#pragma once
#include "core/tensorboard/event_file.h"
#include <cstdint>
#include <string>
#include <vector>

namespace bp {
class RunStore;
struct RunRecord;
} // namespace bp

namespace bp::tensorboard {

// Every metric sample of a run as a TensorBoard scalar (tags: tensorboard_tags.h), ordered by step, then
// wall time (TensorBoard's older loaders drop the points above a step that goes back). Epoch-level samples
// take the epoch as their step: those of the train_/test_ series, and an angle or throughput recorded at
// the step at which an epoch ended (its test_error's step); the others the global batch step.
std::vector<ScalarEvent> runScalarEvents(RunStore& store, int64_t runId);

// "run-<id>-<name as lowercase letters, digits and '-', at most 40>" ("run-<id>" for a name of none).
std::string runFolderName(const RunRecord& run);

struct RunExport {
    std::string folder; // <outDir>/<runFolderName>
    std::string file;   // the event file in it
    size_t scalars = 0;
};
// Writes the run's event file into <outDir>/<runFolderName>/, removing the event files an earlier export
// left there (TensorBoard would read both). Throws bp::Error naming the run or the file.
RunExport exportRunEvents(RunStore& store, int64_t runId, const std::string& outDir);

} // namespace bp::tensorboard

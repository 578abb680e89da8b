#pragma once
#include "core/tensorboard/event_file.h"
#include <cstdint>
#include <string>
#include <vector>

namespace bp {
class RunStore;
struct RunRecord;
struct SignalHistogramRecord;
} // namespace bp

namespace bp::tensorboard {

// Every metric sample of a run as a TensorBoard scalar (tags: tensorboard_tags.h), ordered by step, then
// wall time (TensorBoard's older loaders drop the points above a step that goes back). Epoch-level samples
// take the epoch as their step: those of the train_/test_ series, and an angle or throughput recorded at
// the step at which an epoch ended (its test_error's step); the others the global batch step.
std::vector<ScalarEvent> runScalarEvents(RunStore& store, int64_t runId);

// One signal histogram as a TensorBoard histogram, tagged "<quantity>/<layer>" (event_rate/0, p/1, p_t/1,
// delta/2) at its global batch step (epoch 0's: step 0): bucket_limit the upper edges of the bins, bucket
// their counts, min and max the histogram's range (low, high), num the values counted; sum and sum_squares
// from the bin centres (the values themselves are not kept), so the mean and spread TensorBoard derives are
// those of the binned values.
HistogramEvent histogramEvent(const SignalHistogramRecord& record, double wallTime);
// Every signal histogram of a run, by step (then layer and quantity); the wall time of each is its step's
// batch_loss sample's (epoch 0's: the epoch-0 test_error's), else 0.
std::vector<HistogramEvent> runHistogramEvents(RunStore& store, int64_t runId);

// "run-<id>-<name as lowercase letters, digits and '-', at most 40>" ("run-<id>" for a name of none).
std::string runFolderName(const RunRecord& run);

struct RunExport {
    std::string folder; // <outDir>/<runFolderName>
    std::string file;   // the event file in it
    size_t scalars = 0;
    size_t histograms = 0;
};
// Writes the run's event file (its scalars and signal histograms) into <outDir>/<runFolderName>/, removing
// the event files an earlier export left there (TensorBoard would read both). Throws bp::Error naming the run
// or the file.
RunExport exportRunEvents(RunStore& store, int64_t runId, const std::string& outDir);

} // namespace bp::tensorboard

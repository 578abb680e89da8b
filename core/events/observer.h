#pragma once
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace bp {

enum class RunStatus { Queued, Running, Paused, Completed, Stopped, Diverged, Failed, Interrupted };
std::string toString(RunStatus status);
// Completed, stopped, diverged, failed and interrupted runs are over.
bool isFinal(RunStatus status);

// The distribution of one signal of one layer over a measured batch (every unit of every example), as
// equal-width bins over [low, high] (core/metrics/signal_histogram.h says which quantities and ranges).
struct SignalHistogram {
    int layer = 0;                // index in the network (0 = the first weight layer)
    std::string quantity;         // "event_rate", "p", "p_t" or "delta"
    double low = 0.0, high = 0.0; // bin i covers [low + i·w, low + (i + 1)·w), w = (high − low) / bins
    std::vector<int64_t> counts;  // values per bin, low to high
    int64_t units = 0;            // the layer's units per example
    int64_t silentUnits = -1;     // event_rate: units below the silent rate for every example; else -1
    int64_t silentClasses = -1;   // the output layer's event_rate: classes predicted for no example; else -1
};

// After every training batch.
struct BatchReport {
    int epoch = 0; // 1-based epoch being trained
    int batch = 0; // 1-based batch within the epoch
    int batchesPerEpoch = 0;
    int64_t step = 0;          // batches trained since the run started (1-based)
    double loss = 0.0;         // this batch's MSE before its update
    double error = 0.0;        // this batch's error in percent before its update
    double runningLoss = 0.0;  // mean over the epoch so far
    double runningError = 0.0; // percent, over the epoch so far
    double examplesPerSecond = 0.0;
    double elapsedSeconds = 0.0;      // wall time since training started
    double etaSeconds = 0.0;          // estimated time to the end of the last epoch
    std::vector<double> weightAngles; // filled on batches where angles were measured
    std::vector<double> deltaAngles;
    // The network index (0 = the first weight layer) of weightAngles[0]; deltaAngles[0] is layer 0's.
    int firstWeightAngleLayer = 1;
    // Per layer, on measured batches (angle_interval; data-parallel runs: rank 0's part of the batch): the
    // histograms of the rule's signals.
    std::vector<SignalHistogram> signals;
    // Streaming data (image folders): mean seconds per step the trainer waited for its batch this epoch, and
    // the files left out so far (unreadable or corrupt).
    double dataWaitSeconds = 0.0;
    int64_t skippedFiles = 0;
};

// A file of the data set that could not be read and is left out of the run (streaming sources).
struct SkippedFileReport {
    std::string path;
    std::string reason;
};

// Where a run's data came from, when it streams from an image folder: the folder, a fingerprint of its
// file list (paths, sizes, times), and what was found.
struct DataSourceReport {
    std::string folder;
    std::string fingerprint;
    int64_t trainImages = 0, testImages = 0, classes = 0;
};

// After every epoch; epoch 0 is the state before training (train figures are NaN there).
struct EpochReport {
    int epoch = 0;
    int64_t step = 0;
    double trainLoss = 0.0;
    double trainError = 0.0; // percent
    double testLoss = 0.0;
    double testError = 0.0; // percent
    // Percent of examples whose label is not among the min(5, classes) largest outputs: measured for softmax
    // outputs (the ImageNet net), NaN otherwise.
    double trainTop5Error = std::nan("");
    double testTop5Error = std::nan("");
    int silentClasses = 0;            // classes of the test set the network predicted for no test image
    std::vector<double> weightAngles; // degrees, every layer but the lowest
    std::vector<double> deltaAngles;  // degrees, per hidden layer, mean over this epoch's measurements
    // The network index (0 = the first weight layer) of weightAngles[0]; deltaAngles[0] is layer 0's.
    int firstWeightAngleLayer = 1;
    double elapsedSeconds = 0.0;
    double epochSeconds = 0.0;
    double examplesPerSecond = 0.0;
    double dataWaitSeconds = 0.0; // streaming data: mean seconds per step waited for a batch this epoch
    int64_t skippedFiles = 0;     // files left out so far
    // Epoch 0 only: the signal histograms of the untrained network on the first training batch (step 0).
    std::vector<SignalHistogram> signals;
};

// The checkpoints a run keeps: the state before training, the latest (every epoch, and where a stop
// happened), the one with the lowest test error, and every N-th epoch when asked.
enum class CheckpointKind { Initial, Latest, Best, Epoch };
std::string toString(CheckpointKind kind);

// After a checkpoint file was written (atomically: the file at path is complete).
struct CheckpointReport {
    CheckpointKind kind = CheckpointKind::Latest;
    int epoch = 0;        // epochs completed
    int64_t step = 0;     // batches trained
    int batchInEpoch = 0; // > 0: written mid-epoch (a stop)
    std::string path;
};

// Receives a run's progress. Called on the training thread: implementations hand data to other threads
// themselves and must return quickly.
class TrainingObserver {
  public:
    virtual ~TrainingObserver() = default;
    virtual void onStatus(RunStatus /*status*/, const std::string& /*message*/) {}
    virtual void onBatch(const BatchReport& /*report*/) {}
    virtual void onEpoch(const EpochReport& /*report*/) {}
    virtual void onCheckpoint(const CheckpointReport& /*report*/) {}
    // Once per file the data source left out.
    virtual void onSkippedFile(const SkippedFileReport& /*report*/) {}
    // Once, before training, for data read from an image folder.
    virtual void onDataSource(const DataSourceReport& /*report*/) {}
};

} // namespace bp

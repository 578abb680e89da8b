#pragma once
#include "core/checkpoint/checkpoint.h"
#include "core/config/run_config.h"
#include "core/data/dataset.h"
#include "core/nn/network.h"
#include "core/rules/learning_rule.h"
#include "core/train/observer.h"
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace bp {

// Where a run keeps its checkpoints (see CheckpointKind): <dir>/initial.ckpt, latest.ckpt, best.ckpt and
// epoch-<N>.ckpt.
struct CheckpointOptions {
    std::string dir;     // empty: no checkpoints
    int everyEpochs = 0; // > 0: also keep the state after every N-th epoch
};

// The running sums of the epoch being trained (kept in a mid-epoch checkpoint).
struct EpochSums {
    double loss = 0.0;
    int64_t correct = 0, seen = 0;
    std::vector<double> angleSums;
    int angleCount = 0;
    std::vector<double> pack() const;
    static EpochSums unpack(const std::vector<double>& values);
};

// Runs one configuration: loads the data, builds the network from the seed, trains epoch by epoch and
// reports to an observer. run() blocks; pause/resume/stop may be called from any thread and take effect
// between batches.
class Trainer {
public:
    explicit Trainer(RunConfig config, TrainingObserver* observer = nullptr);
    ~Trainer();

    // Use these tensors instead of loading config.dataset from disk (tests, the GUI's cache).
    void setData(data::DatasetPair data);

    // Write checkpoints while training (before run()). A failed write is reported as a warning status
    // message and training goes on.
    void setCheckpointing(CheckpointOptions options) { checkpointing_ = std::move(options); }
    // Continue from this state (before run()): the network, momentum, data order, random generators and
    // the epoch's running sums, so that the run ends as it would have without the interruption.
    // run() fails with a message when the checkpoint does not fit the configuration's network.
    void resumeFrom(Checkpoint checkpoint) { resume_ = std::move(checkpoint); }
    static std::string checkpointPath(const std::string& dir, CheckpointKind kind, int epoch = 0);
    // The checkpoint a resumed run continues from: latest.ckpt, else initial.ckpt; "" when neither exists.
    static std::string resumableCheckpoint(const std::string& dir);

    // Trains until the last epoch, a stop request, divergence or an error. Never throws: failures end
    // as RunStatus::Failed with message() saying why.
    RunStatus run();

    // Times `steps` training steps after `warmup` steps and returns examples per second.
    // Throws bp::Error when the data or configuration cannot be used.
    double benchmark(int steps, int warmup = 20);

    void requestPause();
    void requestResume();
    void requestStop();

    RunStatus status() const { return status_; }
    const std::string& message() const { return message_; }
    const RunConfig& config() const { return config_; }
    const Network& network() const { return network_; }
    const Network& initialNetwork() const { return initialNetwork_; }

    // Sets LibTorch's (and BLAS's) thread count: threads > 0, or every core.
    static int applyThreadCount(int threads);
    // "cpu", or "cuda"/"cuda:N" when LibTorch has CUDA; throws bp::Error otherwise.
    static at::Device resolveDevice(const std::string& name);

private:
    void prepare();
    std::string locateData(); // the data folder, after downloading a missing data set when allowed
    RunStatus train();
    void setStatus(RunStatus status, const std::string& message = {});
    bool waitWhilePaused(); // false when a stop was requested
    EpochReport evaluateEpoch(int epoch, int64_t step);
    std::vector<double> probeDeltaAngles(const at::Tensor& x, const at::Tensor& y);
    Checkpoint captureState(int epoch, int64_t step, int batchInEpoch, const at::Tensor& order,
                            const EpochSums* sums);
    void writeCheckpoint(CheckpointKind kind, const Checkpoint& state);
    void restoreResumeState(); // network, generators and clocks from resume_ (after prepare() built them)

    RunConfig config_;
    TrainingObserver* observer_;
    std::optional<data::DatasetPair> data_;
    at::Device device_{at::kCPU};
    Network network_;
    Network initialNetwork_;
    std::unique_ptr<LearningRule> rule_;
    at::Tensor trainImages_, trainLabels_, testImages_, testLabels_, padValue_;
    CheckpointOptions checkpointing_;
    std::optional<Checkpoint> resume_;
    at::Generator orderGenerator_, augmentGenerator_;
    double elapsedBefore_ = 0.0; // seconds the run had trained before a resume
    std::chrono::steady_clock::time_point runStart_;
    std::optional<double> bestTestError_;
    std::atomic<RunStatus> status_{RunStatus::Queued};
    std::string message_;

    std::atomic<bool> stopRequested_{false};
    std::atomic<bool> pauseRequested_{false};
    std::mutex pauseMutex_;
    std::condition_variable pauseChanged_;
};

} // namespace bp

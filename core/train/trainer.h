#pragma once
#include "core/checkpoint/checkpoint.h"
#include "core/config/run_config.h"
#include "core/data/data_source.h"
#include "core/data/dataset.h"
#include "core/data/sampler.h"
#include "core/events/observer.h"
#include "core/metrics/evaluation.h"
#include "core/nn/network.h"
#include "core/optim/data_parallel.h"
#include "core/optim/gradient_hook.h"
#include "core/setup/learner.h"
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
    std::string dir;       // empty: no checkpoints
    int everyEpochs = 0;   // > 0: also keep the state after every N-th epoch
    CheckpointOwner owner; // the run they belong to, recorded in each (core/runs: ownerOf())
};

// The running sums of the epoch being trained (kept in a mid-epoch checkpoint).
struct EpochSums {
    double loss = 0.0;
    int64_t correct = 0, seen = 0;
    std::vector<double> angleSums;
    int angleCount = 0;
    int64_t correctTop5 = 0, seenTop5 = 0; // kept in a checkpoint's extra "epoch_top5"
    double waitSeconds = 0.0;              // for batches of streaming data (not checkpointed)
    std::vector<double> pack() const;
    static EpochSums unpack(const std::vector<double>& values);
};

// What Trainer::evaluateCheckpoint() measures on the test set.
struct TestEvaluation {
    Evaluation test;           // loss, error, top-5 error (when hasTop5), examples, silent classes
    bool hasTop5 = false;      // a softmax output: the trainer records top-5 error for it (test_top5_error)
    ConfusionMatrix confusion; // rows true classes, columns predicted ones
    std::vector<std::string> classNames; // by label, when the data names its classes (image folders)
};

// Runs one configuration: opens the data, builds the network from the seed, trains epoch by epoch and
// reports to an observer. run() blocks; pause/resume/stop may be called from any thread and take effect
// between batches.
class Trainer {
  public:
    explicit Trainer(RunConfig config, TrainingObserver* observer = nullptr);
    ~Trainer();

    // Use these instead of loading config.dataset from disk (tests, the GUI's cache, streaming sources).
    void setData(data::DatasetPair data);
    void setData(data::DataSources sources);

    // Write checkpoints while training (before run()). A failed write is reported as a warning status
    // message and training goes on.
    void setCheckpointing(CheckpointOptions options) { checkpointing_ = std::move(options); }
    // Continue from this state (before run()): the network, the optimizer's and the rule's state, data order,
    // random generators and the epoch's running sums, so that the run ends as it would have without the
    // interruption. run() fails with a message when the checkpoint does not fit the configuration's network.
    void resumeFrom(Checkpoint checkpoint) { resume_ = std::move(checkpoint); }
    // Between the rule and the optimizer (before run()): e.g. a data-parallel reducer. Not owned.
    void setGradientHook(GradientHook* hook) { hook_ = hook; }
    // Train as one rank of a data-parallel group (before run(); not owned; its hook replaces any set): every
    // rank draws the same order from the seed and trains its shard of each global batch (Sampler::shard), the
    // group's hook sums the gradients, evaluation is sharded and its sums added up. Only rank 0 reports to
    // the observer and writes checkpoints; the reports are of the whole group (global batch, every example).
    void setDataParallel(DataParallel* group);
    static std::string checkpointPath(const std::string& dir, CheckpointKind kind, int epoch = 0);
    // The checkpoint a resumed run continues from: latest.ckpt, else initial.ckpt; "" when neither exists.
    static std::string resumableCheckpoint(const std::string& dir);

    // Evaluates the test set as the end of an epoch does, with the checkpoint's network in place of the
    // configuration's: the data opened and the network built as run() would, nothing trained or written.
    // Throws bp::Error when the data cannot be opened or the checkpoint's network is not the configuration's.
    TestEvaluation evaluateCheckpoint(const Checkpoint& checkpoint);

    // Trains until the last epoch, a stop request, divergence or an error. Never throws: failures end
    // as RunStatus::Failed with message() saying why.
    RunStatus run();

    // Times `steps` training steps after `warmup` steps and returns examples per second.
    // Throws bp::Error when the data or configuration cannot be used. An image-folder data set without a
    // folder is timed on random images held in memory (the step alone).
    double benchmark(int steps, int warmup = 20);

    void requestPause();
    void requestResume();
    void requestStop();

    RunStatus status() const { return status_; }
    const std::string& message() const { return message_; }
    const RunConfig& config() const { return config_; }
    const Network& network() const { return network_; }
    const Network& initialNetwork() const { return initialNetwork_; }
    const NetworkSpec& networkSpec() const { return spec_; }
    // The rule's feedback matrix of a layer of net (what the weight angles compare with W: Y, or sign(W)
    // for sign symmetry); undefined before the run has started or when the rule has none of W's shape.
    at::Tensor feedbackWeights(const Network& net, size_t layer) const;

  private:
    void prepare();
    std::string locateData(); // the data folder, after downloading a missing data set when allowed
    RunStatus train();
    void setStatus(RunStatus status, const std::string& message = {});
    bool waitWhilePaused(); // false when a stop was requested
    data::Batch trainingBatch(const at::Tensor& indices);
    data::Batch trainingBatch(data::Batch batch); // on the network's dtype, augmented where the data set is
    EpochReport evaluateEpoch(int epoch, int64_t step);
    data::Batch shardBatch(const at::Tensor& indices); // with group_: this rank's part of a global batch
    StepResult groupStep(const data::Batch& batch, bool measure); // with group_: a step, the group's figures
    // A step on `batch` whose gradients are dropped and whose rule state is put back: epoch 0's measurement.
    StepResult probeStep(const data::Batch& batch, bool measureAngles, bool recordSignals);
    Checkpoint captureState(int epoch, int64_t step, int batchInEpoch, const at::Tensor& order,
                            const EpochSums* sums);
    void writeCheckpoint(CheckpointKind kind, const Checkpoint& state);
    void restoreResumeState();          // network, optimizer, rule, generators and clocks from resume_
    std::string imageFolderDir() const; // the folder of an image-folder data set, or why there is none
    int loaderThreads() const;          // decoding threads of a streaming source
    void reportSkippedFiles();          // files the sources left out since the last call, to the observer

    RunConfig config_;
    TrainingObserver* observer_;
    std::optional<data::DataSources> data_;
    std::optional<data::DatasetPair> pairs_;
    at::Device device_{at::kCPU};
    NetworkSpec spec_;
    Network network_;
    Network initialNetwork_;
    std::unique_ptr<Learner> learner_;
    GradientHook* hook_ = nullptr;
    DataParallel* group_ = nullptr;
    BatchShard shard_; // this rank's part of the batch being trained (with group_)
    std::unique_ptr<data::Sampler> sampler_;
    at::Tensor padValue_; // CIFAR-10 augmentation's padding, per channel
    CheckpointOptions checkpointing_;
    std::optional<Checkpoint> resume_;
    at::Generator augmentGenerator_;
    double elapsedBefore_ = 0.0; // seconds the run had trained before a resume
    std::chrono::steady_clock::time_point runStart_;
    std::optional<double> bestTestError_;
    size_t firstAngleLayer_ = 1; // the lowest layer whose weight angle is measured (0 for the ImageNet net)
    int64_t skippedFiles_ = 0;
    std::atomic<RunStatus> status_{RunStatus::Queued};
    std::string message_;

    std::atomic<bool> stopRequested_{false};
    bool groupStopAgreed_ = false; // a data-parallel group's stop, agreed through the last step's sums
    std::atomic<bool> pauseRequested_{false};
    std::mutex pauseMutex_;
    std::condition_variable pauseChanged_;
};

} // namespace bp

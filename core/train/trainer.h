#pragma once
#include "core/config/run_config.h"
#include "core/data/dataset.h"
#include "core/nn/network.h"
#include "core/rules/learning_rule.h"
#include "core/train/observer.h"
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace bp {

// Runs one configuration: loads the data, builds the network from the seed, trains epoch by epoch and
// reports to an observer. run() blocks; pause/resume/stop may be called from any thread and take effect
// between batches.
class Trainer {
public:
    explicit Trainer(RunConfig config, TrainingObserver* observer = nullptr);
    ~Trainer();

    // Use these tensors instead of loading config.dataset from disk (tests, the GUI's cache).
    void setData(data::DatasetPair data);

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

    RunConfig config_;
    TrainingObserver* observer_;
    std::optional<data::DatasetPair> data_;
    at::Device device_{at::kCPU};
    Network network_;
    Network initialNetwork_;
    std::unique_ptr<LearningRule> rule_;
    at::Tensor trainImages_, trainLabels_, testImages_, testLabels_, padValue_;
    std::atomic<RunStatus> status_{RunStatus::Queued};
    std::string message_;

    std::atomic<bool> stopRequested_{false};
    std::atomic<bool> pauseRequested_{false};
    std::mutex pauseMutex_;
    std::condition_variable pauseChanged_;
};

} // namespace bp

#pragma once
#include "core/checkpoint/checkpoint.h"
#include "core/config/run_config.h"
#include "core/data/dataset.h"
#include "core/events/observer.h"
#include "core/train/trainer.h"
#include <QObject>
#include <QThread>
#include <QVector>
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>

namespace bp {
class RunRecorder;
class RunStore;
} // namespace bp

namespace bp::ui {

// Forward (W) and feedback (Y) weights of every layer that has feedback weights, and W of every
// convolution (for the filters panel), copied on the training thread between two steps. Undefined tensors
// for the rest (Y undefined wherever the layer has none of W's shape).
struct WeightSnapshot {
    QVector<at::Tensor> forward, feedback;
    int epoch = 0;
    int64_t step = 0;
};

// Points that arrived from the training thread since the last take().
struct SessionUpdate {
    QVector<BatchReport> batches;
    QVector<EpochReport> epochs;
    std::optional<RunStatus> status;
    QString message;
    QVector<QString> warnings;             // status messages that start with "warning:"
    std::optional<WeightSnapshot> weights; // after requestWeights(), and the final ones at the run's end
};

// One training run on its own thread. The trainer reports on that thread; the session keeps the reports
// under a mutex and emits a cheap dataAvailable() at most once per pending batch of points, so the GUI
// can coalesce redraws and take() everything at once (PlotJuggler's pattern). With setRecording() the run
// is also recorded in the run store (metrics, status, checkpoints), from the training thread, on a database
// connection that thread opens for itself.
class TrainingSession : public QObject, private TrainingObserver {
    Q_OBJECT
  public:
    explicit TrainingSession(RunConfig config, QObject* parent = nullptr);
    ~TrainingSession() override; // stops the run and waits for the thread

    // Before start():
    void setData(data::DatasetPair data); // use these tensors instead of loading
    // Record the run (status, metrics, checkpoints) in the run database at databasePath, through a
    // connection of the training thread's own: the explorer's reads never wait for it.
    void setRecording(const std::string& databasePath, int64_t runId, CheckpointOptions checkpoints);
    void resumeFrom(Checkpoint checkpoint);

    void start();
    void pause();
    void resume();
    void stop();
    bool isRunning() const;
    // Blocks until the training thread has ended (after stop() or the run's end).
    void wait();
    SessionUpdate take();

    // The next batch copies W and Y of every layer into the next update (for the weight scatter).
    void requestWeights() { weightsRequested_ = true; }
    // W and Y as initialised (valid once the first batch or epoch has been reported).
    WeightSnapshot initialWeights() const;

    const RunConfig& config() const { return config_; }
    int64_t runId() const { return runId_; }

  Q_SIGNALS:
    void dataAvailable();
    void finished(bp::RunStatus status, const QString& message);

  private:
    void onStatus(RunStatus status, const std::string& message) override;
    void onBatch(const BatchReport& report) override;
    void onEpoch(const EpochReport& report) override;
    void onCheckpoint(const CheckpointReport& report) override;
    void onSkippedFile(const SkippedFileReport& report) override;
    void onDataSource(const DataSourceReport& report) override;
    void notify();
    WeightSnapshot snapshot(const Network& net) const;
    bool openRecording(); // on the training thread: the connection and the recorder; false when it failed

    RunConfig config_;
    std::unique_ptr<Trainer> trainer_;
    std::string databasePath_;
    std::unique_ptr<RunStore> store_;       // the training thread's connection
    std::unique_ptr<RunRecorder> recorder_; // over store_
    int64_t recordedRun_ = 0;
    int64_t runId_ = 0;
    QThread* thread_ = nullptr;
    mutable std::mutex mutex_;
    SessionUpdate pending_;
    std::optional<WeightSnapshot> initial_;
    bool notified_ = false;
    int lastEpoch_ = 0; // of the latest report, under mutex_
    int64_t lastStep_ = 0;
    std::atomic<bool> weightsRequested_{false};
};

} // namespace bp::ui

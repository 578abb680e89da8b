#pragma once
#include "core/config/run_config.h"
#include "core/data/dataset.h"
#include "core/train/observer.h"
#include <QObject>
#include <QThread>
#include <QVector>
#include <memory>
#include <mutex>
#include <optional>

namespace bp {
class Trainer;
}

namespace bp::ui {

// Points that arrived from the training thread since the last take().
struct SessionUpdate {
    QVector<BatchReport> batches;
    QVector<EpochReport> epochs;
    std::optional<RunStatus> status;
    QString message;
};

// One training run on its own thread. The trainer reports on that thread; the session keeps the reports
// under a mutex and emits a cheap dataAvailable() at most once per pending batch of points, so the GUI
// can coalesce redraws and take() everything at once (PlotJuggler's pattern).
class TrainingSession : public QObject, private TrainingObserver {
    Q_OBJECT
public:
    explicit TrainingSession(RunConfig config, QObject* parent = nullptr);
    ~TrainingSession() override; // stops the run and waits for the thread

    void setData(data::DatasetPair data); // before start(): use these tensors instead of loading
    void start();
    void pause();
    void resume();
    void stop();
    bool isRunning() const;
    // Blocks until the training thread has ended (after stop() or the run's end).
    void wait();

    SessionUpdate take();
    const RunConfig& config() const { return config_; }

Q_SIGNALS:
    void dataAvailable();
    void finished(bp::RunStatus status, const QString& message);

private:
    void onStatus(RunStatus status, const std::string& message) override;
    void onBatch(const BatchReport& report) override;
    void onEpoch(const EpochReport& report) override;
    void notify();

    RunConfig config_;
    std::unique_ptr<Trainer> trainer_;
    QThread* thread_ = nullptr;
    mutable std::mutex mutex_;
    SessionUpdate pending_;
    bool notified_ = false;
};

} // namespace bp::ui

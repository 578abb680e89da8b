#pragma once
#include "core/data/dataset.h"
#include "core/events/observer.h"
#include <QElapsedTimer>
#include <QTimer>
#include <QVector>
#include <QWidget>
#include <memory>
#include <optional>

class QAction;
class QLabel;
class QListView;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace bp {
class RunStore;
struct ResumePlan;
} // namespace bp

namespace bp::ui {

class PresetBar;
class RunForm;
class RunPlots;
class ExternalRun;
class ExternalSweep;
class SweepPanel;
class RunQueueModel;
class TrainingSession;
struct QueuedRun;

// Where runs are configured, launched and watched: presets and the run form with Launch / Queue / Pause /
// Stop and the queue on the left, the run's live plots on the right, progress at the bottom. Runs train one
// at a time on their own thread, each recorded in the run store (with checkpoints) when one is set; a run
// with several processes (the form's Processes) trains in burstprop-train --nproc N, a child process, and is
// shown from the store (train_page_external.cpp).
class TrainPage : public QWidget {
    Q_OBJECT
  public:
    explicit TrainPage(QWidget* parent = nullptr);
    ~TrainPage() override;

    void setStore(RunStore* store); // nullptr: runs are not recorded (the database could not be opened)

    RunForm* form() const { return form_; }
    PresetBar* presetBar() const { return presets_; }
    RunPlots* plots() const { return plots_; }
    RunQueueModel* queue() const { return queue_; }
    QListView* queueView() const { return queueView_; }
    QPushButton* launchButton() const { return launch_; }
    QPushButton* queueButton() const { return enqueue_; }
    // How many runs Launch and Queue make: the form's seed, seed + 1, ... (default 1).
    QSpinBox* seedsBox() const { return seeds_; }
    QPushButton* pauseButton() const { return pause_; }
    QPushButton* stopButton() const { return stop_; }
    // The actions behind the buttons, with their shortcuts (Ctrl+Return, Ctrl+Shift+Return, Ctrl+P, Ctrl+.);
    // the window's Run menu shows them. A button's text may change; the shortcut stays with the action.
    QAction* launchAction() const { return launchAction_; }
    QAction* queueAction() const { return queueAction_; }
    QAction* pauseAction() const { return pauseAction_; }
    QAction* stopAction() const { return stopAction_; }
    QString statusText() const;
    std::optional<RunStatus> lastStatus() const { return lastStatus_; }
    int64_t currentRunId() const { return runId_; }
    // A run trains: in this process (a TrainingSession) or in burstprop-train processes (Processes > 1).
    bool isTraining() const;
    // The burstprop-train child process of a run with several processes, while there is one.
    ExternalRun* externalRun() const { return external_.get(); }
    // Sweeps (train_page_sweep.cpp): while a form field sweeps, Launch starts burstprop-train sweep as a
    // child process; the panel shows its runs from the store in place of the run's plots.
    ExternalSweep* externalSweep() const { return sweep_.get(); }
    SweepPanel* sweepPanel() const { return sweepPanel_; }
    QLabel* sweepSummaryLabel() const { return sweepSummary_; } // the run count and estimated duration
    // Tests: train on these tensors instead of loading the configured dataset.
    void setDataOverride(data::DatasetPair data) { dataOverride_ = std::move(data); }
    // The longest time the GUI thread spent in one drain of the training reports (ms), for benchmarks.
    double longestDrainMs() const { return longestDrainMs_; }

    // The runs Launch or Queue would make now: the form's run once per seed of seedsBox(), named
    // "<name> · seed N" when there are several.
    QVector<QueuedRun> runsFromForm() const;

  public Q_SLOTS:
    // The form's run (one per seed when seedsBox() asks for several): the first now when idle, the rest
    // (or all, while a run trains) at the end of the queue.
    void launch();
    void enqueue(); // the form's run (one per seed) at the end of the queue
    void togglePause();
    void stop();
    // Continues a stopped or interrupted run of the store from its latest checkpoint. False with a reason.
    bool resumeRun(int64_t runId, QString* error);
    // Stops the run in progress, waits for it (its checkpoint is written) and empties the queue.
    void stopAndWait();
    // burstprop-train sweep resume ID: starts a stopped or interrupted sweep's remaining runs. False with a
    // reason.
    bool resumeSweep(int64_t sweepId, QString* error);

  Q_SIGNALS:
    void runStarted(qint64 runId);
    void runFinished(qint64 runId, bp::RunStatus status);
    void errorOccurred(const QString& message);

  private:
    QueuedRun runFromForm() const;
    void startNext();
    bool sessionRunning() const;
    // Processes > 1: burstprop-train --nproc N as a child process, its run shown from the store.
    bool startExternal(const QueuedRun& run, QString* error);
    void refreshExternal(); // re-reads the external run's metrics and progress from the store
    void onExternalFinished(int exitCode, const QString& message);
    bool startSweep(QString* error); // the form's sweep
    bool startSweepProcess(const QStringList& arguments, int64_t sweepId, QString* error);
    void onSweepFinished(int exitCode, const QString& message);
    void updateSweepSummary();
    // A new run of the store (or unrecorded without one), or the continuation of a recorded one.
    bool startRun(const QueuedRun& run, ResumePlan* resume, QString* error);
    void drain();
    void onFinished(RunStatus status, const QString& message);
    void updateButtons();
    void requestWeightsIfShown();

    RunForm* form_;
    PresetBar* presets_;
    RunPlots* plots_;
    RunQueueModel* queue_;
    QListView* queueView_;
    QPushButton* launch_;
    QPushButton* enqueue_;
    QSpinBox* seeds_;
    QPushButton* pause_;
    QPushButton* stop_;
    QPushButton* removeQueued_;
    QAction* launchAction_;
    QAction* queueAction_;
    QAction* pauseAction_;
    QAction* stopAction_;
    QProgressBar* progress_;
    QLabel* status_;
    QTimer replotTimer_;
    QTimer weightsTimer_;
    RunStore* store_ = nullptr;
    std::unique_ptr<TrainingSession> session_;
    std::unique_ptr<ExternalRun> external_;
    QTimer externalTimer_; // re-reads the external run from the store
    int externalProcesses_ = 0;
    std::unique_ptr<ExternalSweep> sweep_;
    SweepPanel* sweepPanel_ = nullptr;
    QLabel* sweepSummary_ = nullptr;
    std::optional<data::DatasetPair> dataOverride_;
    std::optional<RunStatus> lastStatus_;
    std::optional<EpochReport> lastEpoch_; // of the run shown, for the status line
    std::optional<BatchReport> lastBatch_;
    int64_t runId_ = 0;
    bool paused_ = false;
    bool initialWeightsShown_ = false;
    double longestDrainMs_ = 0.0;
};

} // namespace bp::ui

#pragma once
#include <QTimer>
#include <QWidget>
#include <cstdint>
#include <map>

class QCPGraph;
class QCustomPlot;
class QLabel;
class QPushButton;
class QTableWidget;

namespace bp {
class RunStore;
}

namespace bp::ui {

// The Train page's view of a sweep (burstprop-train sweep, run as a child process): its status, a row per
// run (id, swept values, status, epoch, latest test error) and one plot with a test-error curve per run that
// has started, all read from the run store (every second while the sweep runs; a run's test errors are read
// only when its epochs done changed, and only those after the last one read). Resume sweep continues a
// stopped or interrupted sweep (burstprop-train sweep resume ID); Pause sweep / Continue sweep signal the
// process that runs it, and Stop run / Pause run / Continue run the processes of the selected runs, as
// burstprop-train sweep pause|continue ID and stop|pause|continue RUN do (core/runs/run_control.h).
class SweepPanel : public QWidget {
    Q_OBJECT
  public:
    explicit SweepPanel(QWidget* parent = nullptr);

    void setStore(RunStore* store) { store_ = store; }
    // Shows the sweep (0: none yet, "starting…"), re-read now and, while running, every second.
    void showSweep(int64_t sweepId);
    void setRunning(bool running);
    int64_t sweepId() const { return sweepId_; }
    void refresh();

    QTableWidget* runsTable() const { return table_; }
    QCustomPlot* plot() const { return plot_; }
    QLabel* statusLabel() const { return status_; }
    QPushButton* resumeButton() const { return resume_; }
    QPushButton* pauseSweepButton() const { return pauseSweep_; }
    QPushButton* continueSweepButton() const { return continueSweep_; }
    QPushButton* stopRunButton() const { return stopRun_; }
    QPushButton* pauseRunButton() const { return pauseRun_; }
    QPushButton* continueRunButton() const { return continueRun_; }
    // What the last pause, continue or stop did (or why nothing could be done).
    QLabel* actionLabel() const { return action_; }
    // Test-error reads done by refresh() so far (each a query of the store), for tests.
    int metricReads() const { return metricReads_; }
    QString sweepStatus() const { return sweepStatus_; } // as recorded: running, stopped, completed, ...

  Q_SIGNALS:
    void resumeRequested(qint64 sweepId);

  private:
    void updateResume();
    void updateRunButtons();
    void pauseOrContinueSweep(bool pause);
    void actOnSelectedRuns(int action); // a bp::RunAction
    void clearCurves();

    // A run's curve and what of its test errors has been read.
    struct Curve {
        QCPGraph* graph = nullptr;
        int64_t lastStep = -1; // the last step read
        int epochsRead = -1;   // the run's epochs done when it was last read
        QString lastError;
    };

    RunStore* store_ = nullptr;
    int64_t sweepId_ = 0;
    bool running_ = false;
    QString sweepStatus_;
    QLabel* status_;
    QPushButton* resume_;
    QPushButton* pauseSweep_;
    QPushButton* continueSweep_;
    QPushButton* stopRun_;
    QPushButton* pauseRun_;
    QPushButton* continueRun_;
    QLabel* action_;
    std::map<int64_t, Curve> curves_; // by run id, of the sweep shown
    int metricReads_ = 0;
    QTableWidget* table_;
    QCustomPlot* plot_;
    QTimer timer_;
};

} // namespace bp::ui

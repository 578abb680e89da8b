#pragma once
#include <QTimer>
#include <QWidget>
#include <cstdint>

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
// has started, all read from the run store (every second while the sweep runs). Resume sweep continues a
// stopped or interrupted sweep (burstprop-train sweep resume ID).
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
    QString sweepStatus() const { return sweepStatus_; } // as recorded: running, stopped, completed, ...

  Q_SIGNALS:
    void resumeRequested(qint64 sweepId);

  private:
    void updateResume();

    RunStore* store_ = nullptr;
    int64_t sweepId_ = 0;
    bool running_ = false;
    QString sweepStatus_;
    QLabel* status_;
    QPushButton* resume_;
    QTableWidget* table_;
    QCustomPlot* plot_;
    QTimer timer_;
};

} // namespace bp::ui

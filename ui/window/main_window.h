#pragma once
#include "core/data/dataset.h"
#include "core/train/observer.h"
#include <QMainWindow>
#include <QTimer>
#include <memory>
#include <optional>

class QLabel;
class QProgressBar;
class QPushButton;

namespace bp::ui {

class MetricPlot;
class RunForm;
class TrainingSession;

// The explorer's window: the run form on the left, live plots of loss, error and alignment angles on
// the right, progress in the status bar. Training runs on its own thread; redraws are coalesced.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    RunForm* form() const { return form_; }
    QPushButton* launchButton() const { return launch_; }
    QPushButton* pauseButton() const { return pause_; }
    QPushButton* stopButton() const { return stop_; }
    MetricPlot* lossPlot() const { return loss_; }
    MetricPlot* errorPlot() const { return error_; }
    MetricPlot* weightAnglePlot() const { return weightAngles_; }
    MetricPlot* deltaAnglePlot() const { return deltaAngles_; }
    QString statusText() const;
    std::optional<RunStatus> lastStatus() const { return lastStatus_; }
    // Tests: train on these tensors instead of loading the configured dataset.
    void setDataOverride(data::DatasetPair data) { dataOverride_ = std::move(data); }

public Q_SLOTS:
    void launch();
    void togglePause();
    void stop();

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void drainSession();
    void onFinished(RunStatus status, const QString& message);
    void updateButtons();

    RunForm* form_;
    QPushButton* launch_;
    QPushButton* pause_;
    QPushButton* stop_;
    MetricPlot* loss_;
    MetricPlot* error_;
    MetricPlot* weightAngles_;
    MetricPlot* deltaAngles_;
    QProgressBar* progress_;
    QLabel* status_;
    QTimer replotTimer_;
    std::unique_ptr<TrainingSession> session_;
    std::optional<data::DatasetPair> dataOverride_;
    std::optional<RunStatus> lastStatus_;
    bool paused_ = false;
    int series_[4] = {};
};

} // namespace bp::ui

#pragma once
#include "core/config/run_config.h"
#include "core/events/observer.h"
#include <chrono>
#include <mutex>
#include <ostream>
#include <string>

namespace bp {

// burstprop-train's text output: a line per finished epoch and, on a terminal, a one-line progress bar
// redrawn in place with '\r' (at most every redrawInterval seconds).
class ProgressPrinter : public TrainingObserver {
  public:
    // bar: draw the progress bar (stdout is a terminal); columns: its width limit.
    ProgressPrinter(std::ostream& out, const RunConfig& config, bool bar, int columns = 80,
                    double redrawIntervalSeconds = 0.1);

    void onStatus(RunStatus status, const std::string& message) override;
    void onBatch(const BatchReport& report) override;
    void onEpoch(const EpochReport& report) override;

    // "epoch 1/2 [=====>    ] 45/100  loss 0.0456  acc 87.5%  4567 ex/s  ETA 0:12", cut to columns - 1.
    static std::string barLine(const BatchReport& report, int epochs, int columns);
    // "epoch 1/2  train loss 0.0456 error 12.50%  test loss 0.0400 error 11.00%  weight angles 45.1 50.2°
    // ..."
    static std::string epochLine(const EpochReport& report, int epochs);
    // "1:02:03", "2:03", "--" when unknown.
    static std::string formatDuration(double seconds);

  private:
    void clearBar();

    std::ostream& out_;
    int epochs_;
    bool bar_;
    int columns_;
    std::chrono::duration<double> redrawInterval_;
    std::mutex mutex_;
    bool barShown_ = false;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point lastDraw_;
};

// Whether standard output is a terminal, and its width (80 when unknown).
bool stdoutIsTerminal();
int terminalColumns();

} // namespace bp

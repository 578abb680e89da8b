#include "core/cli/progress_printer.h"
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sys/ioctl.h>
#include <unistd.h>

namespace bp {

namespace {

std::string format(const char* pattern, double value) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, pattern, value);
    return buffer;
}

std::string anglesText(const std::vector<double>& angles) {
    std::string out;
    for (double a : angles)
        out += (out.empty() ? "" : " ") + (std::isfinite(a) ? format("%.1f", a) : std::string("nan"));
    return out + "°";
}

} // namespace

ProgressPrinter::ProgressPrinter(std::ostream& out, const RunConfig& config, bool bar, int columns,
                                 double redrawIntervalSeconds)
    : out_(out), epochs_(config.epochs), bar_(bar), columns_(columns),
      redrawInterval_(redrawIntervalSeconds) {}

std::string ProgressPrinter::formatDuration(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0)
        return "--";
    const long long s = std::llround(seconds);
    char buffer[32];
    if (s >= 3600)
        std::snprintf(buffer, sizeof buffer, "%lld:%02lld:%02lld", s / 3600, (s / 60) % 60, s % 60);
    else
        std::snprintf(buffer, sizeof buffer, "%lld:%02lld", s / 60, s % 60);
    return buffer;
}

std::string ProgressPrinter::barLine(const BatchReport& r, int epochs, int columns) {
    // The figures always fit; the bar takes what room is left, up to kMaxCells (none below kMinCells).
    constexpr int kMaxCells = 20;
    constexpr int kMinCells = 5;
    const std::string head = "epoch " + std::to_string(r.epoch) + "/" + std::to_string(epochs) + " ";
    const std::string tail =
        std::to_string(r.batch) + "/" + std::to_string(r.batchesPerEpoch) + " loss " +
        format("%.4f", r.runningLoss) + " acc " + format("%.1f%%", 100.0 - r.runningError) + " " +
        format("%.0f", r.examplesPerSecond) + " ex/s ETA " + formatDuration(r.etaSeconds) +
        (r.skippedFiles > 0 ? " skipped " + std::to_string(r.skippedFiles) : std::string());
    const int room = (columns > 1 ? columns - 1 : 1000) - static_cast<int>(head.size() + tail.size()) - 3;
    const int cells = std::min(kMaxCells, room);
    std::string line = head;
    if (cells >= kMinCells) {
        const double fraction =
            r.batchesPerEpoch > 0 ? static_cast<double>(r.batch) / r.batchesPerEpoch : 0.0;
        const int filled = std::min(cells, static_cast<int>(std::floor(fraction * cells)));
        std::string bar(static_cast<size_t>(filled), '=');
        if (filled < cells)
            bar += '>';
        bar.resize(static_cast<size_t>(cells), ' ');
        line += "[" + bar + "] ";
    }
    line += tail;
    if (columns > 1 && line.size() > static_cast<size_t>(columns - 1))
        line.resize(static_cast<size_t>(columns - 1));
    return line;
}

std::string ProgressPrinter::epochLine(const EpochReport& r, int epochs) {
    std::string line = "epoch " + std::to_string(r.epoch) + "/" + std::to_string(epochs);
    if (r.epoch == 0)
        line += " (before training)";
    if (std::isfinite(r.trainLoss))
        line += "  train loss " + format("%.4f", r.trainLoss) + " error " + format("%.2f%%", r.trainError);
    line += "  test loss " + format("%.4f", r.testLoss) + " error " + format("%.2f%%", r.testError);
    if (std::isfinite(r.testTop5Error))
        line += " top-5 " + format("%.2f%%", r.testTop5Error);
    if (r.epoch > 0 && r.silentClasses > 0) // an output unit that went silent early (README, Open questions)
        line += " (" + std::to_string(r.silentClasses) + (r.silentClasses == 1 ? " class" : " classes") +
                " never predicted)";
    if (!r.weightAngles.empty())
        line += "  weight angles " + anglesText(r.weightAngles);
    if (!r.deltaAngles.empty())
        line += "  delta angles " + anglesText(r.deltaAngles);
    if (r.epoch > 0 && r.epochSeconds > 0)
        line += "  (" + format("%.1f", r.epochSeconds) + " s, " + format("%.0f", r.examplesPerSecond) +
                " ex/s" +
                (r.dataWaitSeconds > 0
                     ? ", waited " + format("%.1f", 1000 * r.dataWaitSeconds) + " ms/step for data"
                     : std::string()) +
                ")";
    if (r.skippedFiles > 0)
        line += "  " + std::to_string(r.skippedFiles) + (r.skippedFiles == 1 ? " file" : " files") +
                " skipped (burstprop-train show lists them)";
    return line;
}

void ProgressPrinter::clearBar() {
    if (barShown_) {
        out_ << "\r\033[K";
        barShown_ = false;
    }
}

void ProgressPrinter::onStatus(RunStatus status, const std::string& /*message*/) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (status == RunStatus::Paused) {
        clearBar();
        out_ << "paused" << std::endl;
    } else if (isFinal(status)) {
        clearBar();
        out_.flush();
    }
}

void ProgressPrinter::onBatch(const BatchReport& report) {
    if (!bar_)
        return;
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard<std::mutex> lock(mutex_);
    if (drawn_ && now - lastDraw_ < redrawInterval_)
        return;
    drawn_ = true;
    lastDraw_ = now;
    out_ << "\r\033[K" << barLine(report, epochs_, columns_);
    out_.flush();
    barShown_ = true;
}

void ProgressPrinter::onEpoch(const EpochReport& report) {
    std::lock_guard<std::mutex> lock(mutex_);
    clearBar();
    out_ << epochLine(report, epochs_) << std::endl;
}

bool stdoutIsTerminal() {
    return ::isatty(STDOUT_FILENO) == 1;
}

int terminalColumns() {
    winsize size{};
    if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
        return size.ws_col;
    return 80;
}

} // namespace bp

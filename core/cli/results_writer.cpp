#include "core/cli/results_writer.h"
#include "core/cli/options.h"
#include "core/config/hyperparameters.h"
#include "core/rules/rule_registry.h"
#include "core/setup/config_options.h"
#include "core/setup/defaults.h"
#include "core/store/run_store.h"
#include "core/util/atomic_file.h"
#include "core/util/error.h"
#include "core/util/number_text.h"
#include <cerrno>
#include <cmath>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <iterator>
#include <optional>
#include <system_error>
#include <vector>

namespace bp {

namespace {

namespace fs = std::filesystem;

std::string pythonBool(bool b) {
    return b ? "True" : "False";
}

std::string number(double v) {
    return std::isfinite(v) ? formatNumber(v, 9) : std::string();
}

std::string nowText() {
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    char buffer[64];
    std::strftime(buffer, sizeof buffer, "%I:%M%p on %B %d, %Y", &local);
    return buffer;
}

void writeFile(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out)
        throw Error("cannot write '" + path.string() + "'");
}

// The complete lines of a file: a last line cut short by a kill has no '\n' and is left out. nullopt when the
// file cannot be opened (or does not exist).
std::optional<std::vector<std::string>> completeLines(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return std::nullopt;
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<std::string> lines;
    for (size_t start = 0, end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
        lines.push_back(text.substr(start, end - start));
    return lines;
}

// The epoch that leads a CSV row (its first field), if it is a number.
std::optional<int64_t> rowEpoch(const std::string& line) {
    return parseInteger(line.substr(0, line.find(',')));
}

// Keeps the rows of a continued signal_histograms.csv whose epoch is at most afterEpoch, under the header; a
// missing or headerless file starts with the header.
std::string keptSignalRows(const fs::path& path, int afterEpoch) {
    const std::vector<std::string> lines = completeLines(path).value_or(std::vector<std::string>{});
    std::string kept = std::string(kSignalCsvColumns) + "\n";
    for (size_t i = 0; i < lines.size(); ++i) {
        if (i == 0 && lines[i] == kSignalCsvColumns)
            continue;
        const std::optional<int64_t> epoch = rowEpoch(lines[i]);
        if (epoch && *epoch <= afterEpoch)
            kept += lines[i] + "\n";
    }
    return kept;
}

} // namespace

std::string ResultsWriter::paramsText(const RunConfig& c, const std::string& timestamp,
                                      const std::string& commandLine) {
    const RunConfig n = normalized(c); // the values in effect, as the reference prints them
    std::string widths;
    for (int w : n.hiddenWidths)
        widths += (widths.empty() ? "" : ", ") + std::to_string(w);
    std::string out;
    out += "Simulation run @ " + timestamp + "\n";
    out += "Program: burstprop-train " BURSTPROP_VERSION "\n";
    if (!commandLine.empty())
        out += "Command line: " + commandLine + "\n";
    out += "Dataset: " + toString(n.dataset) + "\n";
    out += "Data directory: " + (n.dataDir.empty() ? std::string("(default)") : n.dataDir) + "\n";
    out += "Using validation set: " + pythonBool(n.validation) + "\n";
    out += "Network: " + toString(n.architecture) + "\n";
    out += "Convolutional network: " + pythonBool(n.architecture != Architecture::FullyConnected) + "\n";
    if (n.architecture == Architecture::FullyConnected) {
        out += "Number of hidden layers: " + std::to_string(n.hiddenWidths.size()) + "\n";
        out += "Hidden layer widths: [" + widths + "]\n";
    }
    out += "Learning rule: " + n.rule + "\n";
    out += "Using backprop: " + pythonBool(n.rule == "backprop") + "\n";
    out += "Using node pertubation: " + pythonBool(n.rule == "node-perturbation") + "\n";
    out += "Sequential node pertubation: " + pythonBool(n.perturbation != PerturbationMode::AllLayers) + "\n";
    out += "Perturb only single units: " + pythonBool(n.perturbation == PerturbationMode::UnitByUnit) + "\n";
    out += "Seed: " + std::to_string(n.seed) + "\n";
    out += "Device: " + n.device + "\n";
    out += "\nHyperparameters (flag: value [range] unit; * = not used by " + n.rule + "):\n";
    for (const ParamSpec& spec : hyperparameters()) {
        const double v = spec.get(n);
        std::string line = flagName(spec.key) + ": ";
        if (spec.type == ParamType::Bool)
            line += v != 0.0 ? "true" : "false";
        else
            line += paramValueText(spec, v) + " [" + paramValueText(spec, spec.min) + ", " +
                    paramValueText(spec, spec.max) + "]";
        if (*spec.unit)
            line += std::string(" ") + spec.unit;
        if (!ruleUsesHyperparameter(n.rule, spec.key))
            line += " *";
        line += "  # " + std::string(spec.help);
        out += line + "\n";
    }
    if (!n.info.empty())
        out += "\nOther info: " + n.info + "\n";
    return out;
}

std::string ResultsWriter::csvHeader(size_t angleColumns, int firstWeightAngleLayer, bool top5) {
    std::string header = "epoch,train_loss,train_error,test_loss,test_error";
    if (top5)
        header += ",train_top5_error,test_top5_error";
    for (size_t i = 0; i < angleColumns; ++i)
        header += ",weight_angle_" + std::to_string(static_cast<size_t>(firstWeightAngleLayer) + i);
    for (size_t i = 0; i < angleColumns; ++i)
        header += ",delta_angle_" + std::to_string(i);
    return header + ",silent_classes";
}

std::string ResultsWriter::csvRow(const EpochReport& r, size_t angleColumns, bool top5) {
    std::string row = std::to_string(r.epoch) + "," + number(r.trainLoss) + "," + number(r.trainError) + "," +
                      number(r.testLoss) + "," + number(r.testError);
    if (top5)
        row += "," + number(r.trainTop5Error) + "," + number(r.testTop5Error);
    for (const std::vector<double>* angles : {&r.weightAngles, &r.deltaAngles})
        for (size_t i = 0; i < angleColumns; ++i)
            row += "," + (i < angles->size() ? number((*angles)[i]) : std::string());
    return row + "," + std::to_string(r.silentClasses);
}

ResultsWriter::ResultsWriter(const std::string& dir, const RunConfig& config, const std::string& commandLine)
    : dir_(dir) {
    const fs::path root(dir);
    std::error_code ec;
    fs::create_directories(root, ec);
    if (ec || !fs::is_directory(root))
        throw Error("cannot create the results directory '" + dir + "'" + (ec ? ": " + ec.message() : ""));
    writeFile(root / "params.txt", paramsText(config, nowText(), commandLine));
    writeFile(root / "config.json", toJson(config) + "\n");
    metricsPath_ = (root / "metrics.csv").string();
    metrics_.open(metricsPath_, std::ios::binary | std::ios::trunc);
    if (!metrics_)
        throw Error("cannot write '" + metricsPath_ + "'");
    signalsPath_ = (root / "signal_histograms.csv").string();
    signals_.open(signalsPath_, std::ios::binary | std::ios::trunc);
    signals_ << kSignalCsvColumns << '\n';
    signals_.flush();
    if (!signals_)
        throw Error("cannot write '" + signalsPath_ + "'");
}

std::unique_ptr<ResultsWriter> ResultsWriter::continuing(const std::string& dir, const RunConfig& config,
                                                         int afterEpoch) {
    const fs::path root(dir);
    const fs::path metrics = root / "metrics.csv";
    std::error_code ec;
    if (!fs::is_regular_file(metrics, ec))
        return nullptr;
    const std::optional<std::vector<std::string>> lines = completeLines(metrics);
    if (!lines)
        throw Error("cannot read '" + metrics.string() + "' to continue it");
    std::unique_ptr<ResultsWriter> writer(new ResultsWriter());
    writer->dir_ = dir;
    writer->metricsPath_ = metrics.string();
    std::string kept;
    if (!lines->empty() && (*lines)[0].rfind("epoch,", 0) == 0) {
        const std::string& header = (*lines)[0];
        writer->top5_ = header.find(",train_top5_error,") != std::string::npos;
        for (size_t at = 0; (at = header.find(",weight_angle_", at)) != std::string::npos; ++at)
            ++writer->angleColumns_;
        writer->headerWritten_ = true;
        kept = header + "\n";
        for (size_t i = 1; i < lines->size(); ++i) {
            const std::optional<int64_t> epoch = rowEpoch((*lines)[i]);
            if (!epoch || *epoch > afterEpoch) // trained again (or not a row): written anew
                break;
            kept += (*lines)[i] + "\n";
            writer->lastEpoch_ = static_cast<int>(*epoch);
        }
    } // no header (killed before the first row): written with the first report, as by a new run
    writeFileAtomically(metrics.string(), kept);
    writeFile(root / "config.json", toJson(config) + "\n");
    writer->metrics_.open(writer->metricsPath_, std::ios::binary | std::ios::app);
    if (!writer->metrics_)
        throw Error("cannot write '" + writer->metricsPath_ + "'");
    // The signal histograms of the epochs kept (those of a stopped epoch's first part are dropped with its
    // row: the run measures that epoch's remaining steps only).
    const fs::path signals = root / "signal_histograms.csv";
    writer->signalsPath_ = signals.string();
    writeFileAtomically(signals.string(), keptSignalRows(signals, afterEpoch));
    writer->signals_.open(writer->signalsPath_, std::ios::binary | std::ios::app);
    if (!writer->signals_)
        throw Error("cannot write '" + writer->signalsPath_ + "'");
    return writer;
}

void ResultsWriter::writeSignals(int epoch, int64_t step, const std::vector<SignalHistogram>& histograms) {
    if (histograms.empty() || epoch <= lastEpoch_)
        return;
    std::string rows;
    for (const SignalHistogram& h : histograms)
        appendSignalCsvRows(rows, {}, {epoch, step, h});
    signals_ << rows;
    signals_.flush();
    if (!signals_)
        throw Error(signalsPath_ + ": cannot write the signal histograms of step " + std::to_string(step) +
                    " (" + std::strerror(errno) + ")");
}

void ResultsWriter::onBatch(const BatchReport& report) {
    std::lock_guard<std::mutex> lock(mutex_);
    writeSignals(report.epoch, report.step, report.signals);
}

void ResultsWriter::onEpoch(const EpochReport& report) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (report.epoch <= lastEpoch_) // a continued file has that row already
        return;
    writeSignals(report.epoch, report.step, report.signals); // epoch 0's, the untrained network's
    if (!headerWritten_) {
        // Every layer but the lowest has a weight angle and every hidden layer a delta angle: the
        // same count. The first report (epoch 0) fixes the columns.
        angleColumns_ = std::max(report.weightAngles.size(), report.deltaAngles.size());
        top5_ = std::isfinite(report.testTop5Error);
        metrics_ << csvHeader(angleColumns_, report.firstWeightAngleLayer, top5_) << '\n';
        headerWritten_ = true;
    }
    metrics_ << csvRow(report, angleColumns_, top5_) << '\n';
    metrics_.flush();
    if (!metrics_) // a full disk, a lost mount: the run ends as failed, naming the file, rather than losing
                   // rows
        throw Error(metricsPath_ + ": cannot write epoch " + std::to_string(report.epoch) + "'s row (" +
                    std::strerror(errno) + "); the results folder no longer receives the run's metrics");
}

} // namespace bp

#include "core/cli/results_writer.h"
#include "core/cli/options.h"
#include "core/config/hyperparameters.h"
#include "core/rules/rule_registry.h"
#include "core/setup/config_options.h"
#include "core/setup/defaults.h"
#include "core/util/error.h"
#include "core/util/number_text.h"
#include <cerrno>
#include <cmath>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <system_error>

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
}

void ResultsWriter::onEpoch(const EpochReport& report) {
    std::lock_guard<std::mutex> lock(mutex_);
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

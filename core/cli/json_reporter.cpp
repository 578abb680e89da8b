#include "core/cli/json_reporter.h"
#include "core/config/hyperparameters.h"
#include "core/util/json_writer.h"
#include <cmath>

namespace bp {

JsonReporter::JsonReporter(std::ostream& out, RunConfig config, double progressIntervalSeconds)
    : out_(out), config_(std::move(config)), progressInterval_(progressIntervalSeconds) {}

std::string JsonReporter::statusJson(RunStatus status, const std::string& message,
                                     const std::string& configJson) {
    JsonWriter json;
    json.field("event", "status").field("status", toString(status)).field("message", message);
    if (!configJson.empty())
        json.raw("config", configJson);
    return json.str();
}

std::string JsonReporter::progressJson(const BatchReport& r) {
    JsonWriter json;
    json.field("event", "progress")
        .field("epoch", r.epoch)
        .field("batch", r.batch)
        .field("batches_per_epoch", r.batchesPerEpoch)
        .field("step", static_cast<long long>(r.step))
        .field("loss", r.loss)
        .field("error", r.error)
        .field("running_loss", r.runningLoss)
        .field("running_error", r.runningError)
        .field("examples_per_second", r.examplesPerSecond)
        .field("elapsed_seconds", r.elapsedSeconds)
        .field("eta_seconds", r.etaSeconds);
    return json.str();
}

std::string JsonReporter::epochJson(const EpochReport& r) {
    JsonWriter json;
    json.field("event", "epoch")
        .field("epoch", r.epoch)
        .field("train_loss", r.trainLoss)
        .field("train_error", r.trainError)
        .field("test_loss", r.testLoss)
        .field("test_error", r.testError);
    if (std::isfinite(r.testTop5Error)) // networks with a softmax output (the ImageNet net)
        json.field("train_top5_error", r.trainTop5Error).field("test_top5_error", r.testTop5Error);
    if (r.skippedFiles > 0)
        json.field("skipped_files", static_cast<long long>(r.skippedFiles));
    json.field("weight_angles", r.weightAngles).field("delta_angles", r.deltaAngles);
    return json.str();
}

void JsonReporter::write(const std::string& line) {
    out_ << line << '\n';
    out_.flush();
}

void JsonReporter::onStatus(RunStatus status, const std::string& message) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (finalWritten_)
        return;
    std::string config;
    if (!configWritten_) {
        config = toJson(config_);
        configWritten_ = true;
    }
    write(statusJson(status, message, config));
    finalWritten_ = isFinal(status);
}

void JsonReporter::onBatch(const BatchReport& report) {
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard<std::mutex> lock(mutex_);
    if (progressWritten_ && now - lastProgress_ < progressInterval_)
        return;
    progressWritten_ = true;
    lastProgress_ = now;
    write(progressJson(report));
}

void JsonReporter::onEpoch(const EpochReport& report) {
    std::lock_guard<std::mutex> lock(mutex_);
    write(epochJson(report));
}

void JsonReporter::finish(RunStatus status, const std::string& message) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (finalWritten_)
        return;
    write(statusJson(status, message, configWritten_ ? std::string() : toJson(config_)));
    configWritten_ = true;
    finalWritten_ = true;
}

} // namespace bp

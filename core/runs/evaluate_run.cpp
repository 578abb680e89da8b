#include "core/runs/evaluate_run.h"
#include "core/config/hyperparameters.h"
#include "core/runs/recorded_run.h"
#include "core/util/error.h"
#include <filesystem>

namespace bp {

namespace {

std::string firstLine(const std::string& text) {
    return text.substr(0, text.find('\n')); // c10::Error appends a backtrace
}

Checkpoint readCheckpoint(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw Error("the checkpoint file " + path + " is missing (were the run's files removed?)");
    try {
        return loadCheckpoint(path);
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        throw Error(path + ": damaged checkpoint: " + firstLine(e.what()));
    }
}

} // namespace

RunEvaluation evaluateRun(RunStore& store, int64_t runId, const std::string& label,
                          const std::string& dataDir, const std::string& device, std::optional<int> threads) {
    const std::optional<RunRecord> record = store.getRun(runId);
    if (!record)
        throw Error("run " + std::to_string(runId) + " is not in " + store.path() +
                    " (burstprop-train list)");
    RunEvaluation e;
    e.run = *record;
    e.label = label.empty() ? "latest" : label;
    e.checkpointPath = findCheckpoint(store, runId, label);
    const Checkpoint checkpoint = readCheckpoint(e.checkpointPath);
    const CheckpointOwner self = ownerOf(store, runId);
    if (checkpoint.owner.known() && !checkpoint.owner.sameRun(self))
        throw Error(e.checkpointPath + " belongs to " + checkpoint.owner.describe() + ", not to " +
                    self.describe());
    e.epoch = checkpoint.epoch;
    e.step = checkpoint.step;
    RunConfig config = configFromJson(e.run.configJson);
    if (!dataDir.empty()) {
        std::error_code ec;
        if (!std::filesystem::is_directory(dataDir, ec))
            throw Error("the data folder " + dataDir + " does not exist");
        config.dataDir = dataDir;
    }
    config.download = false;
    e.dataDir = config.dataDir;
    if (!device.empty()) {
        config.device = device;
        if (config.dtype == Dtype::Float64 && device != "cpu")
            throw Error("run " + std::to_string(runId) +
                        " trains in float64, which runs on the CPU only (--device cpu)");
    }
    if (threads)
        config.threads = *threads;
    Trainer trainer(config);
    try {
        e.result = trainer.evaluateCheckpoint(checkpoint);
    } catch (const Error&) {
        throw;
    } catch (const std::exception& ex) {
        throw Error(firstLine(ex.what()));
    }
    return e;
}

} // namespace bp

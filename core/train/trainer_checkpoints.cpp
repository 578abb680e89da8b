// The trainer's checkpoints: what a state holds, where it is written, and how a run continues from one.
#include "core/config/hyperparameters.h"
#include "core/rules/node_perturbation.h"
#include "core/train/trainer.h"
#include "core/util/error.h"
#include <filesystem>

namespace bp {

std::vector<double> EpochSums::pack() const {
    std::vector<double> out{loss, static_cast<double>(correct), static_cast<double>(seen),
                            static_cast<double>(angleCount)};
    out.insert(out.end(), angleSums.begin(), angleSums.end());
    return out;
}

EpochSums EpochSums::unpack(const std::vector<double>& values) {
    EpochSums s;
    if (values.size() < 4)
        throw Error("damaged checkpoint: \"extra.epoch_sums\" holds " + std::to_string(values.size()) +
                    " values, fewer than 4");
    s.loss = values[0];
    s.correct = static_cast<int64_t>(values[1]);
    s.seen = static_cast<int64_t>(values[2]);
    s.angleCount = static_cast<int>(values[3]);
    s.angleSums.assign(values.begin() + 4, values.end());
    return s;
}

std::string Trainer::checkpointPath(const std::string& dir, CheckpointKind kind, int epoch) {
    std::string name = toString(kind);
    if (kind == CheckpointKind::Epoch) {
        char number[16];
        std::snprintf(number, sizeof number, "%04d", epoch);
        name += "-" + std::string(number);
    }
    return (std::filesystem::path(dir) / (name + ".ckpt")).string();
}

std::string Trainer::resumableCheckpoint(const std::string& dir) {
    for (CheckpointKind kind : {CheckpointKind::Latest, CheckpointKind::Initial}) {
        const std::string path = checkpointPath(dir, kind);
        std::error_code ec;
        if (std::filesystem::is_regular_file(path, ec))
            return path;
    }
    return {};
}

Checkpoint Trainer::captureState(int epoch, int64_t step, int batchInEpoch, const at::Tensor& order,
                                 const EpochSums* sums) {
    Checkpoint c;
    c.captureNetwork(network_);
    c.epoch = epoch;
    c.step = step;
    c.batchInEpoch = batchInEpoch;
    if (order.defined())
        c.dataOrder = order.to(at::kCPU).clone();
    c.captureGenerator("order", orderGenerator_);
    c.captureGenerator("augment", augmentGenerator_);
    if (auto* np = dynamic_cast<NodePerturbationRule*>(rule_.get())) {
        c.captureGenerator("perturbation", np->generator());
        c.perturbationLayer = np->currentLayer();
        c.perturbationUnit = np->currentUnit();
    }
    c.configJson = toJson(config_);
    if (sums)
        c.extras["epoch_sums"] = sums->pack();
    c.extras["clock"] = {elapsedBefore_ +
                         std::chrono::duration<double>(std::chrono::steady_clock::now() - runStart_).count()};
    c.extras["best_test_error"] = bestTestError_ ? std::vector<double>{*bestTestError_} : std::vector<double>{};
    return c;
}

void Trainer::writeCheckpoint(CheckpointKind kind, const Checkpoint& state) {
    if (checkpointing_.dir.empty())
        return;
    const std::string path = checkpointPath(checkpointing_.dir, kind, state.epoch);
    try {
        std::filesystem::create_directories(checkpointing_.dir);
        saveCheckpoint(path, state);
    } catch (const std::exception& e) {
        // Training goes on: losing a checkpoint must not lose the run.
        setStatus(status_, std::string("warning: the ") + toString(kind) + " checkpoint was not written: " +
                               e.what());
        return;
    }
    if (observer_) {
        CheckpointReport report;
        report.kind = kind;
        report.epoch = state.epoch;
        report.step = state.step;
        report.batchInEpoch = state.batchInEpoch;
        report.path = path;
        observer_->onCheckpoint(report);
    }
}

void Trainer::restoreResumeState() {
    const Checkpoint& c = *resume_;
    const std::string source = "checkpoint (epoch " + std::to_string(c.epoch) + ")";
    c.restoreNetwork(network_, source);
    c.restoreGenerator("order", orderGenerator_, source);
    c.restoreGenerator("augment", augmentGenerator_, source);
    if (auto* np = dynamic_cast<NodePerturbationRule*>(rule_.get())) {
        c.restoreGenerator("perturbation", np->generator(), source);
        np->setPosition(c.perturbationLayer, c.perturbationUnit);
    }
    auto extra = [&](const char* name) {
        auto it = c.extras.find(name);
        return it == c.extras.end() ? std::vector<double>{} : it->second;
    };
    const std::vector<double> clock = extra("clock");
    elapsedBefore_ = clock.empty() ? 0.0 : clock[0];
    const std::vector<double> best = extra("best_test_error");
    if (!best.empty())
        bestTestError_ = best[0];
}

} // namespace bp

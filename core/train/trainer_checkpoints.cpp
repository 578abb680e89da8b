// The trainer's checkpoints: what a state holds, where it is written, and how a run continues from one.
#include "core/config/hyperparameters.h"
#include "core/train/trainer.h"
#include "core/util/error.h"
#include "core/util/fault_point.h"
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
        const std::string digits = std::to_string(epoch);
        name += "-" + std::string(digits.size() < 4 ? 4 - digits.size() : 0, '0') + digits;
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
    c.networkJson = toJson(spec_);
    c.optimizer = learner_->optimizer().name();
    for (const auto& [name, t] : learner_->optimizer().state())
        c.optimizerState[name] = t.detach().cpu().clone();
    c.rule = learner_->info().name;
    for (const auto& [name, t] : learner_->rule().saveState())
        c.ruleState[name] = t.detach().cpu().clone();
    c.epoch = epoch;
    c.step = step;
    c.batchInEpoch = batchInEpoch;
    if (order.defined())
        c.dataOrder = order.to(at::kCPU).clone();
    c.captureGenerator("order", sampler_->generator());
    c.captureGenerator("augment", augmentGenerator_);
    c.configJson = toJson(config_);
    c.owner = checkpointing_.owner;
    if (sums)
        c.extras["epoch_sums"] = sums->pack();
    if (sums && sums->seenTop5 > 0)
        c.extras["epoch_top5"] = {static_cast<double>(sums->correctTop5),
                                  static_cast<double>(sums->seenTop5)};
    c.extras["clock"] = {elapsedBefore_ +
                         std::chrono::duration<double>(std::chrono::steady_clock::now() - runStart_).count()};
    c.extras["best_test_error"] =
        bestTestError_ ? std::vector<double>{*bestTestError_} : std::vector<double>{};
    return c;
}

void Trainer::writeCheckpoint(CheckpointKind kind, const Checkpoint& state) {
    if (checkpointing_.dir.empty() || (group_ && group_->rank() != 0)) // rank 0 writes the group's
        return;
    const std::string path = checkpointPath(checkpointing_.dir, kind, state.epoch);
    try {
        std::filesystem::create_directories(checkpointing_.dir);
        saveCheckpoint(path, state);
    } catch (const std::exception& e) {
        // Training goes on: losing a checkpoint must not lose the run.
        setStatus(status_,
                  std::string("warning: the ") + toString(kind) + " checkpoint was not written: " + e.what());
        return;
    }
    faultPoint("checkpoint.renamed");
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
    const std::string source =
        (c.path.empty() ? std::string("checkpoint") : c.path) + " (epoch " + std::to_string(c.epoch) + ")";
    if (!c.rule.empty() && c.rule != learner_->info().name)
        throw Error(source + ": written by the rule " + c.rule + ", not " + learner_->info().name);
    c.restoreNetwork(network_, source); // names the first layer whose tensors do not fit
    if (!c.networkJson.empty() && networkSpecFromJson(c.networkJson).describe() != spec_.describe())
        throw Error(source + ": its network " + networkSpecFromJson(c.networkJson).describe() +
                    " is not the configuration's " + spec_.describe());
    // Format 1 files name no optimizer: theirs was the rule's own, which is what a format 1 config asks for.
    if (!c.optimizer.empty() && c.optimizer != learner_->optimizer().name())
        throw Error(source + ": its optimizer state is " + c.optimizer + "'s, the run's optimizer is " +
                    learner_->optimizer().name());
    learner_->optimizer().loadState(c.optimizerState, network_, source);
    learner_->rule().restoreState(c.ruleState, source);
    learner_->rule().checkState(network_, source);
    c.restoreGenerator("order", sampler_->generator(), source);
    c.restoreGenerator("augment", augmentGenerator_, source);
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

TestEvaluation Trainer::evaluateCheckpoint(const Checkpoint& c) {
    resume_.reset();
    prepare();
    const std::string source = "checkpoint (epoch " + std::to_string(c.epoch) + ")";
    if (!c.networkJson.empty() && networkSpecFromJson(c.networkJson).describe() != spec_.describe())
        throw Error(source + ": its network " + networkSpecFromJson(c.networkJson).describe() +
                    " is not the configuration's " + spec_.describe());
    c.restoreNetwork(network_, source); // names the first layer whose tensors do not fit
    data_->test->beginEpoch(c.epoch);   // the test transform the epoch's evaluation drew (-test_augment)
    TestEvaluation result;
    result.confusion = ConfusionMatrix(static_cast<int>(network_.classes));
    result.test = evaluate(network_, *data_->test, config_.testBatchSize, &result.confusion);
    result.classNames = data_->test->classNames();
    result.hasTop5 = network_.output == OutputKind::Softmax;
    reportSkippedFiles();
    if (result.test.examples == 0 && data_->test->size() > 0)
        throw Error("no image of the test set could be read (" + std::to_string(skippedFiles_) +
                    " files left out)");
    return result;
}

} // namespace bp

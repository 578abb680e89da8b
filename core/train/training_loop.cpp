// The trainer's epoch loop: batches, reports, evaluation and checkpoints at epoch ends.
#include "core/data/batch_prefetcher.h"
#include "core/metrics/angles.h"
#include "core/metrics/evaluation.h"
#include "core/metrics/signal_histogram.h"
#include "core/nn/denormals.h"
#include "core/optim/optimizer.h"
#include "core/train/thread_tuner.h"
#include "core/train/trainer.h"
#include "core/util/error.h"
#include "core/util/fault_point.h"
#include <ATen/Parallel.h>
#include <chrono>
#include <cmath>
#include <optional>

namespace bp {

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kPrefetchDepth = 3; // batches decoded ahead of the trainer

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string divergenceMessage(int epoch, int batch, int64_t step, double loss) {
    return "diverged: the loss became " + std::string(std::isnan(loss) ? "NaN" : "infinite") + " at epoch " +
           std::to_string(epoch) + ", batch " + std::to_string(batch) + " (step " + std::to_string(step) +
           "); lower the learning rates or the feedback weight scale";
}

// Receives gradients and drops them: the probe of the untrained network's delta angles and signals updates
// nothing.
class DiscardGradients : public GradientSink {
  public:
    void gradientsReady(size_t, LayerGradients) override {}
    void flush() override {}
};

} // namespace

StepResult Trainer::probeStep(const data::Batch& batch, bool measureAngles, bool recordSignals) {
    DiscardGradients discard;
    StepOptions options;
    options.measureAngles = measureAngles;
    options.recordSignals = recordSignals;
    LearningRule& rule = learner_->rule();
    // A rule with random state of its own (node perturbation's noise and position) gets it back: the probe
    // leaves the run exactly as it found it.
    const RuleState saved = rule.saveState();
    StepResult r = rule.step(network_, batch.images, batch.labels, options, discard);
    if (!saved.empty())
        rule.restoreState(saved, "the epoch-0 probe");
    return r;
}

EpochReport Trainer::evaluateEpoch(int epoch, int64_t step) {
    EpochReport report;
    report.epoch = epoch;
    report.step = step;
    data_->test->beginEpoch(epoch); // the reference's random test transform (-test_augment) draws per epoch
    Evaluation test;
    if (group_) { // each rank evaluates its part of the test set; the sums are added up across the group
        const auto [first, count] =
            data::Sampler::shardRange(data_->test->size(), group_->rank(), group_->worldSize());
        const EvaluationSums part =
            evaluationSums(network_, *data_->test, config_.testBatchSize, first, count);
        std::vector<double> v{part.loss, static_cast<double>(part.correct),
                              static_cast<double>(part.correctTop5), static_cast<double>(part.examples)};
        for (const at::Tensor& perClass : {part.predicted, part.present}) {
            const at::Tensor d = perClass.to(at::kDouble).contiguous();
            v.insert(v.end(), d.data_ptr<double>(), d.data_ptr<double>() + d.numel());
        }
        group_->sum(v);
        EvaluationSums all;
        all.loss = v[0];
        all.correct = std::llround(v[1]);
        all.correctTop5 = std::llround(v[2]);
        all.examples = std::llround(v[3]);
        const int64_t classes = part.predicted.numel();
        const at::Tensor perClass =
            at::tensor(std::vector<double>(v.begin() + 4, v.end()), at::kDouble).round();
        all.predicted = perClass.narrow(0, 0, classes).to(at::kLong);
        all.present = perClass.narrow(0, classes, classes).to(at::kLong);
        test = finishEvaluation(all);
    } else {
        test = evaluate(network_, *data_->test, config_.testBatchSize);
    }
    report.testLoss = test.loss;
    report.testError = test.error;
    if (network_.output == OutputKind::Softmax)
        report.testTop5Error = test.top5Error;
    report.silentClasses = test.silentClasses;
    report.firstWeightAngleLayer = static_cast<int>(firstAngleLayer_);
    if (learner_->info().weightAngles)
        report.weightAngles = weightAngles(network_, learner_->rule(), firstAngleLayer_);
    reportSkippedFiles();
    report.skippedFiles = skippedFiles_;
    if (test.examples == 0 && data_->test->size() > 0)
        throw Error("no image of the test set could be read (" + std::to_string(skippedFiles_) +
                    " files left out; the run's messages name them)");
    return report;
}

data::Batch Trainer::shardBatch(const at::Tensor& indices) {
    // The whole global batch, augmented as one process would (the generator stays in step on every rank),
    // then this rank's rows; a rank without any takes the first example as a stand-in, weighted 0.
    data::Batch b = trainingBatch(indices);
    auto [offset, count] = data::Sampler::shardRange(indices.size(0), group_->rank(), group_->worldSize());
    if (count == 0) {
        offset = 0;
        count = 1;
    }
    b.images = b.images.narrow(0, offset, count);
    b.labels = b.labels.narrow(0, offset, count);
    return b;
}

StepResult Trainer::groupStep(const data::Batch& batch, bool measure) {
    group_->beginStep(shard_.count, shard_.globalCount, learner_->info().meanGradients);
    StepResult r = learner_->step(network_, batch.images, batch.labels, measure);
    // The group's figures: means over the global batch, counts summed.
    const bool any = shard_.count > 0;
    const double local = static_cast<double>(shard_.count);
    std::vector<double> v{any ? r.loss * local : 0.0, any ? static_cast<double>(r.correct) : 0.0,
                          any && r.correctTop5 >= 0 ? static_cast<double>(r.correctTop5) : 0.0};
    for (double angle : r.deltaAngles)
        v.push_back(any ? angle * local : 0.0);
    v.push_back(stopRequested_ ? 1.0
                               : 0.0); // a stop asked of any rank (a signal, the explorer) stops them all
    group_->sum(v);
    groupStopAgreed_ = v.back() > 0.5;
    const double global = static_cast<double>(shard_.globalCount);
    r.loss = v[0] / global;
    r.correct = std::llround(v[1]);
    if (r.correctTop5 >= 0)
        r.correctTop5 = std::llround(v[2]);
    for (size_t i = 0; i < r.deltaAngles.size(); ++i)
        r.deltaAngles[i] = v[3 + i] / global;
    return r;
}

RunStatus Trainer::train() {
    const int64_t n = sampler_->size();
    const int batches = sampler_->batchesPerEpoch();
    const int64_t totalSteps = static_cast<int64_t>(batches) * config_.epochs;
    const RuleInfo& rule = learner_->info();
    runStart_ = Clock::now();
    FlushDenormals flushDenormals; // for as long as this run trains and evaluates

    // A checkpoint taken before any training continues exactly as a fresh run.
    const bool fresh =
        !resume_ || (resume_->epoch == 0 && resume_->batchInEpoch == 0 && !resume_->dataOrder.defined());
    int firstEpoch = 1;
    int firstBatch = 0;
    int64_t step = 0;
    at::Tensor pendingOrder; // the permutation of the first epoch trained, when already drawn
    EpochSums sums;
    if (fresh) {
        if (!resume_)
            writeCheckpoint(CheckpointKind::Initial, captureState(0, 0, 0, {}, nullptr));
        // Epoch 0: the untrained network, as the reference logs it.
        pendingOrder = sampler_->drawOrder();
        EpochReport report = evaluateEpoch(0, 0);
        report.trainLoss = report.trainError = std::nan("");
        // The delta angles and the signal histograms of the untrained network, on the first batch (the whole
        // batch, on every rank of a group; only rank 0, which has the observer, histograms it).
        if (rule.deltaAngles || observer_) {
            data_->train->beginEpoch(1);
            data::Batch first = data_->train->batch(sampler_->batchIndices(pendingOrder, 0), device_);
            first.images = first.images.to(network_.dtype());
            if (first.labels.size(0) > 0) {
                const StepResult probe = probeStep(first, rule.deltaAngles, observer_ != nullptr);
                report.deltaAngles = probe.deltaAngles;
                if (!probe.signals.empty())
                    report.signals = signalHistograms(probe.signals);
            }
        }
        report.elapsedSeconds = elapsedBefore_ + secondsSince(runStart_);
        if (observer_)
            observer_->onEpoch(report);
    } else {
        firstEpoch = resume_->epoch + 1;
        firstBatch = resume_->batchInEpoch;
        step = resume_->step;
        pendingOrder = resume_->dataOrder;
        if (pendingOrder.defined() && pendingOrder.size(0) != n)
            throw Error("the checkpoint's data order has " + std::to_string(pendingOrder.size(0)) +
                        " examples, the training set " + std::to_string(n) + ": it belongs to other data");
        auto it = resume_->extras.find("epoch_sums");
        if (firstBatch > 0 && it != resume_->extras.end())
            sums = EpochSums::unpack(it->second);
        auto top5 = resume_->extras.find("epoch_top5");
        if (firstBatch > 0 && top5 != resume_->extras.end() && top5->second.size() == 2) {
            sums.correctTop5 = static_cast<int64_t>(top5->second[0]);
            sums.seenTop5 = static_cast<int64_t>(top5->second[1]);
        }
    }
    resume_.reset();

    const int64_t firstStep = step;
    // threads = 0 ("every core"): fall back to one thread while other processes contend for the cores.
    std::optional<ThreadTuner> tuner;
    if (config_.threads == 0 && device_.is_cpu() && at::get_num_threads() > 1)
        tuner.emplace(at::get_num_threads());
    double throughputExamples = 0.0;
    const auto trainStart = Clock::now();
    for (int epoch = firstEpoch; epoch <= config_.epochs; ++epoch) {
        const auto epochStart = Clock::now();
        learner_->optimizer().setLearningRateScale(
            learningRateScale(epoch, config_.lrStep, config_.lrFactor));
        const at::Tensor order = pendingOrder.defined() ? pendingOrder : sampler_->drawOrder();
        pendingOrder = at::Tensor();
        if (epoch != firstEpoch || firstBatch == 0)
            sums = EpochSums();
        const int startBatch = epoch == firstEpoch ? firstBatch : 0;
        data_->train->beginEpoch(epoch);
        // Batches decoded from files are prepared ahead, on the source's own threads, while this one trains.
        std::optional<data::BatchPrefetcher> prefetch;
        if (data_->train->streams())
            prefetch.emplace(
                *data_->train,
                [this, &order](int b) {
                    const at::Tensor indices = sampler_->batchIndices(order, b);
                    if (!group_)
                        return indices;
                    const at::Tensor part =
                        data::Sampler::shard(indices, group_->rank(), group_->worldSize());
                    return part.size(0) > 0 ? part : indices.narrow(0, 0, 1); // a stand-in, weighted 0
                },
                startBatch, batches, kPrefetchDepth, device_);
        for (int b = startBatch; b < batches; ++b) {
            // In a group every rank stops at the same batch: the one after the step whose sums carried a
            // stop.
            if (group_ ? groupStopAgreed_ : !waitWhilePaused()) {
                writeCheckpoint(CheckpointKind::Latest, captureState(epoch - 1, step, b, order, &sums));
                return RunStatus::Stopped;
            }
            data::Batch batch;
            if (prefetch) {
                const double waitedBefore = prefetch->waitedSeconds();
                batch = trainingBatch(prefetch->next());
                sums.waitSeconds += prefetch->waitedSeconds() - waitedBefore;
                reportSkippedFiles();
            } else if (group_) {
                batch = shardBatch(sampler_->batchIndices(order, b));
            } else {
                batch = trainingBatch(sampler_->batchIndices(order, b));
            }
            if (group_) {
                shard_.globalCount = sampler_->batchIndices(order, b).size(0);
                const auto [offset, part] =
                    data::Sampler::shardRange(shard_.globalCount, group_->rank(), group_->worldSize());
                shard_.offset = offset;
                // A streaming source may have left out files of this rank's part.
                shard_.count = part > 0 ? std::min<int64_t>(part, batch.labels.size(0)) : 0;
                if (batch.labels.size(0) == 0)
                    throw Error("every file of this rank's part of batch " + std::to_string(b + 1) +
                                " was left out: a data-parallel group cannot go on without it");
            }
            const int64_t count = group_ ? shard_.globalCount : batch.labels.size(0);
            ++step;
            if (count == 0) // every file of the batch was left out
                continue;
            // Measuring steps: the angles of rules that have them, and every rule's signal histograms.
            const bool measure =
                config_.angleInterval > 0 ? step % config_.angleInterval == 0 || b == 0 : b + 1 == batches;
            if (tuner && tuner->threadsForNextStep() != at::get_num_threads()) {
                at::set_num_threads(tuner->threadsForNextStep());
                flushDenormals.applyToTeam();
            }
            const auto stepStart = Clock::now();
            const StepResult r = group_ ? groupStep(batch, measure)
                                        : learner_->step(network_, batch.images, batch.labels, measure);
            if (tuner)
                tuner->recordStep(secondsSince(stepStart), measure);
            if (!std::isfinite(r.loss)) {
                message_ = divergenceMessage(epoch, b + 1, step, r.loss);
                return RunStatus::Diverged;
            }
            sums.loss += r.loss;
            sums.correct += r.correct;
            sums.seen += count;
            if (r.correctTop5 >= 0) {
                sums.correctTop5 += r.correctTop5;
                sums.seenTop5 += count;
            }
            throughputExamples += static_cast<double>(count);
            if (measure && !r.deltaAngles.empty()) {
                sums.angleSums.resize(r.deltaAngles.size(), 0.0);
                for (size_t i = 0; i < r.deltaAngles.size(); ++i)
                    sums.angleSums[i] += r.deltaAngles[i];
                ++sums.angleCount;
            }
            if (observer_) {
                BatchReport br;
                br.epoch = epoch;
                br.batch = b + 1;
                br.batchesPerEpoch = batches;
                br.step = step;
                br.loss = r.loss;
                br.error = 100.0 * (1.0 - static_cast<double>(r.correct) / static_cast<double>(count));
                br.runningLoss = sums.loss / (b + 1);
                br.runningError =
                    100.0 * (1.0 - static_cast<double>(sums.correct) / static_cast<double>(sums.seen));
                br.elapsedSeconds = elapsedBefore_ + secondsSince(runStart_);
                const double trainSeconds = secondsSince(trainStart);
                br.examplesPerSecond = trainSeconds > 0 ? throughputExamples / trainSeconds : 0.0;
                br.etaSeconds = static_cast<double>(totalSteps - step) * trainSeconds /
                                static_cast<double>(step - firstStep);
                br.firstWeightAngleLayer = static_cast<int>(firstAngleLayer_);
                br.dataWaitSeconds = sums.waitSeconds / (b + 1 - startBatch);
                br.skippedFiles = skippedFiles_;
                if (measure) {
                    if (rule.weightAngles)
                        br.weightAngles = weightAngles(network_, learner_->rule(), firstAngleLayer_);
                    br.deltaAngles = r.deltaAngles;
                    // Data-parallel runs: rank 0 (the one with an observer) histograms its own part of the
                    // batch.
                    if (!r.signals.empty())
                        br.signals = signalHistograms(r.signals);
                }
                observer_->onBatch(br);
            }
        }
        prefetch.reset();
        EpochReport report = evaluateEpoch(epoch, step);
        report.trainLoss = sums.loss / batches;
        report.trainError =
            100.0 * (1.0 - static_cast<double>(sums.correct) / static_cast<double>(sums.seen));
        if (sums.seenTop5 > 0)
            report.trainTop5Error =
                100.0 * (1.0 - static_cast<double>(sums.correctTop5) / static_cast<double>(sums.seenTop5));
        report.dataWaitSeconds = sums.waitSeconds / std::max(1, batches - startBatch);
        if (sums.angleCount > 0) {
            for (double& s : sums.angleSums)
                s /= sums.angleCount;
            report.deltaAngles = sums.angleSums;
        }
        report.elapsedSeconds = elapsedBefore_ + secondsSince(runStart_);
        report.epochSeconds = secondsSince(epochStart);
        report.examplesPerSecond = static_cast<double>(n) / report.epochSeconds;
        if (!std::isfinite(report.testLoss)) {
            message_ = divergenceMessage(epoch, batches, step, report.testLoss);
            return RunStatus::Diverged;
        }
        if (observer_)
            observer_->onEpoch(report);
        faultPoint("epoch.recorded");
        const bool best = !bestTestError_ || report.testError < *bestTestError_;
        if (best)
            bestTestError_ = report.testError;
        if (!checkpointing_.dir.empty()) {
            // Latest last: a resume continues from it, so a process killed before it is in place trains this
            // epoch again and writes the epoch's other checkpoints again; one killed after it has them all.
            const Checkpoint state = captureState(epoch, step, 0, {}, nullptr);
            if (checkpointing_.everyEpochs > 0 && epoch % checkpointing_.everyEpochs == 0)
                writeCheckpoint(CheckpointKind::Epoch, state);
            if (best)
                writeCheckpoint(CheckpointKind::Best, state);
            writeCheckpoint(CheckpointKind::Latest, state);
        }
        faultPoint("epoch.checkpointed");
    }
    return RunStatus::Completed;
}

} // namespace bp

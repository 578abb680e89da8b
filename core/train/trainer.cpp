#include "core/train/trainer.h"
#include "core/config/hyperparameters.h"
#include "core/data/augment.h"
#include "core/data/downloader.h"
#include "core/metrics/angles.h"
#include "core/metrics/evaluation.h"
#include "core/nn/denormals.h"
#include "core/train/thread_tuner.h"
#include "core/util/error.h"
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <chrono>
#include <cmath>
#include <thread>

namespace bp {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Distinct streams from one seed: network initialisation, data order, augmentation, perturbation noise.
uint64_t streamSeed(uint64_t seed, uint64_t stream) { return seed * 4 + stream; }

std::string divergenceMessage(int epoch, int batch, int64_t step, double loss) {
    return "diverged: the loss became " + std::string(std::isnan(loss) ? "NaN" : "infinite") + " at epoch " +
           std::to_string(epoch) + ", batch " + std::to_string(batch) + " (step " + std::to_string(step) +
           "); lower the learning rates or the feedback weight scale";
}

} // namespace

Trainer::Trainer(RunConfig config, TrainingObserver* observer)
    : config_(normalized(std::move(config))), observer_(observer) {}

Trainer::~Trainer() = default;

void Trainer::setData(data::DatasetPair data) { data_ = std::move(data); }

int Trainer::applyThreadCount(int threads) {
    const int n = threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    at::set_num_threads(n);
    return n;
}

at::Device Trainer::resolveDevice(const std::string& name) {
    if (name == "cpu")
        return at::Device(at::kCPU);
    if (name == "cuda" || name.rfind("cuda:", 0) == 0) {
        if (!at::hasCUDA())
            throw Error("device '" + name + "': this LibTorch has no CUDA support (or no GPU is visible)");
        return at::Device(name);
    }
    throw Error("device '" + name + "' is not one of cpu, cuda, cuda:N");
}

void Trainer::setStatus(RunStatus status, const std::string& message) {
    status_ = status;
    if (!message.empty() || isFinal(status))
        message_ = message;
    if (observer_)
        observer_->onStatus(status, message);
}

void Trainer::prepare() {
    requireValid(config_);
    applyThreadCount(config_.threads);
    device_ = resolveDevice(config_.device);
    if (!data_)
        data_ = data::loadDataset(config_.dataset, locateData());
    data::DatasetPair& d = *data_;
    if (config_.validation)
        data::holdOutValidation(d, streamSeed(config_.seed, 1));
    if (config_.trainLimit > 0 && config_.trainLimit < d.train.size()) {
        d.train.images = d.train.images.narrow(0, 0, config_.trainLimit);
        d.train.labels = d.train.labels.narrow(0, 0, config_.trainLimit);
    }
    if (d.train.size() == 0)
        throw Error("the training set is empty");
    trainImages_ = d.train.images.to(device_).contiguous();
    trainLabels_ = d.train.labels.to(device_);
    testImages_ = d.test.images.to(device_).contiguous();
    testLabels_ = d.test.labels.to(device_);
    if (config_.dataset == DatasetKind::Cifar10) {
        // Zero in pixel space, normalised per channel: the value torchvision's padding becomes.
        padValue_ = at::tensor({-0.485 / 0.229, -0.456 / 0.224, -0.406 / 0.225}, at::kFloat).to(device_);
    }

    at::Generator init = at::make_generator<at::CPUGeneratorImpl>(streamSeed(config_.seed, 0));
    network_ = buildNetwork(config_, d.channels, d.imageSize, init);
    network_.to(device_);
    initialNetwork_ = network_;
    for (Layer& layer : initialNetwork_.layers)
        for (at::Tensor* t : {&layer.weight, &layer.bias, &layer.weightFa, &layer.weightR})
            if (t->defined())
                *t = t->clone();
    rule_ = makeLearningRule(config_, streamSeed(config_.seed, 3));
    orderGenerator_ = at::make_generator<at::CPUGeneratorImpl>(streamSeed(config_.seed, 1) + 1);
    augmentGenerator_ = at::make_generator<at::CPUGeneratorImpl>(streamSeed(config_.seed, 2));
    if (resume_)
        restoreResumeState();
}

std::string Trainer::locateData() {
    std::string dir = config_.dataDir.empty() ? data::defaultDataDir(config_.dataset) : config_.dataDir;
    if (data::datasetAvailable(config_.dataset, dir) || !config_.download)
        return dir; // loading reports what is missing
    // As torchvision's download=True: fetch what is missing, MD5-checked, then load it.
    data::DownloadOptions options;
    options.baseUrl = config_.mirror;
    options.destDir = config_.dataDir.empty() ? data::userDataDir(config_.dataset) : config_.dataDir;
    std::string current;
    options.progress = [this, &current](const std::string& file, int64_t, int64_t) {
        if (file != current) {
            current = file;
            setStatus(RunStatus::Running, "downloading " + file);
        }
        return !stopRequested_.load();
    };
    try {
        data::downloadDataset(config_.dataset, options);
    } catch (const Error& e) {
        if (stopRequested_)
            throw;
        const std::string into = options.destDir == dir ? std::string() : " into " + options.destDir;
        throw Error(toString(config_.dataset) + " is not in " + dir + " and downloading it" + into +
                    " failed: " + e.what() + " (put the files there, or pass --data-dir)");
    }
    return options.destDir;
}

RunStatus Trainer::run() {
    stopRequested_ = false;
    try {
        setStatus(RunStatus::Running);
        prepare();
        const RunStatus end = train();
        setStatus(end, end == RunStatus::Diverged ? message_ : std::string());
    } catch (const std::exception& e) {
        // c10::Error messages carry a C++ backtrace after the first line: keep the first line only.
        std::string what = e.what();
        if (dynamic_cast<const Error*>(&e) == nullptr)
            what = what.substr(0, what.find('\n'));
        setStatus(RunStatus::Failed, what);
    }
    return status_;
}

bool Trainer::waitWhilePaused() {
    if (!pauseRequested_)
        return !stopRequested_;
    setStatus(RunStatus::Paused);
    std::unique_lock<std::mutex> lock(pauseMutex_);
    pauseChanged_.wait(lock, [this] { return !pauseRequested_ || stopRequested_; });
    lock.unlock();
    if (stopRequested_)
        return false;
    setStatus(RunStatus::Running);
    return true;
}

void Trainer::requestPause() {
    std::lock_guard<std::mutex> lock(pauseMutex_);
    pauseRequested_ = true;
}

void Trainer::requestResume() {
    {
        std::lock_guard<std::mutex> lock(pauseMutex_);
        pauseRequested_ = false;
    }
    pauseChanged_.notify_all();
}

void Trainer::requestStop() {
    {
        std::lock_guard<std::mutex> lock(pauseMutex_);
        stopRequested_ = true;
    }
    pauseChanged_.notify_all();
}

std::vector<double> Trainer::probeDeltaAngles(const at::Tensor& x, const at::Tensor& y) {
    // Measure on a copy so that the probe leaves the network as it was.
    Network copy = network_;
    for (Layer& layer : copy.layers)
        for (at::Tensor* t : {&layer.weight, &layer.bias, &layer.weightFa, &layer.weightR, &layer.deltaWeight,
                              &layer.deltaBias})
            if (t->defined())
                *t = t->clone();
    auto probe = makeLearningRule(config_, 0);
    return probe->step(copy, x, y, true).deltaAngles;
}

EpochReport Trainer::evaluateEpoch(int epoch, int64_t step) {
    EpochReport report;
    report.epoch = epoch;
    report.step = step;
    const Evaluation test = evaluate(network_, testImages_, testLabels_, config_.testBatchSize);
    report.testLoss = test.loss;
    report.testError = test.error;
    report.silentClasses = test.silentClasses;
    if (rule_->hasAngles())
        report.weightAngles = weightAngles(network_);
    return report;
}

RunStatus Trainer::train() {
    const int64_t n = trainImages_.size(0);
    const int64_t batchSize = config_.batchSize;
    const int batches = static_cast<int>((n + batchSize - 1) / batchSize);
    const int64_t totalSteps = static_cast<int64_t>(batches) * config_.epochs;
    const bool cifar = padValue_.defined();
    runStart_ = Clock::now();
    FlushDenormals flushDenormals; // for as long as this run trains and evaluates

    // A checkpoint taken before any training continues exactly as a fresh run.
    const bool fresh = !resume_ || (resume_->epoch == 0 && resume_->batchInEpoch == 0 && !resume_->dataOrder.defined());
    int firstEpoch = 1;
    int firstBatch = 0;
    int64_t step = 0;
    at::Tensor pendingOrder; // the permutation of the first epoch trained, when already drawn
    EpochSums sums;
    if (fresh) {
        if (!resume_)
            writeCheckpoint(CheckpointKind::Initial, captureState(0, 0, 0, {}, nullptr));
        // Epoch 0: the untrained network, as the reference logs it.
        pendingOrder = at::randperm(n, orderGenerator_, at::kLong);
        EpochReport report = evaluateEpoch(0, 0);
        report.trainLoss = report.trainError = std::nan("");
        if (rule_->hasAngles()) {
            const at::Tensor idx = pendingOrder.narrow(0, 0, std::min(batchSize, n)).to(device_);
            report.deltaAngles = probeDeltaAngles(trainImages_.index_select(0, idx), trainLabels_.index_select(0, idx));
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
        const at::Tensor perm =
            (pendingOrder.defined() ? pendingOrder : at::randperm(n, orderGenerator_, at::kLong)).to(device_);
        pendingOrder = at::Tensor();
        if (epoch != firstEpoch || firstBatch == 0)
            sums = EpochSums();
        for (int b = epoch == firstEpoch ? firstBatch : 0; b < batches; ++b) {
            if (!waitWhilePaused()) {
                writeCheckpoint(CheckpointKind::Latest, captureState(epoch - 1, step, b, perm, &sums));
                return RunStatus::Stopped;
            }
            const int64_t first = static_cast<int64_t>(b) * batchSize;
            const int64_t count = std::min(batchSize, n - first);
            const at::Tensor idx = perm.narrow(0, first, count);
            at::Tensor x = trainImages_.index_select(0, idx);
            const at::Tensor y = trainLabels_.index_select(0, idx);
            if (cifar)
                x = data::augmentBatch(x, padValue_, augmentGenerator_);
            ++step;
            const bool measure = rule_->hasAngles() && (config_.angleInterval > 0
                                                            ? step % config_.angleInterval == 0 || b == 0
                                                            : b + 1 == batches);
            if (tuner && tuner->threadsForNextStep() != at::get_num_threads()) {
                at::set_num_threads(tuner->threadsForNextStep());
                flushDenormals.applyToTeam();
            }
            const auto stepStart = Clock::now();
            const StepResult r = rule_->step(network_, x, y, measure);
            if (tuner)
                tuner->recordStep(secondsSince(stepStart), measure);
            if (!std::isfinite(r.loss)) {
                message_ = divergenceMessage(epoch, b + 1, step, r.loss);
                return RunStatus::Diverged;
            }
            sums.loss += r.loss;
            sums.correct += r.correct;
            sums.seen += count;
            throughputExamples += static_cast<double>(count);
            if (measure) {
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
                br.runningError = 100.0 * (1.0 - static_cast<double>(sums.correct) / static_cast<double>(sums.seen));
                br.elapsedSeconds = elapsedBefore_ + secondsSince(runStart_);
                const double trainSeconds = secondsSince(trainStart);
                br.examplesPerSecond = trainSeconds > 0 ? throughputExamples / trainSeconds : 0.0;
                br.etaSeconds = static_cast<double>(totalSteps - step) * trainSeconds /
                                static_cast<double>(step - firstStep);
                if (measure) {
                    br.weightAngles = weightAngles(network_);
                    br.deltaAngles = r.deltaAngles;
                }
                observer_->onBatch(br);
            }
        }
        EpochReport report = evaluateEpoch(epoch, step);
        report.trainLoss = sums.loss / batches;
        report.trainError = 100.0 * (1.0 - static_cast<double>(sums.correct) / static_cast<double>(sums.seen));
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
        const bool best = !bestTestError_ || report.testError < *bestTestError_;
        if (best)
            bestTestError_ = report.testError;
        if (!checkpointing_.dir.empty()) {
            const Checkpoint state = captureState(epoch, step, 0, {}, nullptr);
            writeCheckpoint(CheckpointKind::Latest, state);
            if (best)
                writeCheckpoint(CheckpointKind::Best, state);
            if (checkpointing_.everyEpochs > 0 && epoch % checkpointing_.everyEpochs == 0)
                writeCheckpoint(CheckpointKind::Epoch, state);
        }
    }
    return RunStatus::Completed;
}

double Trainer::benchmark(int steps, int warmup) {
    if (steps < 1)
        throw Error("--benchmark: the number of steps must be at least 1");
    prepare();
    FlushDenormals flushDenormals; // as train()
    const int64_t n = trainImages_.size(0);
    const int64_t batchSize = std::min<int64_t>(config_.batchSize, n);
    at::Generator order = at::make_generator<at::CPUGeneratorImpl>(streamSeed(config_.seed, 1) + 1);
    at::Generator augment = at::make_generator<at::CPUGeneratorImpl>(streamSeed(config_.seed, 2));
    at::Tensor perm = at::randperm(n, order, at::kLong).to(device_);
    int64_t cursor = 0;
    int64_t step = 0;
    auto oneStep = [&] {
        if (cursor + batchSize > n) {
            perm = at::randperm(n, order, at::kLong).to(device_);
            cursor = 0;
        }
        const at::Tensor idx = perm.narrow(0, cursor, batchSize);
        cursor += batchSize;
        at::Tensor x = trainImages_.index_select(0, idx);
        if (padValue_.defined())
            x = data::augmentBatch(x, padValue_, augment);
        ++step;
        const bool measure =
            rule_->hasAngles() && config_.angleInterval > 0 && step % config_.angleInterval == 0;
        rule_->step(network_, x, trainLabels_.index_select(0, idx), measure);
    };
    for (int i = 0; i < warmup; ++i)
        oneStep();
    const auto start = Clock::now();
    for (int i = 0; i < steps; ++i)
        oneStep();
    if (device_.is_cuda())
        network_.layers.back().weight.sum().item<double>(); // wait for queued kernels
    return static_cast<double>(steps * batchSize) / secondsSince(start);
}

} // namespace bp

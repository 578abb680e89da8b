#include "core/store/run_recorder.h"
#include "core/util/number_text.h"
#include "core/util/system_info.h"
#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace bp {

namespace {

// A buffer that cannot be written (full disk, removed file) is capped rather than growing without end.
constexpr size_t kMaxBuffered = 1'000'000;

const std::string kBatchLoss = "batch_loss", kBatchError = "batch_error",
                  kExamplesPerSecond = "examples_per_second", kTrainLoss = "train_loss",
                  kTrainError = "train_error", kTestLoss = "test_loss", kTestError = "test_error",
                  kSilentClasses = "test_silent_classes", kTrainTop5Error = "train_top5_error",
                  kTestTop5Error = "test_top5_error";

} // namespace

int angleLayer(const std::string& name, const std::string& prefix) {
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0)
        return -1;
    const std::optional<int64_t> layer = parseInteger(name.substr(prefix.size()));
    return layer && *layer >= 0 && *layer < 100000 ? static_cast<int>(*layer) : -1;
}

int topAngleLayer(const std::vector<std::string>& names, const std::string& prefix) {
    int top = -1;
    for (const std::string& name : names)
        top = std::max(top, angleLayer(name, prefix));
    return top;
}

RunRecorder::RunRecorder(RunStore& store, int64_t runId, std::chrono::milliseconds flushInterval)
    : store_(store), runId_(runId), interval_(flushInterval), lastFlush_(Clock::now()) {
    buffer_.resize(4096); // several seconds of batches at a few hundred steps per second
    // A resumed run continues from the best error it recorded before: its epochs before the resume count.
    try {
        if (const std::optional<RunRecord> run = store_.getRun(runId_)) {
            best_ = run->bestTestError;
            epochsDone_ = run->epochsDone; // progress written before the next epoch's end keeps it
            activeBefore_ = run->activeSeconds.value_or(0.0);
        }
    } catch (const std::exception& e) {
        lastError_ = e.what();
    }
    lease_ = std::thread([this] {
        std::unique_lock<std::mutex> lock(leaseMutex_);
        while (!leaseStop_.wait_for(lock, RunStore::kLeaseRenewal, [this] { return stopping_; })) {
            try {
                store_.renewLease(runId_);
            } catch (const std::exception&) {
                // The database is busy or gone: the next renewal tries again; a lapsed lease is the truth.
            }
        }
    });
}

RunRecorder::~RunRecorder() {
    {
        std::lock_guard<std::mutex> lock(leaseMutex_);
        stopping_ = true;
    }
    leaseStop_.notify_all();
    lease_.join();
    std::lock_guard<std::mutex> lock(mutex_);
    flushLocked();
}

void RunRecorder::add(const std::string& name, int epoch, int64_t step, double wallTime, double value) {
    if (used_ == buffer_.size()) {
        if (used_ >= kMaxBuffered) {
            lastError_ = "the run database refused metrics for too long; older unsaved metrics were dropped";
            used_ = 0;
        } else {
            buffer_.resize(buffer_.size() * 2);
        }
    }
    MetricSample& m = buffer_[used_++];
    m.name = name; // reuses the string's storage
    m.epoch = epoch;
    m.step = step;
    m.wallTime = wallTime;
    m.value = value;
}

void RunRecorder::addAngles(const char* prefix, const std::vector<double>& angles, int firstLayer, int epoch,
                            int64_t step, double wallTime) {
    // "weight_angle/<layer>": the layer's index in the network. The names are made once per layer and kept,
    // so that recording a batch allocates no string.
    std::vector<std::string>& names = prefix[0] == 'w' ? weightNames_ : deltaNames_;
    const size_t needed = static_cast<size_t>(firstLayer) + angles.size();
    while (names.size() < needed)
        names.push_back((prefix[0] == 'w' ? "weight_angle/" : "delta_angle/") + std::to_string(names.size()));
    for (size_t i = 0; i < angles.size(); ++i)
        add(names[static_cast<size_t>(firstLayer) + i], epoch, step, wallTime, angles[i]);
}

void RunRecorder::onBatch(const BatchReport& r) {
    const double now = sys::unixNow();
    std::lock_guard<std::mutex> lock(mutex_);
    progressDirty_ = true; // the time trained grows with every batch
    add(kBatchLoss, r.epoch, r.step, now, r.loss);
    add(kBatchError, r.epoch, r.step, now, r.error);
    add(kExamplesPerSecond, r.epoch, r.step, now, r.examplesPerSecond);
    if (!r.weightAngles.empty() || !r.deltaAngles.empty()) {
        addAngles("w", r.weightAngles, r.firstWeightAngleLayer, r.epoch, r.step, now);
        addAngles("d", r.deltaAngles, 0, r.epoch, r.step, now);
        lastAngleStep_ = r.step;
    }
    if (signals_.size() < kMaxBuffered) // at measured steps only: a few per layer
        for (const SignalHistogram& h : r.signals)
            signals_.push_back({r.epoch, r.step, h});
    if (Clock::now() - lastFlush_ >= interval_)
        flushLocked();
}

void RunRecorder::onEpoch(const EpochReport& r) {
    const double now = sys::unixNow();
    std::lock_guard<std::mutex> lock(mutex_);
    add(kTrainLoss, r.epoch, r.step, now, r.trainLoss);
    add(kTrainError, r.epoch, r.step, now, r.trainError);
    add(kTestLoss, r.epoch, r.step, now, r.testLoss);
    add(kTestError, r.epoch, r.step, now, r.testError);
    add(kSilentClasses, r.epoch, r.step, now, r.silentClasses);
    if (std::isfinite(r.trainTop5Error))
        add(kTrainTop5Error, r.epoch, r.step, now, r.trainTop5Error);
    if (std::isfinite(r.testTop5Error))
        add(kTestTop5Error, r.epoch, r.step, now, r.testTop5Error);
    if (r.epoch > 0)
        add(kExamplesPerSecond, r.epoch, r.step, now, r.examplesPerSecond);
    // The epoch's angles summarise batch measurements; keep a batch measurement taken at the same step.
    if (r.step != lastAngleStep_) {
        addAngles("w", r.weightAngles, r.firstWeightAngleLayer, r.epoch, r.step, now);
        addAngles("d", r.deltaAngles, 0, r.epoch, r.step, now);
    }
    for (const SignalHistogram& h : r.signals) // epoch 0: the untrained network's
        signals_.push_back({r.epoch, r.step, h});
    epochsDone_ = r.epoch;
    if (std::isfinite(r.testError) && (!best_ || r.testError < *best_))
        best_ = r.testError;
    progressDirty_ = true;
    flushLocked();
}

double RunRecorder::activeSeconds() const {
    const Clock::time_point now = Clock::now();
    std::chrono::duration<double> paused = paused_;
    if (pausedAt_)
        paused += now - *pausedAt_;
    return activeBefore_ + std::max(0.0, (std::chrono::duration<double>(now - since_) - paused).count());
}

void RunRecorder::onStatus(RunStatus status, const std::string& message) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (status == RunStatus::Paused && !pausedAt_)
        pausedAt_ = Clock::now();
    else if (status != RunStatus::Paused && pausedAt_) {
        paused_ += Clock::now() - *pausedAt_;
        pausedAt_.reset();
    }
    progressDirty_ = true; // the time trained, up to this change
    flushLocked();
    try {
        store_.setStatus(runId_, status);
        if (!message.empty() || isFinal(status)) {
            const bool bad = status == RunStatus::Failed || status == RunStatus::Diverged;
            const bool warning = message.rfind("warning:", 0) == 0;
            store_.addMessage(runId_,
                              bad       ? "error"
                              : warning ? "warning"
                                        : "info",
                              message.empty() ? toString(status) : toString(status) + ": " + message);
        }
    } catch (const std::exception& e) {
        lastError_ = e.what();
    }
}

void RunRecorder::onSkippedFile(const SkippedFileReport& report) {
    std::lock_guard<std::mutex> lock(mutex_);
    try {
        store_.addMessage(runId_, "warning", "skipped " + report.path + ": " + report.reason);
    } catch (const std::exception& e) {
        lastError_ = e.what();
    }
}

void RunRecorder::onDataSource(const DataSourceReport& r) {
    std::lock_guard<std::mutex> lock(mutex_);
    try {
        store_.addMessage(runId_, "info",
                          "data: " + r.folder + " (file list fingerprint " + r.fingerprint +
                              "): " + std::to_string(r.trainImages) + " training images, " +
                              std::to_string(r.testImages) + " test images, " + std::to_string(r.classes) +
                              " classes");
    } catch (const std::exception& e) {
        lastError_ = e.what();
    }
}

void RunRecorder::onCheckpoint(const CheckpointReport& report) {
    std::lock_guard<std::mutex> lock(mutex_);
    flushLocked(); // the metrics up to the checkpoint are in the store before it is
    try {
        CheckpointRecord record;
        record.kind = report.kind;
        record.epoch = report.epoch;
        record.step = report.step;
        record.path = report.path;
        store_.addCheckpoint(runId_, record);
    } catch (const std::exception& e) {
        lastError_ = e.what();
    }
}

bool RunRecorder::flush() {
    std::lock_guard<std::mutex> lock(mutex_);
    return flushLocked();
}

bool RunRecorder::flushLocked() {
    lastFlush_ = Clock::now();
    try {
        std::optional<RunStore::Progress> progress;
        if (progressDirty_)
            progress = RunStore::Progress{epochsDone_, best_, activeSeconds()};
        store_.appendRecords(runId_, buffer_.data(), used_, signals_, progress);
        if (used_ > 0)
            ++flushes_;
        used_ = 0;
        signals_.clear();
        progressDirty_ = false;
        return true;
    } catch (const std::exception& e) {
        lastError_ = e.what();
        return false;
    }
}

std::optional<double> RunRecorder::bestTestError() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return best_;
}

std::string RunRecorder::lastError() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return lastError_;
}

int64_t RunRecorder::flushCount() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return flushes_;
}

} // namespace bp

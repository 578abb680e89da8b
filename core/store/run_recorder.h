#pragma once
#include "core/events/observer.h"
#include "core/store/run_store.h"
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace bp {

// The per-layer angle metrics are named "weight_angle/<i>" and "delta_angle/<i>", i being the layer's index
// in the network (0 = the first weight layer; schema 6 renamed older runs' weight angles, which counted from
// the second). angleLayer("weight_angle/3", "weight_angle/") is 3; -1 when name has another prefix.
int angleLayer(const std::string& name, const std::string& prefix);
// The highest layer index among the names with that prefix; -1 when there is none.
int topAngleLayer(const std::vector<std::string>& names, const std::string& prefix);

// Records a run's progress in the run store: status changes and their messages, per-batch metrics
// (batch_loss, batch_error, examples_per_second, weight_angle/<i>, delta_angle/<i> when measured) and
// per-epoch ones (train_loss, train_error, test_loss, test_error, angles, examples_per_second), the signal
// histograms of measured batches (RunStore::appendSignalHistograms, written with the metrics), plus
// epochs done, the best test error (of every epoch recorded, those before a resume included) and the time
// trained (pauses left out; a resumed run adds to what it had).
//
// While it exists it renews the run's liveness lease (RunStore::renewLease) every few seconds from a thread
// of its own, paused runs included, so that a run whose process died shows as interrupted once the lease
// lapses. onBatch only appends to a reserved buffer; the buffer is written in one transaction when the flush
// interval has passed (so a killed process loses at most that much), at every epoch end and at every
// status change. A failed write keeps the samples for the next flush and is reported by lastError(),
// never thrown into the trainer.
class RunRecorder : public TrainingObserver {
  public:
    RunRecorder(RunStore& store, int64_t runId,
                std::chrono::milliseconds flushInterval = std::chrono::seconds(1));
    ~RunRecorder() override; // flushes what is left, stops renewing the lease

    void onStatus(RunStatus status, const std::string& message) override;
    void onBatch(const BatchReport& report) override;
    void onEpoch(const EpochReport& report) override;
    void onCheckpoint(const CheckpointReport& report) override;   // registers the file with the run
    void onSkippedFile(const SkippedFileReport& report) override; // a warning message naming file and reason
    void
    onDataSource(const DataSourceReport& report) override; // an info message: folder, fingerprint, counts

    // Writes the buffered samples now; false (and lastError()) when the database refused them.
    bool flush();

    int64_t runId() const { return runId_; }
    std::optional<double> bestTestError() const;
    std::string lastError() const;
    int64_t flushCount() const; // transactions written so far

  private:
    void add(const std::string& name, int epoch, int64_t step, double wallTime, double value);
    void addAngles(const char* prefix, const std::vector<double>& angles, int firstLayer, int epoch,
                   int64_t step, double wallTime);
    bool flushLocked();

    using Clock = std::chrono::steady_clock;
    RunStore& store_;
    const int64_t runId_;
    const std::chrono::milliseconds interval_;
    mutable std::mutex mutex_;
    std::vector<MetricSample> buffer_;
    std::vector<SignalHistogramRecord> signals_; // signal histograms of measured batches, not yet written
    size_t used_ = 0; // samples in buffer_ (kept constructed so their strings' storage is reused)
    Clock::time_point lastFlush_;
    int epochsDone_ = 0;
    int64_t lastAngleStep_ = -1;
    std::optional<double> best_;
    bool progressDirty_ = false;
    // Time trained: before this recorder (a resumed run), since it was made, less its pauses.
    double activeBefore_ = 0.0;
    Clock::time_point since_ = Clock::now();
    std::chrono::duration<double> paused_{0.0};
    std::optional<Clock::time_point> pausedAt_;
    double activeSeconds() const; // with mutex_ held
    std::string lastError_;
    int64_t flushes_ = 0;
    std::vector<std::string> weightNames_, deltaNames_; // metric names by layer position, made once

    std::mutex leaseMutex_;
    std::condition_variable leaseStop_;
    bool stopping_ = false;
    std::thread lease_;
};

} // namespace bp

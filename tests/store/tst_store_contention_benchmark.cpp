// Benchmark (prints its figures): a long Compare read while a run trains and records. Before the issue
// "Open the core…" the explorer read through the trainer's own RunStore (one SQLite connection behind one
// lock), so a 0.4 s read stalled the training step whenever the recorder flushed; now the explorer reads
// on a read-only connection of its own. The same training is timed with no reader, with a reader on the
// recorder's RunStore (the old way), and with a reader on its own connection (the explorer's way).
#include "core/setup/defaults.h"
#include "core/store/run_recorder.h"
#include "core/store/run_store.h"
#include "core/train/trainer.h"
#include "support/test_support.h"
#include <QtTest>
#include <atomic>
#include <chrono>
#include <thread>

using namespace bp;
using namespace std::chrono;

namespace {

// Batch times of a run: the steps' rate and the longest gap between two batches.
class BatchClock : public TrainingObserver {
  public:
    explicit BatchClock(TrainingObserver* next) : next_(next) {}
    void onStatus(RunStatus s, const std::string& m) override { next_->onStatus(s, m); }
    void onEpoch(const EpochReport& r) override { next_->onEpoch(r); }
    void onBatch(const BatchReport& r) override {
        const auto now = steady_clock::now();
        if (batches_ > 0)
            longest = std::max(longest, duration<double>(now - last_).count());
        else
            first_ = now;
        last_ = now;
        ++batches_;
        next_->onBatch(r);
    }
    double batchesPerSecond() const {
        return batches_ > 1 ? (batches_ - 1) / duration<double>(last_ - first_).count() : 0.0;
    }
    double longest = 0.0;

  private:
    TrainingObserver* next_;
    steady_clock::time_point first_, last_;
    int batches_ = 0;
};

// A Compare page's read of a run: every metric reduced for a plot, the hyperparameters and the runs list.
void compareRead(RunStore& store, int64_t run) {
    for (const std::string& name : store.metricNames(run))
        store.readMetricsReduced(run, name, 0, INT64_MAX, 800);
    store.hyperparameters(run);
    store.listRuns();
}

} // namespace

class TestStoreContentionBenchmark : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::string path_ = dir_.filePath("contention.sqlite").toStdString();
    int64_t bigRun_ = 0;
    data::DatasetPair data_;

    enum class Reader { None, SharedConnection, OwnConnection };

    // Trains an epoch of a small net recorded with a 20 ms flush interval, while a thread reads as asked.
    void train(Reader mode, const char* label) {
        RunStore recorderStore(path_);
        RunConfig c = defaultConfig(DatasetKind::Mnist);
        c.hiddenWidths = {256, 256};
        c.epochs = 1;
        c.threads = 1;
        const int64_t id = recorderStore.createRun(c, label);
        RunRecorder recorder(recorderStore, id, milliseconds(20));
        BatchClock clock(&recorder);
        std::unique_ptr<RunStore> own;
        if (mode == Reader::OwnConnection)
            own = std::make_unique<RunStore>(path_, RunStore::Access::ReadOnly);
        RunStore* readerStore = mode == Reader::OwnConnection ? own.get() : &recorderStore;
        std::atomic<bool> done{false};
        std::atomic<int> reads{0};
        std::thread reader;
        if (mode != Reader::None)
            reader = std::thread([&] {
                while (!done) { // a Compare page refreshed again and again, with a breath between reads
                    compareRead(*readerStore, bigRun_);
                    ++reads;
                    std::this_thread::sleep_for(std::chrono::milliseconds(20));
                }
            });
        Trainer trainer(c, &clock);
        trainer.setData(data_);
        const RunStatus status = trainer.run();
        done = true;
        if (reader.joinable())
            reader.join();
        QCOMPARE(test::statusName(status), test::statusName(RunStatus::Completed));
        qInfo("%-36s %7.0f batches/s, longest gap between batches %6.1f ms, %d Compare reads", label,
              clock.batchesPerSecond(), clock.longest * 1000.0, reads.load());
        if (mode != Reader::None)
            QVERIFY(reads > 0);
    }

  private Q_SLOTS:
    void initTestCase() {
        RunStore store(path_);
        bigRun_ = store.createRun(defaultConfig(DatasetKind::FashionMnist), "big");
        std::vector<MetricSample> samples;
        for (int m = 0; m < 12; ++m)
            for (int i = 0; i < 40000; ++i)
                samples.push_back(
                    {"metric/" + std::to_string(m), i / 2000, i, 1.7e9 + i, std::sin(i * 0.01 + m)});
        store.appendMetrics(bigRun_, samples);
        const auto start = steady_clock::now();
        compareRead(store, bigRun_);
        qInfo("one Compare read of a run of %zu points: %.0f ms", samples.size(),
              duration<double>(steady_clock::now() - start).count() * 1000.0);
        data_.train = {at::randn({16000, 1, 28, 28}), at::randint(10, {16000}, at::kLong)};
        data_.test = {at::randn({200, 1, 28, 28}), at::randint(10, {200}, at::kLong)};
    }

    void trainingWhileComparing() {
        train(Reader::None, "no reader");
        train(Reader::SharedConnection, "reader on the recorder's connection");
        train(Reader::OwnConnection, "reader on its own connection");
    }
};

QTEST_GUILESS_MAIN(TestStoreContentionBenchmark)
#include "tst_store_contention_benchmark.moc"

// Signal histograms in the run store (schema 8): written by the recorder at measured batches, read back per
// run, layer and quantity.
#include "core/setup/defaults.h"
#include "core/store/run_recorder.h"
#include "core/store/run_store.h"
#include <QtTest>

using namespace bp;

namespace {

SignalHistogram histogram(int layer, const std::string& quantity, int64_t seed) {
    SignalHistogram h;
    h.layer = layer;
    h.quantity = quantity;
    h.low = quantity == "delta" ? -0.125 * double(seed) : 0.0;
    h.high = quantity == "delta" ? 0.25 : 1.0;
    for (int i = 0; i < 30; ++i)
        h.counts.push_back((i * 7 + seed) % 13);
    h.counts[3] = 1'000'000'007; // a large count survives
    h.units = 500;
    if (quantity == "event_rate") {
        h.silentUnits = seed % 5;
        h.silentClasses = layer == 2 ? 3 : -1;
    }
    return h;
}

void compareHistograms(const SignalHistogram& a, const SignalHistogram& b) {
    QCOMPARE(a.layer, b.layer);
    QCOMPARE(a.quantity, b.quantity);
    QCOMPARE(a.low, b.low);
    QCOMPARE(a.high, b.high);
    QCOMPARE(a.counts, b.counts);
    QCOMPARE(a.units, b.units);
    QCOMPARE(a.silentUnits, b.silentUnits);
    QCOMPARE(a.silentClasses, b.silentClasses);
}

} // namespace

class TestSignalStore : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::string path_ = dir_.filePath("runs.sqlite").toStdString();

  private Q_SLOTS:
    void roundTrip() {
        RunStore store(path_);
        const int64_t id = store.createRun(defaultConfig(DatasetKind::Mnist));
        const int64_t other = store.createRun(defaultConfig(DatasetKind::Mnist));
        std::vector<SignalHistogramRecord> records;
        for (int64_t step : {1, 50, 100})
            for (int layer : {0, 2})
                for (const char* q : {"event_rate", "p", "p_t", "delta"})
                    records.push_back({int(step / 60) + 1, step, histogram(layer, q, step)});
        store.appendSignalHistograms(id, records);
        store.appendSignalHistograms(other, {records.front()});
        const std::vector<std::pair<int, std::string>> keys = store.signalHistogramKeys(id);
        QCOMPARE(keys.size(), size_t(8));
        QCOMPARE(keys.front(), (std::pair<int, std::string>{0, "delta"}));
        QCOMPARE(keys.back(), (std::pair<int, std::string>{2, "p_t"}));
        const std::vector<SignalHistogramRecord> rates = store.readSignalHistograms(id, 2, "event_rate");
        QCOMPARE(rates.size(), size_t(3));
        QCOMPARE(rates[1].step, int64_t(50));
        QCOMPARE(rates[2].epoch, 2);
        compareHistograms(rates[2].histogram, histogram(2, "event_rate", 100));
        compareHistograms(store.readSignalHistograms(id, 0, "delta")[0].histogram, histogram(0, "delta", 1));
        QCOMPARE(store.readSignalHistograms(other, 0, "event_rate").size(), size_t(1));
        QVERIFY(store.readSignalHistograms(id, 1, "p").empty());
        // A resumed run re-records a step: the row is replaced.
        SignalHistogramRecord again = records.front();
        again.histogram.counts.assign(30, 1);
        store.appendSignalHistograms(id, {again});
        QCOMPARE(store.readSignalHistograms(id, 0, "event_rate").front().histogram.counts,
                 std::vector<int64_t>(30, 1));
        QCOMPARE(store.readSignalHistograms(id, 0, "event_rate").size(), size_t(3));
        // A read-only connection reads them too.
        RunStore reader(path_, RunStore::Access::ReadOnly);
        QCOMPARE(reader.readSignalHistograms(id, 2, "p").size(), size_t(3));
    }

    // The recorder keeps the histograms of measured batches and writes them with the metrics.
    void recorderWritesMeasuredBatches() {
        RunStore store(path_);
        const int64_t id = store.createRun(defaultConfig(DatasetKind::Mnist));
        {
            RunRecorder recorder(store, id, std::chrono::hours(1));
            for (int64_t step = 1; step <= 20; ++step) {
                BatchReport r;
                r.epoch = 1;
                r.batch = int(step);
                r.batchesPerEpoch = 20;
                r.step = step;
                if (step % 10 == 0)
                    r.signals = {histogram(0, "event_rate", step), histogram(0, "delta", step)};
                recorder.onBatch(r);
            }
            QVERIFY(store.signalHistogramKeys(id).empty()); // buffered until the flush
            QVERIFY(recorder.flush());
            QCOMPARE(recorder.lastError(), QString().toStdString());
        }
        const std::vector<SignalHistogramRecord> rates = store.readSignalHistograms(id, 0, "event_rate");
        QCOMPARE(rates.size(), size_t(2));
        QCOMPARE(rates[0].step, int64_t(10));
        QCOMPARE(rates[1].step, int64_t(20));
        compareHistograms(rates[1].histogram, histogram(0, "event_rate", 20));
        QCOMPARE(store.readSignalHistograms(id, 0, "delta").size(), size_t(2));
    }
};

QTEST_GUILESS_MAIN(TestSignalStore)
#include "tst_signal_store.moc"

// Signal histograms in the run store (schema 8): written by the recorder at measured batches, read back per
// run, layer and quantity.
#include "core/cli/results_writer.h"
#include "core/runs/export.h"
#include "core/setup/defaults.h"
#include "core/store/run_recorder.h"
#include "core/store/run_store.h"
#include <QtTest>
#include <fstream>
#include <sstream>

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

std::vector<std::string> fields(const std::string& line) {
    std::vector<std::string> out;
    std::stringstream in(line);
    std::string field;
    while (std::getline(in, field, ','))
        out.push_back(field);
    if (!line.empty() && line.back() == ',')
        out.emplace_back();
    return out;
}

std::vector<std::string> lines(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

std::string optionalText(int64_t v) {
    return v >= 0 ? std::to_string(v) : std::string();
}

// The CSV rows from `first` on (each with `skip` leading fields) hold exactly the records, bin by bin.
void compareRows(const std::vector<std::string>& rows, size_t first, size_t skip,
                 const std::vector<SignalHistogramRecord>& records) {
    size_t row = first;
    for (const SignalHistogramRecord& r : records) {
        const SignalHistogram& h = r.histogram;
        for (size_t bin = 0; bin < h.counts.size(); ++bin, ++row) {
            QVERIFY(row < rows.size());
            const std::vector<std::string> f = fields(rows[row]);
            QCOMPARE(f.size(), skip + 11);
            QCOMPARE(f[skip + 0], std::to_string(r.epoch));
            QCOMPARE(f[skip + 1], std::to_string(r.step));
            QCOMPARE(f[skip + 2], std::to_string(h.layer));
            QCOMPARE(f[skip + 3], h.quantity);
            QCOMPARE(std::stod(f[skip + 4]), h.low); // exactly: the shortest text that reads back
            QCOMPARE(std::stod(f[skip + 5]), h.high);
            QCOMPARE(f[skip + 6], std::to_string(bin));
            QCOMPARE(f[skip + 7], std::to_string(h.counts[bin]));
            QCOMPARE(f[skip + 8], std::to_string(h.units));
            QCOMPARE(f[skip + 9], optionalText(h.silentUnits));
            QCOMPARE(f[skip + 10], optionalText(h.silentClasses));
        }
    }
    QCOMPARE(row, rows.size());
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

    // burstprop-train export --signals: the table's columns, its counts one row per bin, every value as the
    // store holds it (NULL silent counts as empty fields); a run without histograms adds no rows.
    void csvExportHoldsTheTable() {
        RunStore store(path_);
        const int64_t id = store.createRun(defaultConfig(DatasetKind::Mnist), "csv, \"quoted\"");
        const int64_t none = store.createRun(defaultConfig(DatasetKind::Mnist));
        std::vector<SignalHistogramRecord> records;
        for (int64_t step : {0, 7})
            for (const char* q : {"event_rate", "delta"})
                records.push_back({step == 0 ? 0 : 1, step, histogram(2, q, step + 3)});
        store.appendSignalHistograms(id, records);
        const std::string path = dir_.filePath("signals.csv").toStdString();
        exportSignalHistogramsCsv(store, {id, none}, path);
        const std::vector<std::string> rows = lines(path);
        QCOMPARE(rows.front(), std::string("run_id,run,") + kSignalCsvColumns);
        QCOMPARE(fields(rows.front()).size(), size_t(13));
        const std::vector<SignalHistogramRecord> stored = store.readAllSignalHistograms(id);
        QCOMPARE(stored.size(), records.size());
        QCOMPARE(rows.size(), 1 + records.size() * 30);
        QVERIFY(rows[1].rfind(std::to_string(id) + ",\"csv, \"\"quoted\"\"\",", 0) == 0);
        // The run's name holds a comma: compare the fields after it.
        std::vector<std::string> tails;
        const std::string lead = std::to_string(id) + ",\"csv, \"\"quoted\"\"\",";
        for (size_t i = 1; i < rows.size(); ++i)
            tails.push_back(rows[i].substr(lead.size()));
        compareRows(tails, 0, 0, stored);
    }

    // The results folder's signal_histograms.csv: epoch 0's and the measured batches' histograms, the same
    // columns; a continued folder keeps the epochs before the resume and drops the rest.
    void resultsFolderWritesThem() {
        const std::string dir = dir_.filePath("results").toStdString();
        const RunConfig config = defaultConfig(DatasetKind::Mnist);
        std::vector<SignalHistogramRecord> written;
        {
            ResultsWriter writer(dir, config);
            EpochReport e0;
            e0.signals = {histogram(0, "event_rate", 1), histogram(0, "delta", 2)};
            writer.onEpoch(e0);
            for (const SignalHistogram& h : e0.signals)
                written.push_back({0, 0, h});
            for (int epoch : {1, 2}) {
                BatchReport b;
                b.epoch = epoch;
                b.step = 10 * epoch;
                b.signals = {histogram(1, "p", epoch)};
                writer.onBatch(b);
                written.push_back({epoch, b.step, b.signals[0]});
                EpochReport e;
                e.epoch = epoch;
                e.step = b.step;
                writer.onEpoch(e);
            }
        }
        std::vector<std::string> rows = lines(dir + "/signal_histograms.csv");
        QCOMPARE(rows.front(), std::string(kSignalCsvColumns));
        compareRows(rows, 1, 0, written);
        // Resumed after epoch 1: epoch 2's rows go, the new ones follow.
        {
            std::unique_ptr<ResultsWriter> writer = ResultsWriter::continuing(dir, config, 1);
            QVERIFY(writer);
            BatchReport b;
            b.epoch = 2;
            b.step = 25;
            b.signals = {histogram(1, "delta", 5)};
            writer->onBatch(b);
            written.back() = {2, 25, b.signals[0]};
        }
        rows = lines(dir + "/signal_histograms.csv");
        QCOMPARE(rows.front(), std::string(kSignalCsvColumns));
        compareRows(rows, 1, 0, written);
    }
};

QTEST_GUILESS_MAIN(TestSignalStore)
#include "tst_signal_store.moc"

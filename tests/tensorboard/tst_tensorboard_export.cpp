// A recorded run as TensorBoard scalars: the reference's tags and epoch steps for the epoch-level series,
// the batch step under batch/ for the others; the run's folder and event file read back equal to its metrics.
#include "core/setup/defaults.h"
#include "core/store/run_recorder.h"
#include "core/store/run_store.h"
#include "core/tensorboard/tensorboard_export.h"
#include "core/util/error.h"
#include <QDir>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

using namespace bp;
using namespace bp::tensorboard;

namespace {

constexpr int kBatches = 4; // per epoch

// A histogram of 4 bins: event rates over [0, 1], deltas over [-1, 1].
SignalHistogram signal(int layer, const std::string& quantity, int64_t step) {
    SignalHistogram h;
    h.layer = layer;
    h.quantity = quantity;
    h.low = quantity == "delta" ? -1.0 : 0.0;
    h.high = 1.0;
    h.counts = {step, 0, 2, 1};
    h.units = 3;
    return h;
}

BatchReport batch(int epoch, int b) {
    BatchReport r;
    r.epoch = epoch;
    r.batch = b;
    r.batchesPerEpoch = kBatches;
    r.step = int64_t(epoch - 1) * kBatches + b;
    r.loss = 0.5 / r.step;
    r.error = 40.0 - r.step;
    r.examplesPerSecond = 1000.0 + r.step;
    if (b == 2) { // angles measured between epochs
        r.weightAngles = {81.0 + r.step, 71.0};
        r.deltaAngles = {61.0};
        r.signals = {signal(0, "event_rate", r.step), signal(1, "delta", r.step)};
    }
    return r;
}

EpochReport epoch(int e) {
    EpochReport r;
    r.epoch = e;
    r.step = int64_t(e) * kBatches;
    r.trainLoss = e == 0 ? std::nan("") : 0.1 * e;
    r.trainError = e == 0 ? std::nan("") : 10.0 / e;
    r.testLoss = 0.2 / (e + 1);
    r.testError = 90.0 / (e + 1);
    r.silentClasses = 3 - e;
    r.weightAngles = {45.0 + e, 50.0 + e};
    r.deltaAngles = {55.0 + e};
    r.examplesPerSecond = 2000.0 + e;
    if (e == 0) // the untrained network's histograms
        r.signals = {signal(0, "event_rate", 0), signal(1, "delta", 0)};
    return r;
}

// Records two epochs (8 batches) through the recorder, as a training run does.
int64_t recordRun(RunStore& store, const std::string& name) {
    const int64_t id = store.createRun(defaultConfig(DatasetKind::Mnist), name);
    RunRecorder recorder(store, id);
    recorder.onEpoch(epoch(0));
    for (int e = 1; e <= 2; ++e) {
        for (int b = 1; b <= kBatches; ++b)
            recorder.onBatch(batch(e, b));
        recorder.onEpoch(epoch(e));
    }
    recorder.flush();
    return id;
}

std::map<std::pair<std::string, int64_t>, float> byTagAndStep(const std::vector<ScalarEvent>& events) {
    std::map<std::pair<std::string, int64_t>, float> out;
    for (const ScalarEvent& e : events)
        out[{e.tag, e.step}] = e.value;
    return out;
}

} // namespace

class TestTensorboardExport : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::string db_ = dir_.filePath("runs.sqlite").toStdString();

  private Q_SLOTS:
    void mapsMetricsToTheReferenceTags() {
        RunStore store(db_);
        const int64_t id = recordRun(store, "mapping");
        const std::vector<ScalarEvent> events = runScalarEvents(store, id);
        const auto points = byTagAndStep(events);
        auto value = [&](const char* tag, int64_t step) {
            const auto it = points.find({tag, step});
            return it == points.end() ? std::nanf("missing") : it->second;
        };
        // Epoch-level: the epoch is the step.
        QCOMPARE(value("Test Error", 0), 90.0f);
        QCOMPARE(value("Test Error", 2), 30.0f);
        QCOMPARE(value("Train Error", 1), 10.0f);
        QVERIFY(std::isnan(value("Train Loss", 0))); // epoch 0 trains nothing: NaN kept
        QCOMPARE(value("Train Loss", 2), 0.2f);
        QCOMPARE(value("Test Loss", 1), 0.1f);
        QCOMPARE(value("Test Silent Classes", 2), 1.0f);
        QCOMPARE(value("Examples per Second", 1), 2001.0f);
        // The network's layer 1 is the reference's weight_angle/0; delta angles keep their layer.
        QCOMPARE(value("weight_angle/0", 0), 45.0f);
        QCOMPARE(value("weight_angle/1", 2), 52.0f);
        QCOMPARE(value("delta_angle/0", 1), 56.0f);
        // Batch-level: the global step.
        QCOMPARE(value("batch/loss", 8), 0.0625f);
        QCOMPARE(value("batch/error", 5), 35.0f);
        QCOMPARE(value("batch/examples_per_second", 3), 1003.0f);
        QCOMPARE(value("batch/weight_angle/0", 6), 87.0f);
        QCOMPARE(value("batch/delta_angle/0", 2), 61.0f);
        QVERIFY(!points.count({"batch/examples_per_second", 4})); // an epoch's end: its epoch figure
        QVERIFY(!points.count({"Test Error", 4}));

        // Every sample once; steps never go back (TensorBoard's older loaders would drop points).
        size_t samples = 0;
        for (const std::string& name : store.metricNames(id))
            samples += store.readMetrics(id, name).size();
        QCOMPARE(events.size(), samples);
        for (size_t i = 1; i < events.size(); ++i)
            QVERIFY(events[i - 1].step <= events[i].step);
    }

    void namesFoldersAfterTheRun() {
        RunRecord r;
        r.id = 12;
        r.name = "My Run: lr=0.1 / ∂w";
        QCOMPARE(runFolderName(r), std::string("run-12-my-run-lr-0-1-w"));
        r.name = "∂∂";
        QCOMPARE(runFolderName(r), std::string("run-12"));
        r.name = std::string(100, 'a');
        QCOMPARE(runFolderName(r), "run-12-" + std::string(40, 'a'));
    }

    // The file read back equals the run's metrics; an export again replaces the earlier event file.
    void writesTheRunsFolder() {
        RunStore store(db_);
        const int64_t id = recordRun(store, "Folder run");
        const std::string out = dir_.filePath("tb").toStdString();
        const std::string folder = out + "/run-" + std::to_string(id) + "-folder-run";
        std::filesystem::create_directories(folder);
        std::ofstream(folder + "/events.out.tfevents.1.stale") << "old";
        std::ofstream(folder + "/notes.txt") << "kept";

        const RunExport e = exportRunEvents(store, id, out);
        QCOMPARE(e.folder, folder);
        QVERIFY(!std::filesystem::exists(folder + "/events.out.tfevents.1.stale"));
        QVERIFY(std::filesystem::exists(folder + "/notes.txt"));
        const QStringList files = QDir(QString::fromStdString(folder)).entryList({"events.out.tfevents.*"});
        QCOMPARE(files.size(), 1);

        const EventFileContents read = readEventFile(e.file);
        QCOMPARE(QString::fromStdString(read.fileVersion), QString("brain.Event:2"));
        QCOMPARE(read.scalars.size(), e.scalars);
        const std::vector<ScalarEvent> expected = runScalarEvents(store, id);
        QCOMPARE(read.scalars.size(), expected.size());
        for (size_t i = 0; i < expected.size(); ++i) {
            QCOMPARE(read.scalars[i].tag, expected[i].tag);
            QCOMPARE(read.scalars[i].step, expected[i].step);
            QCOMPARE(read.scalars[i].wallTime, expected[i].wallTime);
            QVERIFY(read.scalars[i].value == expected[i].value ||
                    (std::isnan(read.scalars[i].value) && std::isnan(expected[i].value)));
        }
    }

    // The signal histograms as TensorBoard histograms: "<quantity>/<layer>" at their batch step (epoch 0's at
    // step 0), the bins' upper edges and counts, sum and sum of squares from the bin centres; read back from
    // the exported file.
    void writesSignalHistograms() {
        RunStore store(db_);
        const int64_t id = recordRun(store, "Histogram run");
        const std::vector<HistogramEvent> events = runHistogramEvents(store, id);
        QCOMPARE(events.size(), size_t(6)); // steps 0, 2 and 6, two quantities each
        QCOMPARE(events[0].tag, std::string("event_rate/0"));
        QCOMPARE(events[0].step, int64_t(0));
        QVERIFY(events[0].wallTime > 0); // epoch 0's test_error's
        QCOMPARE(events[1].tag, std::string("delta/1"));
        QCOMPARE(events[4].step, int64_t(6));
        // delta over [-1, 1] in 4 bins, counts {2, 0, 2, 1} at step 2: centres -0.75, -0.25, 0.25, 0.75.
        const HistogramEvent& d = events[3];
        QCOMPARE(d.tag, std::string("delta/1"));
        QCOMPARE(d.step, int64_t(2));
        QCOMPARE(d.min, -1.0);
        QCOMPARE(d.max, 1.0);
        QCOMPARE(d.num, 5.0);
        QCOMPARE(d.bucketLimit, (std::vector<double>{-0.5, 0.0, 0.5, 1.0}));
        QCOMPARE(d.bucket, (std::vector<double>{2.0, 0.0, 2.0, 1.0}));
        QCOMPARE(d.sum, 2 * -0.75 + 2 * 0.25 + 0.75);
        QCOMPARE(d.sumSquares, 2 * 0.5625 + 2 * 0.0625 + 0.5625);

        const RunExport e = exportRunEvents(store, id, dir_.filePath("tb-histograms").toStdString());
        QCOMPARE(e.histograms, events.size());
        const EventFileContents read = readEventFile(e.file);
        QCOMPARE(read.skippedValues, size_t(0));
        QCOMPARE(read.scalars.size(), e.scalars);
        QCOMPARE(read.histograms.size(), events.size());
        for (size_t i = 0; i < events.size(); ++i) {
            QCOMPARE(read.histograms[i].tag, events[i].tag);
            QCOMPARE(read.histograms[i].step, events[i].step);
            QCOMPARE(read.histograms[i].bucket, events[i].bucket);
            QCOMPARE(read.histograms[i].sum, events[i].sum);
        }
    }

    void unknownRunIsNamed() {
        RunStore store(db_);
        try {
            exportRunEvents(store, 999, dir_.filePath("none").toStdString());
            QFAIL("no error");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("run 999 is not in"), e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestTensorboardExport)
#include "tst_tensorboard_export.moc"

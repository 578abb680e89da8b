// burstprop-train export --tensorboard and import: a recorded run's event file reads back equal to its
// metrics; a sweep's runs each get a folder; a reference-style folder and an export are imported as runs
// tagged "imported"; damaged files and missing arguments are refused with named errors.
#include "core/setup/defaults.h"
#include "core/store/run_store.h"
#include "core/tensorboard/event_file.h"
#include "core/tensorboard/tensorboard_export.h"
#include "core/util/error.h"
#include "support/test_support.h"
#include <QDir>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

using namespace bp;
using namespace bp::tensorboard;
using test::describe;
using Result = test::ProcessResult;

namespace {

constexpr int kTimeoutMs = 180000;

// The one event file of a folder, read.
EventFileContents readFolder(const QString& folder) {
    const QStringList files = QDir(folder).entryList({"events.out.tfevents.*"}, QDir::Files);
    if (files.size() != 1)
        throw Error(folder.toStdString() + ": " + std::to_string(files.size()) + " event files");
    return readEventFile(QDir(folder).filePath(files.first()).toStdString());
}

float valueAt(const EventFileContents& c, const std::string& tag, int64_t step) {
    for (const ScalarEvent& e : c.scalars)
        if (e.tag == tag && e.step == step)
            return e.value;
    return std::nanf("missing");
}

} // namespace

class TestTensorboardCli : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString binary_, db_;
    int64_t runId_ = 0;

    Result run(const QStringList& args) { return test::runProcess(binary_, args, kTimeoutMs); }
    Result show(const QString& db, int64_t id) { return run({"show", QString::number(id), "--db", db}); }

  private Q_SLOTS:
    void initTestCase() {
        QString data;
        const QString missing = test::prepareTrainerTest(tmp_, &binary_, &data);
        QVERIFY2(missing.isEmpty(), qPrintable(missing));
        db_ = tmp_.filePath("runs.sqlite");
        const Result r = run({"--dataset", "mnist", "--data-dir", data, "--threads", "1", "--hidden-widths",
                              "40,20", "-n_epochs", "2", "--angle-interval", "5", "--db", db_,
                              "--no-progress", "--name", "Tiny run"});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        RunStore store(db_.toStdString());
        runId_ = store.listRuns().front().id;
    }

    void helpNamesTheCommands() {
        const Result r = run({"export", "--help"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("--tensorboard DIR") && r.out.contains("import REFERENCE_DIR"),
                 qPrintable(r.out));
    }

    // Every metric sample of the run is one scalar of the file, at the tag and step the mapping gives.
    void exportedEventsEqualTheRunsMetrics() {
        const QString out = tmp_.filePath("tb");
        const Result r = run({"export", QString::number(runId_), "--tensorboard", out, "--db", db_});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QVERIFY2(r.out.contains("tensorboard --logdir"), qPrintable(r.out));
        const QString folder = QDir(out).filePath(QString("run-%1-tiny-run").arg(runId_));
        QVERIFY(QFileInfo::exists(folder + "/params.txt"));
        const EventFileContents read = readFolder(folder);
        QCOMPARE(QString::fromStdString(read.fileVersion), QString("brain.Event:2"));

        RunStore store(db_.toStdString());
        size_t samples = 0;
        for (const std::string& name : store.metricNames(runId_))
            samples += store.readMetrics(runId_, name).size();
        QCOMPARE(read.scalars.size(), samples);
        const std::vector<MetricPoint> testError = store.readMetrics(runId_, "test_error");
        QCOMPARE(testError.size(), size_t(3));
        std::map<int64_t, int> epochAt;
        for (const MetricPoint& p : testError) {
            QCOMPARE(valueAt(read, "Test Error", p.epoch), float(p.value));
            epochAt[p.step] = p.epoch;
        }
        for (const MetricPoint& p : store.readMetrics(runId_, "train_loss"))
            QVERIFY(valueAt(read, "Train Loss", p.epoch) == float(p.value) || std::isnan(p.value));
        for (const MetricPoint& p : store.readMetrics(runId_, "batch_loss"))
            QCOMPARE(valueAt(read, "batch/loss", p.step), float(p.value));
        // The network's layer 1 is the reference's weight_angle/0; angles between epochs under batch/.
        int batchAngles = 0;
        for (const MetricPoint& p : store.readMetrics(runId_, "weight_angle/1")) {
            const bool atEpochEnd = epochAt.count(p.step) > 0;
            batchAngles += !atEpochEnd;
            QCOMPARE(atEpochEnd ? valueAt(read, "weight_angle/0", epochAt[p.step])
                                : valueAt(read, "batch/weight_angle/0", p.step),
                     float(p.value));
        }
        QVERIFY(batchAngles > 0);
        for (const MetricPoint& p : store.readMetrics(runId_, "delta_angle/1"))
            if (epochAt.count(p.step))
                QCOMPARE(valueAt(read, "delta_angle/1", epochAt[p.step]), float(p.value));
        // The same as the library's mapping, event for event.
        const std::vector<ScalarEvent> expected = runScalarEvents(store, runId_);
        for (size_t i = 0; i < expected.size(); ++i) {
            QCOMPARE(read.scalars[i].tag, expected[i].tag);
            QCOMPARE(read.scalars[i].step, expected[i].step);
            QCOMPARE(read.scalars[i].wallTime, expected[i].wallTime);
        }
    }

    // export --sweep ID --tensorboard DIR: one folder per run of the sweep.
    void exportsEveryRunOfASweep() {
        const QString db = tmp_.filePath("sweep.sqlite");
        std::vector<int64_t> ids;
        int64_t sweep = 0;
        {
            RunStore store(db.toStdString());
            sweep = store.createSweep("lr", "[\"sweep\",\"--grid\",\"hidden_lr=0.1,0.2\"]");
            for (double lr : {0.1, 0.2}) {
                RunConfig c = defaultConfig(DatasetKind::Mnist);
                c.hiddenLr = lr;
                const int64_t id = store.createRun(c, "lr " + std::to_string(lr), {}, {}, {}, sweep);
                store.appendMetrics(id,
                                    {{"test_error", 0, 0, 1.0, 90.0}, {"test_error", 1, 10, 2.0, 20.0 * lr}});
                ids.push_back(id);
            }
        }
        const QString out = tmp_.filePath("sweep_tb");
        const Result r = run({"export", "--sweep", QString::number(sweep), "--tensorboard", out, "--db", db});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        const QStringList folders = QDir(out).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        QCOMPARE(folders.size(), 2);
        const EventFileContents second = readFolder(QDir(out).filePath(folders[1]));
        QVERIFY2(folders[1].startsWith(QString("run-%1-").arg(ids[1])), qPrintable(folders[1]));
        QCOMPARE(valueAt(second, "Test Error", 1), 4.0f);
    }

    // An exported folder carries params.txt: import reads the run back, hyperparameters and epoch metrics.
    void importsAnExport() {
        const QString folder = tmp_.filePath("tb") + QString("/run-%1-tiny-run").arg(runId_);
        const QString db = tmp_.filePath("imported.sqlite");
        const Result r = run({"import", folder, "--db", db, "--name", "back again", "--json"});
        QVERIFY2(r.exitCode == 0 && r.events.size() == 1, qPrintable(describe(r)));
        const int64_t id = r.events.first()["run_id"].toInteger();
        RunStore original(db_.toStdString()), imported(db.toStdString());
        const RunRecord record = *imported.getRun(id);
        QCOMPARE(record.name, std::string("back again"));
        QCOMPARE(record.tags, std::vector<std::string>{"imported"});
        QCOMPARE(record.epochsDone, 2);
        QCOMPARE(toString(record.status), toString(RunStatus::Completed));
        std::map<std::string, std::string> expected;
        for (const Hyperparameter& h : original.hyperparameters(runId_))
            expected[h.key] = h.display();
        for (const Hyperparameter& h : imported.hyperparameters(id))
            if (h.key != "threads" && h.key != "data_dir")
                QVERIFY2(expected[h.key] == h.display(), h.key.c_str());
        const std::vector<MetricPoint> a = original.readMetrics(runId_, "test_error");
        const std::vector<MetricPoint> b = imported.readMetrics(id, "test_error");
        QCOMPARE(b.size(), a.size());
        for (size_t i = 0; i < a.size(); ++i) {
            QCOMPARE(b[i].epoch, a[i].epoch);
            QCOMPARE(float(b[i].value), float(a[i].value));
        }
        QCOMPARE(imported.readMetrics(id, "weight_angle/1").size(), size_t(3)); // epoch-level only
        QVERIFY(imported.readMetrics(id, "batch_loss").empty());
    }

    // A folder as train_mnist.py leaves it, through the CLI.
    void importsAReferenceFolder() {
        const QString folder = tmp_.filePath("reference");
        QVERIFY(QDir().mkpath(folder));
        std::ofstream(QDir(folder).filePath("params.txt").toStdString())
            << "Simulation run @ 07:22AM on November 28, 2025\nNumber of epochs: 1\nBatch size: 32\n"
               "Convolutional network: False\nNumber of hidden layers: 1\nFeedforward learning rates: [0.3, "
               "0.02]\n";
        writeEventFile(
            QDir(folder).filePath("events.out.tfevents.1700000000.host").toStdString(),
            {{"Test Error", 0, 1.0, 88.0f}, {"Test Error", 1, 2.0, 12.5f}, {"weight_angle/0", 1, 2.0, 77.0f}},
            1.0);
        const QString db = tmp_.filePath("reference.sqlite");
        const Result r = run({"import", folder, "--db", db});
        QVERIFY2(r.exitCode == 0 && r.out.contains("imported"), qPrintable(describe(r)));
        RunStore store(db.toStdString());
        const RunRecord record = store.listRuns().front();
        QCOMPARE(record.name, std::string("reference"));
        QCOMPARE(*record.bestTestError, 12.5);
        const Result shown = show(db, record.id);
        QVERIFY2(shown.out.contains("hidden_lr = 0.3") && shown.out.contains("output_lr = 0.02") &&
                     shown.out.contains("imported"),
                 qPrintable(describe(shown)));
        QCOMPARE(store.readMetrics(record.id, "weight_angle/1")[0].value, 77.0);
    }

    void refusesDamagedFilesAndMissingArguments() {
        const QString folder = tmp_.filePath("damaged");
        QVERIFY(QDir().mkpath(folder));
        std::ofstream(QDir(folder).filePath("params.txt").toStdString())
            << "Number of epochs: 1\nConvolutional network: False\n";
        const std::string file = QDir(folder).filePath("events.out.tfevents.1.host").toStdString();
        writeEventFile(file, {{"Test Error", 0, 1.0, 88.0f}}, 1.0);
        std::filesystem::resize_file(file, std::filesystem::file_size(file) - 2);
        const QString db = tmp_.filePath("damaged.sqlite");
        const Result r = run({"import", folder, "--db", db});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QString::fromStdString(file)) && r.err.contains("truncated record at offset"),
                 qPrintable(describe(r)));
        QCOMPARE(RunStore(db.toStdString()).countRuns(), int64_t(0));

        QCOMPARE(run({"import", "--db", db}).exitCode, 2);
        QCOMPARE(run({"export", QString::number(runId_), "--db", db_, "--tensorboard"}).exitCode, 2);
        const Result none = run({"export", "--db", db_, "--tensorboard", tmp_.filePath("x")});
        QVERIFY2(none.exitCode == 2 && none.err.contains("which run"), qPrintable(describe(none)));
    }
};

QTEST_GUILESS_MAIN(TestTensorboardCli)
#include "tst_tensorboard_cli.moc"

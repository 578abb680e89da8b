// burstprop-train's outputs without training: JSON lines, the text progress, the results folder and
// the signal hook, each fed hand-made reports.
#include "core/cli/json_reporter.h"
#include "core/cli/options.h"
#include "core/cli/progress_printer.h"
#include "core/cli/results_writer.h"
#include "core/cli/stop_signal.h"
#include "core/config/hyperparameters.h"
#include "core/setup/config_options.h"
#include "core/setup/defaults.h"
#include "core/util/error.h"
#include "support/test_support.h"
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <sstream>
#include <thread>

using namespace bp;

namespace {

EpochReport epochReport(int epoch) {
    EpochReport r;
    r.epoch = epoch;
    r.step = epoch * 10;
    r.trainLoss = epoch == 0 ? std::nan("") : 0.05 / epoch;
    r.trainError = epoch == 0 ? std::nan("") : 20.0 / epoch;
    r.testLoss = 0.06;
    r.testError = 25.5;
    r.weightAngles = {45.0, 60.5};
    r.deltaAngles = {70.25, std::nan("")};
    r.epochSeconds = 1.5;
    r.examplesPerSecond = 1000;
    return r;
}

BatchReport batchReport(int batch) {
    BatchReport r;
    r.epoch = 1;
    r.batch = batch;
    r.batchesPerEpoch = 1875;
    r.step = batch;
    r.loss = 0.08;
    r.runningLoss = 0.09;
    r.runningError = 30.0;
    r.examplesPerSecond = 12345;
    r.etaSeconds = 3725;
    return r;
}

QList<QJsonObject> jsonLines(const std::string& text) {
    QList<QJsonObject> objects;
    for (const QString& line : QString::fromStdString(text).split('\n', Qt::SkipEmptyParts)) {
        QJsonParseError error{};
        const QJsonDocument doc = QJsonDocument::fromJson(line.toUtf8(), &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject()) {
            qWarning() << "not a JSON object:" << line;
            return {};
        }
        objects << doc.object();
    }
    return objects;
}

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

RunConfig smallConfig() {
    RunConfig c = defaultConfig(DatasetKind::Mnist);
    c.epochs = 3;
    c.hiddenWidths = {20, 10};
    c.info = "quote \" and newline\n";
    return c;
}

} // namespace

class TestCliOutput : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void epochJsonHasExactlyTheDocumentedKeys() {
        const QList<QJsonObject> lines = jsonLines(JsonReporter::epochJson(epochReport(0)));
        QCOMPARE(lines.size(), 1);
        const QJsonObject o = lines[0];
        QStringList keys = o.keys();
        keys.sort();
        QCOMPARE(keys, (QStringList{"delta_angles", "epoch", "event", "test_error", "test_loss",
                                    "train_error", "train_loss", "weight_angles"}));
        QCOMPARE(o["event"].toString(), QString("epoch"));
        QCOMPARE(o["epoch"].toInt(), 0);
        QVERIFY(o["train_loss"].isNull()); // NaN before training
        QVERIFY(o["train_error"].isNull());
        QCOMPARE(o["test_loss"].toDouble(), 0.06);
        QCOMPARE(o["test_error"].toDouble(), 25.5);
        QCOMPARE(o["weight_angles"].toArray(), (QJsonArray{45.0, 60.5}));
        QCOMPARE(o["delta_angles"].toArray().size(), 2);
        QCOMPARE(o["delta_angles"].toArray()[0].toDouble(), 70.25);
        QVERIFY(o["delta_angles"].toArray()[1].isNull());
    }

    void reporterWritesStatusConfigProgressAndOneFinalStatus() {
        std::ostringstream out;
        JsonReporter reporter(out, smallConfig(), 3600.0); // one progress line per hour at most
        reporter.onStatus(RunStatus::Running, "");
        for (int b = 1; b <= 50; ++b)
            reporter.onBatch(batchReport(b));
        reporter.onEpoch(epochReport(1));
        reporter.onStatus(RunStatus::Diverged, "diverged: the loss became NaN");
        reporter.finish(RunStatus::Diverged, "ignored: already reported");
        const QList<QJsonObject> lines = jsonLines(out.str());
        QCOMPARE(lines.size(), 4);
        QCOMPARE(lines[0]["event"].toString(), QString("status"));
        QCOMPARE(lines[0]["status"].toString(), QString("running"));
        QCOMPARE(lines[0]["config"].toObject()["dataset"].toString(), QString("mnist"));
        QCOMPARE(lines[0]["config"].toObject()["info"].toString(), QString("quote \" and newline\n"));
        QCOMPARE(lines[1]["event"].toString(), QString("progress"));
        QCOMPARE(lines[1]["batch"].toInt(), 1);
        QCOMPARE(lines[1]["batches_per_epoch"].toInt(), 1875);
        QCOMPARE(lines[1]["running_loss"].toDouble(), 0.09);
        QCOMPARE(lines[1]["eta_seconds"].toDouble(), 3725.0);
        QCOMPARE(lines[2]["event"].toString(), QString("epoch"));
        QCOMPARE(lines[3]["status"].toString(), QString("diverged"));
        QCOMPARE(lines[3]["message"].toString(), QString("diverged: the loss became NaN"));
        QVERIFY(!lines[3].contains("config"));
    }

    void progressUnthrottledWritesEveryBatch() {
        std::ostringstream out;
        JsonReporter reporter(out, smallConfig(), 0.0);
        for (int b = 1; b <= 5; ++b)
            reporter.onBatch(batchReport(b));
        QCOMPARE(jsonLines(out.str()).size(), 5);
    }

    void finishWritesTheFinalStatusWhenTheTrainerDidNot() {
        std::ostringstream out;
        JsonReporter reporter(out, smallConfig());
        reporter.finish(RunStatus::Failed, "no data");
        reporter.finish(RunStatus::Failed, "twice");
        const QList<QJsonObject> lines = jsonLines(out.str());
        QCOMPARE(lines.size(), 1);
        QCOMPARE(lines[0]["status"].toString(), QString("failed"));
        QCOMPARE(lines[0]["message"].toString(), QString("no data"));
        QVERIFY(lines[0].contains("config"));
    }

    void barFitsTheTerminal_data() {
        QTest::addColumn<int>("columns");
        for (int c : {20, 40, 60, 80, 120, 300})
            QTest::addRow("%d", c) << c;
    }
    void barFitsTheTerminal() {
        QFETCH(int, columns);
        const std::string line = ProgressPrinter::barLine(batchReport(937), 500, columns);
        QVERIFY2(int(line.size()) <= columns - 1, line.c_str());
        QVERIFY(line.find('\n') == std::string::npos);
        QVERIFY(line.rfind("epoch 1/500", 0) == 0);
        if (columns >= 80) { // room for every figure
            for (const char* part : {"937/1875", "loss 0.0900", "acc 70.0%", "12345 ex/s", "ETA 1:02:05"})
                QVERIFY2(line.find(part) != std::string::npos, (line + " lacks " + part).c_str());
            QVERIFY(line.find('[') != std::string::npos);
        }
    }

    void durations() {
        QCOMPARE(ProgressPrinter::formatDuration(0), std::string("0:00"));
        QCOMPARE(ProgressPrinter::formatDuration(59.6), std::string("1:00"));
        QCOMPARE(ProgressPrinter::formatDuration(3725), std::string("1:02:05"));
        QCOMPARE(ProgressPrinter::formatDuration(std::nan("")), std::string("--"));
    }

    void epochLines() {
        const std::string before = ProgressPrinter::epochLine(epochReport(0), 3);
        QVERIFY2(before.find("epoch 0/3 (before training)") != std::string::npos, before.c_str());
        QVERIFY2(before.find("train loss") == std::string::npos, before.c_str());
        QVERIFY2(before.find("test loss 0.0600 error 25.50%") != std::string::npos, before.c_str());
        const std::string after = ProgressPrinter::epochLine(epochReport(2), 3);
        for (const char* part :
             {"epoch 2/3", "train loss 0.0250 error 10.00%", "test loss 0.0600 error 25.50%",
              "weight angles 45.0 60.5", "delta angles 70.2 nan"})
            QVERIFY2(after.find(part) != std::string::npos, (after + " lacks " + part).c_str());
        QVERIFY2(after.find("never predicted") == std::string::npos, after.c_str());
        EpochReport silent = epochReport(2);
        silent.silentClasses = 1;
        const std::string one = ProgressPrinter::epochLine(silent, 3);
        QVERIFY2(one.find("error 25.50% (1 class never predicted)") != std::string::npos, one.c_str());
        silent.silentClasses = 3;
        const std::string three = ProgressPrinter::epochLine(silent, 3);
        QVERIFY2(three.find("(3 classes never predicted)") != std::string::npos, three.c_str());
        silent.epoch = 0; // an untrained network predicts few classes: not worth a remark
        const std::string untrained = ProgressPrinter::epochLine(silent, 3);
        QVERIFY2(untrained.find("never predicted") == std::string::npos, untrained.c_str());
    }

    void printerDrawsTheBarOnlyOnATerminalAndThrottled() {
        std::ostringstream plain;
        ProgressPrinter noBar(plain, smallConfig(), false);
        for (int b = 1; b <= 100; ++b)
            noBar.onBatch(batchReport(b));
        noBar.onEpoch(epochReport(1));
        const std::string plainText = plain.str();
        QVERIFY(plainText.find('\r') == std::string::npos);
        QCOMPARE(std::count(plainText.begin(), plainText.end(), '\n'), 1);

        std::ostringstream terminal;
        ProgressPrinter bar(terminal, smallConfig(), true, 80, 3600.0);
        for (int b = 1; b <= 100; ++b)
            bar.onBatch(batchReport(b));
        const std::string drawn = terminal.str();
        QCOMPARE(std::count(drawn.begin(), drawn.end(), '\r'), 1); // one redraw in the hour
        bar.onEpoch(epochReport(1));
        const std::string text = terminal.str();
        // The epoch line replaces the bar and ends the line.
        QVERIFY(text.find("\r\033[Kepoch 1/3  train loss") != std::string::npos);
        QVERIFY(text.back() == '\n');
    }

    void resultsFolder() {
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const QString dir = tmp.filePath("runs/new/run1"); // missing parents are created
        const RunConfig config = smallConfig();
        {
            ResultsWriter writer(dir.toStdString(), config, "burstprop-train -n_epochs 3");
            writer.onEpoch(epochReport(0));
            // Each row is on disk as soon as the epoch ends.
            QCOMPARE(readAll(dir + "/metrics.csv").count('\n'), 2);
            EpochReport fewer = epochReport(1);
            fewer.deltaAngles.clear();
            writer.onEpoch(fewer);
            EpochReport silent = epochReport(2);
            silent.silentClasses = 2;
            writer.onEpoch(silent);
        }
        const QString params = QString::fromUtf8(readAll(dir + "/params.txt"));
        QVERIFY(params.startsWith("Simulation run @ "));
        QVERIFY(params.contains("Command line: burstprop-train -n_epochs 3"));
        QVERIFY(params.contains("Dataset: mnist"));
        QVERIFY(params.contains("Hidden layer widths: [20, 10]"));
        for (const ParamSpec& spec : hyperparameters())
            QVERIFY2(params.contains("\n" + QString::fromStdString(flagName(spec.key)) + ": "), spec.key);
        QVERIFY(params.contains("-n_epochs: 3 "));

        const QJsonDocument json = QJsonDocument::fromJson(readAll(dir + "/config.json"));
        QVERIFY(json.isObject());
        QCOMPARE(json.object()["hidden_widths"].toArray(), (QJsonArray{20, 10}));
        QCOMPARE(json.object()["n_epochs"].toInt(), 3);

        const QStringList rows =
            QString::fromUtf8(readAll(dir + "/metrics.csv")).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(rows.size(), 4);
        QCOMPARE(rows[0],
                 QString("epoch,train_loss,train_error,test_loss,test_error,weight_angle_1,weight_angle_2,"
                         "delta_angle_0,delta_angle_1,silent_classes"));
        QCOMPARE(rows[1], QString("0,,,0.06,25.5,45,60.5,70.25,,0"));
        QCOMPARE(rows[2], QString("1,0.05,20,0.06,25.5,45,60.5,,,0"));
        QCOMPARE(rows[3].split(',').size(), 10);
        QVERIFY2(rows[3].endsWith(",2"), qPrintable(rows[3])); // two silent classes at epoch 2
    }

    void resultsFolderThatCannotBeCreated() {
        QTemporaryDir tmp;
        QFile file(tmp.filePath("a-file"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        const std::string dir = tmp.filePath("a-file/run").toStdString();
        try {
            ResultsWriter writer(dir, smallConfig());
            QFAIL("no error");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find(dir) != std::string::npos, e.what());
        }
    }

    void signalCallsBackOnAnotherThread() {
        std::atomic<int> calls{0};
        std::atomic<bool> otherThread{false};
        const auto mainThread = std::this_thread::get_id();
        {
            StopOnSignal hook(
                [&] {
                    otherThread = std::this_thread::get_id() != mainThread;
                    ++calls;
                },
                10);
            QVERIFY(!StopOnSignal::signalled());
            std::raise(SIGTERM);
            QTRY_COMPARE_WITH_TIMEOUT(calls.load(), 1, 5000);
            QVERIFY(StopOnSignal::signalled());
            QCOMPARE(StopOnSignal::signalNumber(), int(SIGTERM));
        }
        QVERIFY(otherThread);
        QCOMPARE(calls.load(), 1);
    }
};

QTEST_GUILESS_MAIN(TestCliOutput)
#include "tst_cli_output.moc"

// The built burstprop-train end to end on a small MNIST-format dataset written here: JSON events,
// the results folder, exit statuses, error messages, divergence, signals and --benchmark.
#include "core/config/run_config.h"
#include "core/setup/defaults.h"
#include "core/train/trainer.h"
#include "support/test_support.h"
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <signal.h>
#include <sys/types.h>

using namespace bp;
using test::describe;
using test::eventsOf;
using Result = test::ProcessResult;

namespace {

constexpr int kTrainImages = 256;
constexpr int kTestImages = 64;
constexpr int kTimeoutMs = 120000;

} // namespace

class TestTrainCli : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString binary_;
    QString dataDir_;

    QStringList smallRun() const {
        return {"--dataset", "mnist", "--data-dir", dataDir_, "--threads", "1", "-n_hidden_layers", "1"};
    }

    Result run(const QStringList& args) { return test::runProcess(binary_, args, kTimeoutMs); }

  private Q_SLOTS:
    void initTestCase() {
        binary_ = test::trainerBinary();
        QVERIFY2(!binary_.isEmpty(), "BURSTPROP_TRAIN_BIN is not set (run the test through CTest)");
        QVERIFY2(QFileInfo(binary_).isExecutable(), qPrintable(binary_));
        QVERIFY(tmp_.isValid());
        dataDir_ = tmp_.filePath("mnist");
        QVERIFY(test::writeBarDatasets(dataDir_, kTrainImages, kTestImages));
    }

    void trainsTwoEpochsWithJsonAndResults() {
        const QString results = tmp_.filePath("results/run1");
        const Result r = run(smallRun() << "-n_epochs"
                                        << "2"
                                        << "--json" << results);
        QVERIFY2(r.exitStatus == QProcess::NormalExit && r.exitCode == 0, qPrintable(describe(r)));
        QVERIFY2(r.nonJsonLines.isEmpty(), qPrintable(describe(r))); // --json: nothing else on stdout

        // First the run's record, then status events first and last.
        QVERIFY(r.events.size() >= 6);
        QCOMPARE(r.events.first()["event"].toString(), QString("run"));
        QVERIFY(r.events.first()["run_id"].toInt() > 0);
        QCOMPARE(r.events[1]["event"].toString(), QString("status"));
        QCOMPARE(r.events[1]["status"].toString(), QString("running"));
        QCOMPARE(r.events[1]["config"].toObject()["n_epochs"].toInt(), 2);
        QCOMPARE(r.events.last()["event"].toString(), QString("status"));
        QCOMPARE(r.events.last()["status"].toString(), QString("completed"));
        QVERIFY(r.events.last().contains("message"));
        int finals = 0;
        for (const QJsonObject& e : eventsOf(r, "status"))
            finals += e["status"].toString() != "running";
        QCOMPARE(finals, 1);

        // Epochs 0, 1, 2 with exactly the documented keys.
        const QList<QJsonObject> epochs = eventsOf(r, "epoch");
        QCOMPARE(epochs.size(), 3);
        const QStringList keys{"delta_angles", "epoch",       "event",      "test_error",
                               "test_loss",    "train_error", "train_loss", "weight_angles"};
        for (int i = 0; i < 3; ++i) {
            const QJsonObject& e = epochs[i];
            QStringList actual = e.keys();
            actual.sort();
            QCOMPARE(actual, keys);
            QCOMPARE(e["epoch"].toInt(-1), i);
            for (const char* key : {"test_loss", "test_error"})
                QVERIFY2(e[key].isDouble(), key);
            if (i == 0) { // before training there are no train figures
                QVERIFY(e["train_loss"].isNull());
                QVERIFY(e["train_error"].isNull());
            } else {
                QVERIFY(e["train_loss"].isDouble());
                QVERIFY(e["train_error"].isDouble());
                QVERIFY(e["train_error"].toDouble() >= 0 && e["train_error"].toDouble() <= 100);
            }
            QVERIFY(e["test_error"].toDouble() >= 0 && e["test_error"].toDouble() <= 100);
            // One hidden layer: a weight angle for the output layer, a delta angle for the hidden one.
            for (const char* key : {"weight_angles", "delta_angles"}) {
                const QJsonArray angles = e[key].toArray();
                QCOMPARE(angles.size(), 1);
                QVERIFY2(angles[0].isDouble() && angles[0].toDouble() >= 0 && angles[0].toDouble() <= 180,
                         key);
            }
        }
        // It learns: the test loss falls.
        QVERIFY2(epochs[2]["test_loss"].toDouble() < epochs[0]["test_loss"].toDouble(),
                 qPrintable(describe(r)));

        for (const QJsonObject& p : eventsOf(r, "progress")) {
            QCOMPARE(p["epoch"].toInt() >= 1 && p["epoch"].toInt() <= 2, true);
            QVERIFY(p["batch"].toInt() >= 1 && p["batch"].toInt() <= p["batches_per_epoch"].toInt());
            QVERIFY(p["examples_per_second"].isDouble());
        }

        // The results folder.
        QFile params(results + "/params.txt");
        QVERIFY(params.open(QIODevice::ReadOnly));
        const QString paramsText = QString::fromUtf8(params.readAll());
        QVERIFY(paramsText.contains("-n_epochs: 2"));
        QVERIFY(paramsText.contains("-hidden_lr: 0.1"));
        QVERIFY(paramsText.contains("Dataset: mnist"));

        QFile config(results + "/config.json");
        QVERIFY(config.open(QIODevice::ReadOnly));
        const QJsonObject configJson = QJsonDocument::fromJson(config.readAll()).object();
        QCOMPARE(configJson["dataset"].toString(), QString("mnist"));
        QCOMPARE(configJson["hidden_widths"].toArray(), QJsonArray{500});

        // The signal histograms, from epoch 0 (step 0) on: 30 rows of bins per layer and quantity.
        QFile signalCsv(results + "/signal_histograms.csv");
        QVERIFY(signalCsv.open(QIODevice::ReadOnly));
        const QStringList signalRows = QString::fromUtf8(signalCsv.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(signalRows.value(0),
                 QString("epoch,step,layer,quantity,low,high,bin,count,units,silent_units,silent_classes"));
        QVERIFY2(signalRows.size() > 1 && (signalRows.size() - 1) % 30 == 0, qPrintable(signalRows.value(1)));
        QVERIFY2(signalRows.value(1).startsWith("0,0,0,"), qPrintable(signalRows.value(1)));

        QFile metrics(results + "/metrics.csv");
        QVERIFY(metrics.open(QIODevice::ReadOnly));
        const QStringList rows = QString::fromUtf8(metrics.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(rows.size(), 4);
        QCOMPARE(rows[0],
                 QString("epoch,train_loss,train_error,test_loss,test_error,weight_angle_1,delta_angle_0,"
                         "silent_classes"));
        for (int i = 1; i <= 3; ++i) {
            const QStringList cells = rows[i].split(',');
            QCOMPARE(cells.size(), 8);
            QCOMPARE(cells[0], QString::number(i - 1));
            bool ok = false;
            const double testLoss = cells[3].toDouble(&ok);
            QVERIFY(ok);
            const double expected = epochs[i - 1]["test_loss"].toDouble(); // the CSV keeps 9 digits
            QVERIFY2(std::abs(testLoss - expected) <= 1e-8 * std::abs(expected), qPrintable(rows[i]));
        }
    }

    // Without --json and without a terminal: a configuration line, epoch lines, no progress bar.
    void plainTextWithoutTerminal() {
        const Result r = run(smallRun() << "-n_epochs"
                                        << "1"
                                        << "--hidden-widths"
                                        << "32");
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QVERIFY(!r.out.contains('\r'));
        QVERIFY(r.out.contains("dataset=mnist architecture=fc hidden=32 rule=burstprop"));
        QVERIFY(r.out.contains("epoch 0/1 (before training)"));
        QVERIFY(r.out.contains(QRegularExpression("epoch 1/1  train loss [0-9.]+ error [0-9.]+%")));
    }

    void invalidArguments_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("expected");
        QTest::addRow("out of range") << QStringList{"-hidden_lr", "150"}
                                      << "burstprop-train: -hidden_lr: 150 is out of range [0, 100]";
        QTest::addRow("bad boolean") << QStringList{"-use_backprop", "yes"}
                                     << "burstprop-train: -use_backprop: 'yes' is not a boolean";
        QTest::addRow("unknown option")
            << QStringList{"-foo", "1"} << "burstprop-train: unknown option '-foo' (see --help)";
        QTest::addRow("bad dataset") << QStringList{"--dataset=svhn"}
                                     << "burstprop-train: --dataset: unknown dataset";
    }
    void invalidArguments() {
        QFETCH(QStringList, args);
        QFETCH(QString, expected);
        const Result r = run(args);
        QCOMPARE(r.exitStatus, QProcess::NormalExit);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(expected), qPrintable(describe(r)));
        QVERIFY(r.out.isEmpty());
    }

    void help() {
        const Result r = run({"--help"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith("Usage: burstprop-train"));
        QVERIFY(r.out.contains("-hidden_lr X"));
    }

    void missingDataFolder_data() {
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<QString>("alsoNamed");
        QTest::newRow("no download") << QStringList{"--no-download"} << QString("train-images");
        // Port 1 on loopback refuses at once: a failed download, whatever network the machine has.
        QTest::newRow("download fails")
            << QStringList{"--mirror", "http://127.0.0.1:1/mnist/"} << QString("http://127.0.0.1:1/mnist/");
    }

    void missingDataFolder() {
        QFETCH(QStringList, extra);
        QFETCH(QString, alsoNamed);
        const QString missing = tmp_.filePath("no-such-folder");
        const Result r = run(smallRun() << "--data-dir" << missing << "-n_epochs"
                                        << "1" << extra << "--json");
        QCOMPARE(r.exitStatus, QProcess::NormalExit);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("burstprop-train: ") && r.err.contains(missing), qPrintable(describe(r)));
        QVERIFY(!r.events.isEmpty());
        QCOMPARE(r.events.last()["status"].toString(), QString("failed"));
        QVERIFY(r.events.last()["message"].toString().contains(missing));
        QVERIFY2(r.err.contains(alsoNamed), qPrintable(describe(r)));
    }

    // train_cifar10.py's defaults are known not to learn: the CLI says so on standard error when such a run
    // starts (here it then fails on the missing data), and the JSON on standard output stays one object a
    // line.
    void knownProblemWarning_data() {
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<bool>("warned");
        QTest::newRow("defaults") << QStringList{} << true;
        QTest::newRow("momentum 0.5") << QStringList{"-momentum", "0.5"} << false;
    }

    void knownProblemWarning() {
        QFETCH(QStringList, extra);
        QFETCH(bool, warned);
        const Result r = run(QStringList{"--dataset", "cifar10", "--data-dir", tmp_.filePath("no-cifar"),
                                         "--no-download", "-n_epochs", "1", "--json"}
                             << extra);
        QCOMPARE(r.exitStatus, QProcess::NormalExit);
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(
            r.err.contains("burstprop-train: warning: burstprop on the CIFAR-10 conv net with momentum 0.8"),
            warned);
        QVERIFY2(!r.events.isEmpty(), qPrintable(describe(r)));
        QCOMPARE(r.events.last()["status"].toString(), QString("failed"));
    }

    // Recurrent weights learned with a rate far past stability (Z ← Z(I − lr·b_preᵀb_pre) grows
    // geometrically) overflow to inf, the burst probabilities become NaN, and so does the loss.
    void divergingRunEndsAsDiverged() {
        const Result r = run(smallRun() << "-n_epochs"
                                        << "5"
                                        << "-recurrent_lr"
                                        << "10"
                                        << "-weight_r_range"
                                        << "10"
                                        << "--json");
        QCOMPARE(r.exitStatus, QProcess::NormalExit);
        QVERIFY2(r.exitCode == 1, qPrintable(describe(r)));
        QCOMPARE(r.events.last()["status"].toString(), QString("diverged"));
        QVERIFY(r.events.last()["message"].toString().contains("diverged"));
        QVERIFY2(r.err.contains("burstprop-train: diverged"), qPrintable(describe(r)));
        QVERIFY(eventsOf(r, "epoch").size() < 6);
    }

    // The same at the trainer level, independent of the rule's numerics: NaN pixels.
    void nanDataDivergesInTheTrainer() {
        RunConfig config = defaultConfig(DatasetKind::Mnist);
        config.hiddenWidths = {16};
        config.epochs = 2;
        config.threads = 1;
        data::DatasetPair data;
        data.train.images = at::full({64, 1, 28, 28}, std::nan(""), at::kFloat);
        data.train.labels = at::zeros({64}, at::kLong);
        data.test.images = at::zeros({16, 1, 28, 28}, at::kFloat);
        data.test.labels = at::zeros({16}, at::kLong);
        Trainer trainer(config);
        trainer.setData(data);
        QCOMPARE(QString::fromStdString(toString(trainer.run())), QString("diverged"));
        QVERIFY2(QString::fromStdString(trainer.message()).contains("diverged"), trainer.message().c_str());
    }

    void stopsOnSignal_data() {
        QTest::addColumn<int>("signal");
        QTest::addRow("SIGINT") << int(SIGINT);
        QTest::addRow("SIGTERM") << int(SIGTERM);
    }
    void stopsOnSignal() {
        QFETCH(int, signal);
        QProcess process;
        process.start(binary_, smallRun() << "-n_epochs"
                                          << "100000"
                                          << "--json");
        QVERIFY(process.waitForStarted(kTimeoutMs));
        // Wait until it trains (the first epoch line), then signal it.
        QByteArray seen;
        QElapsedTimer timer;
        timer.start();
        while (!seen.contains("\"event\":\"epoch\",\"epoch\":1,") && timer.elapsed() < kTimeoutMs) {
            process.waitForReadyRead(1000);
            seen += process.readAllStandardOutput();
        }
        QVERIFY2(seen.contains("\"epoch\":1,"), seen.constData());
        QCOMPARE(::kill(pid_t(process.processId()), signal), 0);
        QVERIFY(process.waitForFinished(kTimeoutMs));
        const QByteArray rest = process.readAllStandardOutput();
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 130);
        const QList<QByteArray> lines = (seen + rest).trimmed().split('\n');
        const QJsonObject last = QJsonDocument::fromJson(lines.last()).object();
        QCOMPARE(last["event"].toString(), QString("status"));
        QCOMPARE(last["status"].toString(), QString("stopped"));
    }

    void benchmarkPrintsExamplesPerSecondLast() {
        const Result r = run(smallRun() << "--benchmark"
                                        << "5");
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        const QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
        QVERIFY(lines.size() >= 2);
        QVERIFY(lines.first().contains("dataset=mnist"));
        const QRegularExpressionMatch m =
            QRegularExpression("^examples_per_second=([0-9.]+)$").match(lines.last());
        QVERIFY2(m.hasMatch(), qPrintable(lines.last()));
        QVERIFY(m.captured(1).toDouble() > 0);
    }
};

QTEST_GUILESS_MAIN(TestTrainCli)
#include "tst_train_cli.moc"

// burstprop-train evaluate: a recorded run's checkpoints evaluated on the test set without training. The
// figures match what the run recorded at the checkpoint's epoch, the confusion matrix adds up to the test
// set and its diagonal to the error, --confusion writes it as CSV, and bad input ends with a message.
#include "core/store/run_store.h"
#include "core/util/number_text.h"
#include "support/test_support.h"
#include <ATen/Context.h>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

using namespace bp;
using test::describe;
using Result = test::ProcessResult;

namespace {

constexpr int kTimeoutMs = 180000;
constexpr int kTestImages = 100;

// The value of a run's metric at an epoch's end.
std::optional<double> metricAt(RunStore& store, int64_t id, const std::string& name, int epoch) {
    for (const MetricPoint& p : store.readMetrics(id, name))
        if (p.epoch == epoch)
            return p.value;
    return std::nullopt;
}

std::string checkpointFile(RunStore& store, int64_t id, CheckpointKind kind) {
    for (const CheckpointRecord& c : store.checkpoints(id))
        if (c.kind == kind)
            return c.path;
    return {};
}

} // namespace

class TestEvaluateCli : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString binary_, dataDir_, db_;
    int64_t runId_ = 0;

    Result run(const QStringList& args) { return test::runProcess(binary_, args, kTimeoutMs); }
    int64_t train(const QString& name, int epochs) {
        const Result r = run({"--dataset", "mnist", "--data-dir", dataDir_, "--threads", "1",
                              "--hidden-widths", "40", "-n_epochs", QString::number(epochs),
                              "--checkpoint-every", "1", "--db", db_, "--no-progress", "--name", name});
        if (r.exitCode != 0) {
            qWarning("%s", qPrintable(describe(r)));
            return 0;
        }
        RunStore store(db_.toStdString());
        return store.listRuns().front().id;
    }
    Result evaluate(const QStringList& more) {
        return run(QStringList{"evaluate", QString::number(runId_), "--db", db_} + more);
    }

  private Q_SLOTS:
    void initTestCase() {
        const QString missing = test::prepareTrainerTest(tmp_, &binary_, &dataDir_, 600, kTestImages);
        QVERIFY2(missing.isEmpty(), qPrintable(missing));
        db_ = tmp_.filePath("runs.sqlite");
        runId_ = train("evaluated", 2);
        QVERIFY(runId_ > 0);
    }

    // Each kept checkpoint gives the test error the run recorded at its epoch; best is the lowest of the
    // trained epochs.
    void matchesTheRecordedMetrics_data() {
        QTest::addColumn<QString>("which");
        QTest::addColumn<int>("epoch");
        QTest::newRow("latest") << "latest" << 2;
        QTest::newRow("best") << "best" << -1;
        QTest::newRow("initial") << "initial" << 0;
        QTest::newRow("epoch-1") << "epoch-1" << 1;
    }
    void matchesTheRecordedMetrics() {
        QFETCH(QString, which);
        QFETCH(int, epoch);
        const Result r = evaluate({"--which", which, "--json"});
        QVERIFY2(r.exitCode == 0 && r.events.size() == 1, qPrintable(describe(r)));
        const QJsonObject e = r.events.first();
        RunStore store(db_.toStdString());
        if (epoch < 0) { // best: the first trained epoch with the lowest test error
            double lowest = 1e9;
            for (const MetricPoint& p : store.readMetrics(runId_, "test_error"))
                if (p.epoch >= 1 && p.value < lowest) {
                    lowest = p.value;
                    epoch = p.epoch;
                }
        }
        QCOMPARE(e["epoch"].toInt(), epoch);
        QCOMPARE(e["checkpoint"].toString(), which);
        QCOMPARE(e["examples"].toInt(), kTestImages);
        const double error = e["test_error"].toDouble();
        QVERIFY2(std::abs(error - *metricAt(store, runId_, "test_error", epoch)) < 1e-9,
                 qPrintable(describe(r)));
        QVERIFY(std::abs(e["test_loss"].toDouble() - *metricAt(store, runId_, "test_loss", epoch)) < 1e-6);
        QVERIFY(!e.contains("test_top5_error")); // a sigmoid output: the trainer records no top-5 either

        // The confusion matrix: 10 × 10, its counts summing to the test set, its diagonal to 100 − error.
        const QJsonArray rows = e["confusion"].toArray();
        QCOMPARE(rows.size(), 10);
        int total = 0, diagonal = 0;
        for (int t = 0; t < rows.size(); ++t) {
            const QJsonArray row = rows[t].toArray();
            QCOMPARE(row.size(), 10);
            int rowSum = 0;
            for (int p = 0; p < row.size(); ++p)
                rowSum += row[p].toInt();
            total += rowSum;
            diagonal += row[t].toInt();
            const QJsonObject perClass = e["per_class"].toArray()[t].toObject();
            QCOMPARE(perClass["examples"].toInt(), rowSum);
            QCOMPARE(perClass["errors"].toInt(), rowSum - row[t].toInt());
        }
        QCOMPARE(total, kTestImages);
        QVERIFY(std::abs(100.0 * diagonal / kTestImages - (100.0 - error)) < 1e-9);

        // The text report prints the same error to its precision.
        const Result text = evaluate({"--which", which});
        QVERIFY2(text.exitCode == 0, qPrintable(describe(text)));
        const QString printed = QString::fromStdString("test error    " + formatFixed(error, 2) + "%");
        QVERIFY2(text.out.contains(printed), qPrintable(describe(text)));
        QVERIFY2(text.out.contains("per-class error") && text.out.contains("confusion matrix"),
                 qPrintable(describe(text)));
    }

    void writesTheConfusionCsv() {
        const QString csv = tmp_.filePath("confusion.csv");
        const Result r = evaluate({"--which", "best", "--json", "--confusion", csv});
        QVERIFY2(r.exitCode == 0 && r.events.size() == 1, qPrintable(describe(r)));
        const QJsonArray rows = r.events.first()["confusion"].toArray();
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly | QIODevice::Text));
        const QStringList lines = QString::fromUtf8(f.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 11);
        QCOMPARE(lines[0], QString("true\\predicted,0,1,2,3,4,5,6,7,8,9"));
        int total = 0;
        for (int t = 0; t < 10; ++t) {
            const QStringList cells = lines[t + 1].split(',');
            QCOMPARE(cells.size(), 11);
            QCOMPARE(cells[0], QString::number(t));
            for (int p = 0; p < 10; ++p) {
                bool ok = false;
                const int n = cells[p + 1].toInt(&ok);
                QVERIFY(ok);
                QCOMPARE(n, rows[t].toArray()[p].toInt());
                total += n;
            }
        }
        QCOMPARE(total, kTestImages);
    }

    // The data folder may be given again (moved data): the same figures.
    void takesAnotherDataFolder() {
        const QString moved = tmp_.filePath("moved");
        QVERIFY(test::writeBarDatasets(moved, 600, kTestImages));
        const Result a = evaluate({"--json"});
        const Result b = evaluate({"--json", "--data-dir", moved});
        QVERIFY2(a.exitCode == 0 && b.exitCode == 0, qPrintable(describe(a) + describe(b)));
        QCOMPARE(a.events.first()["test_error"].toDouble(), b.events.first()["test_error"].toDouble());
    }

    void refusesBadInput_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("message");
        QTest::newRow("no run") << QStringList{"evaluate"} << 2 << "which run?";
        QTest::newRow("not an id") << QStringList{"evaluate", "abc"} << 2 << "'abc' is not a run id";
        QTest::newRow("unknown option") << QStringList{"evaluate", "1", "--bogus"} << 2 << "unknown option";
        QTest::newRow("missing run") << QStringList{"evaluate", "999"} << 1 << "run 999 is not in";
        QTest::newRow("checkpoint not kept")
            << QStringList{"evaluate", "1", "--which", "epoch-7"} << 1 << "epoch-7";
        QTest::newRow("not a label") << QStringList{"evaluate", "1", "--which", "newest"} << 1 << "newest";
        QTest::newRow("missing data folder")
            << QStringList{"evaluate", "1", "--data-dir", "/nonexistent/bars"} << 1 << "/nonexistent/bars";
        QTest::newRow("empty data folder")
            << QStringList{"evaluate", "1", "--data-dir", "EMPTY"} << 1 << "EMPTY";
        // --threads and --device as train reads them, with its words.
        QTest::newRow("negative threads") << QStringList{"evaluate", "1", "--threads", "-1"} << 2
                                          << "evaluate: --threads: -1 is out of range [0, 1024]";
        QTest::newRow("threads not a number")
            << QStringList{"evaluate", "1", "--threads=two"} << 2
            << "evaluate: --threads: 'two' is not an integer (allowed range [0, 1024])";
        QTest::newRow("too many threads") << QStringList{"evaluate", "1", "--threads", "1025"} << 2
                                          << "evaluate: --threads: 1025 is out of range [0, 1024]";
        QTest::newRow("fractional threads") << QStringList{"evaluate", "1", "--threads", "1.5"} << 2
                                            << "evaluate: --threads: '1.5' is not an integer";
        QTest::newRow("unknown device") << QStringList{"evaluate", "1", "--device", "tpu"} << 2
                                        << "evaluate: --device: device 'tpu' is not one of cpu, cuda, cuda:N";
        QTest::newRow("empty device") << QStringList{"evaluate", "1", "--device="} << 2 << "device";
        if (!at::hasCUDA()) // a CPU build: train's message
            QTest::newRow("cuda in a CPU build")
                << QStringList{"evaluate", "1", "--device", "cuda"} << 1
                << "device 'cuda': this LibTorch has no CUDA support (or no GPU is visible)";
    }
    void refusesBadInput() {
        QFETCH(QStringList, args);
        QFETCH(int, status);
        QFETCH(QString, message);
        const QString empty = tmp_.filePath("empty");
        QVERIFY(QDir().mkpath(empty));
        args.replaceInStrings("EMPTY", empty);
        message.replace("EMPTY", empty);
        const Result r = run(args << "--db" << db_);
        QCOMPARE(r.exitStatus, QProcess::NormalExit);
        QVERIFY2(r.exitCode == status, qPrintable(describe(r)));
        QVERIFY2(r.err.contains(message), qPrintable(describe(r)));
        QVERIFY2(!r.err.contains("terminate") && r.out.isEmpty(), qPrintable(describe(r)));
    }

    // --threads and --device cpu give the numbers of the run's own settings (one thread): the same error,
    // confusion matrix and loss.
    void threadsAndDeviceKeepTheNumbers() {
        const Result base = evaluate({"--json"});
        QVERIFY2(base.exitCode == 0 && base.events.size() == 1, qPrintable(describe(base)));
        const QJsonObject a = base.events.first();
        for (const QStringList& more : {QStringList{"--threads", "1"}, QStringList{"--threads", "2"},
                                        QStringList{"--threads", "0", "--device", "cpu"}}) {
            const Result r = evaluate(QStringList{"--json"} + more);
            QVERIFY2(r.exitCode == 0 && r.events.size() == 1, qPrintable(describe(r)));
            const QJsonObject b = r.events.first();
            QCOMPARE(b["test_error"].toDouble(), a["test_error"].toDouble());
            QCOMPARE(b["confusion"].toArray(), a["confusion"].toArray());
            QCOMPARE(b["examples"].toInt(), kTestImages);
            if (more.value(1) == "1") // the run's own setting: bit for bit
                QCOMPARE(b["test_loss"].toDouble(), a["test_loss"].toDouble());
            else // other threads may sum in another order
                QVERIFY2(std::abs(b["test_loss"].toDouble() - a["test_loss"].toDouble()) <=
                             1e-6 * std::abs(a["test_loss"].toDouble()),
                         qPrintable(describe(r)));
        }
        const Result text = evaluate({"--threads", "1", "--device", "cpu"});
        QVERIFY2(text.exitCode == 0 && text.out.contains("test error"), qPrintable(describe(text)));
    }

    // A removed, damaged or truncated checkpoint file is named, never a crash.
    void refusesBrokenCheckpoints() {
        const int64_t id = train("broken", 1);
        QVERIFY(id > 0);
        RunStore store(db_.toStdString());
        const std::string latest = checkpointFile(store, id, CheckpointKind::Latest);
        const std::string best = checkpointFile(store, id, CheckpointKind::Best);
        const std::string initial = checkpointFile(store, id, CheckpointKind::Initial);
        QVERIFY(!latest.empty() && !best.empty() && !initial.empty());
        std::filesystem::remove(best);
        std::ofstream(latest, std::ios::binary | std::ios::trunc) << "not a checkpoint at all";
        std::filesystem::resize_file(initial, std::filesystem::file_size(initial) / 2);
        for (const auto& [which, file] :
             {std::pair{"best", best}, {"latest", latest}, {"initial", initial}}) {
            const Result r = run({"evaluate", QString::number(id), "--which", which, "--db", db_});
            QCOMPARE(r.exitStatus, QProcess::NormalExit);
            QVERIFY2(r.exitCode == 1, qPrintable(describe(r)));
            QVERIFY2(r.err.contains(QString::fromStdString(file)), qPrintable(describe(r)));
        }
    }
};

QTEST_GUILESS_MAIN(TestEvaluateCli)
#include "tst_evaluate_cli.moc"

// burstprop-train sweep --dry-run: the built binary lists a sweep's runs and their count, and refuses bad
// specifications with the key and the range (running sweeps: tst_sweep_run_cli).
#include "core/cli/subcommand.h"
#include "support/test_support.h"
#include <QJsonObject>
#include <QtTest>

using namespace bp;
using test::describe;
using Result = test::ProcessResult;

namespace {

constexpr int kTimeoutMs = 60000;

} // namespace

class TestSweepCli : public QObject {
    Q_OBJECT
    QString binary_;

    Result sweep(const QStringList& args) {
        return test::runProcess(binary_, QStringList{"sweep"} + args, kTimeoutMs);
    }

  private Q_SLOTS:
    void initTestCase() {
        binary_ = test::trainerBinary();
        QVERIFY2(!binary_.isEmpty(), "BURSTPROP_TRAIN_BIN is not set (run the test through CTest)");
    }

    void dryRunListsTheGrid() {
        const Result r = sweep({"--grid", "hidden_lr=0.01,0.03,0.1", "--grid=p_baseline=0.1..0.4:4",
                                "--seeds", "5", "--dry-run", "-momentum", "0.5", "--name", "study"});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        const QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 61);
        QCOMPARE(lines[0], QString("1  hidden_lr=0.01 p_baseline=0.1 seed=1"));
        QCOMPARE(lines[59], QString("60  hidden_lr=0.1 p_baseline=0.4 seed=5"));
        QCOMPARE(lines[60], QString("60 runs: 12 grid points × 5 seeds"));
    }

    // Backprop does not use hidden_lr: one backprop run per seed. The options may stand before "sweep".
    void dryRunDropsUnusedHyperparameters() {
        const Result r =
            test::runProcess(binary_,
                             {"--dry-run", "sweep", "--grid", "rule=burstprop,backprop", "--grid",
                              "hidden_lr=0.01,0.1", "--seeds", "2", "--commands", "--dataset", "mnist"},
                             kTimeoutMs);
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        const QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 7);
        QCOMPARE(lines[0], QString("burstprop-train --dataset mnist -hidden_lr 0.01"));
        QCOMPARE(lines[5], QString("burstprop-train --dataset mnist --rule backprop --seed 2"));
        QVERIFY2(lines[6].startsWith("6 runs: 4 grid points × 2 seeds, 2 runs left out"),
                 qPrintable(lines[6]));
    }

    // --dry-run --json: one planned_run line per run (its swept values, seed and command line) and a summary.
    void dryRunAsJson() {
        const Result r = sweep({"--grid", "rule=burstprop,backprop", "--grid", "hidden_lr=0.01,0.1",
                                "--seeds", "2", "--dry-run", "--json", "--dataset", "mnist"});
        QVERIFY2(r.exitCode == 0 && r.nonJsonLines.isEmpty(), qPrintable(describe(r)));
        QCOMPARE(r.events.size(), 7);
        QCOMPARE(r.events[0]["event"].toString(), QString("planned_run"));
        QCOMPARE(r.events[0]["assignments"].toObject()["hidden_lr"].toString(), QString("0.01"));
        QCOMPARE(r.events[0]["command"].toString(),
                 QString("burstprop-train --dataset mnist -hidden_lr 0.01"));
        QCOMPARE(r.events[5]["assignments"].toObject()["rule"].toString(), QString("backprop"));
        QVERIFY(!r.events[5]["assignments"].toObject().contains("hidden_lr")); // backprop does not use it
        QCOMPARE(r.events[5]["seed"].toInt(), 2);
        const QJsonObject plan = r.events[6];
        QCOMPARE(plan["event"].toString(), QString("sweep_plan"));
        QCOMPARE(plan["runs"].toInt(), 6);
        QCOMPARE(plan["points"].toInt(), 4);
        QCOMPARE(plan["duplicates"].toInt(), 2);
        QCOMPARE(plan["mode"].toString(), QString("grid"));
    }

    void randomDraws() {
        const Result r =
            sweep({"--grid", "hidden_lr=0.001..1:log", "--random", "4", "--draw-seed", "3", "--dry-run"});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QVERIFY2(r.out.endsWith("4 runs: 4 random points × 1 seed\n"), qPrintable(r.out));
        QCOMPARE(
            sweep({"--grid", "hidden_lr=0.001..1:log", "--random", "4", "--draw-seed", "3", "--dry-run"}).out,
            r.out);
    }

    void errors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::addRow("out of range") << QStringList{"--grid", "hidden_lr=0.01..200:3", "--dry-run"}
                                      << "--grid hidden_lr: 200 is out of range [0, 100]";
        QTest::addRow("count") << QStringList{"--grid", "p_baseline=0.1..0.4:1", "--dry-run"}
                               << "--grid p_baseline: a range needs a count in [2, 10000], not 1";
        QTest::addRow("log") << QStringList{"--grid", "hidden_lr=0..1:3:log", "--dry-run"}
                             << "--grid hidden_lr: a log range needs both ends above 0";
        QTest::addRow("unknown key") << QStringList{"--grid", "frobnicate=1", "--dry-run"}
                                     << "--grid frobnicate: unknown option";
        QTest::addRow("unknown rule") << QStringList{"--grid", "rule=magic", "--dry-run"}
                                      << "--grid rule: unknown learning rule 'magic'";
        QTest::addRow("no grid") << QStringList{"--dry-run"} << "sweep: give at least one --grid";
        QTest::addRow("bad base") << QStringList{"--grid", "hidden_lr=0.1", "-momentum", "2", "--dry-run"}
                                  << "-momentum: 2 is out of range [0, 0.999]";
        QTest::addRow("unknown option") << QStringList{"--grid", "hidden_lr=0.1", "--frob", "--dry-run"}
                                        << "sweep: unknown option '--frob'";
        QTest::addRow("positional") << QStringList{"--grid", "hidden_lr=0.1", "results", "--dry-run"}
                                    << "sweep: unexpected argument 'results'";
        QTest::addRow("seeds") << QStringList{"--grid", "hidden_lr=0.1", "--seeds", "0", "--dry-run"}
                               << "--seeds: 0 is out of range [1, 10000]";
        QTest::addRow("grid range without count")
            << QStringList{"--grid", "hidden_lr=0.1..1", "--dry-run"} << "hidden_lr: a range without a count";
        QTest::addRow("parallel") << QStringList{"--grid", "hidden_lr=0.1", "--parallel", "0", "--dry-run"}
                                  << "--parallel: 0 is out of range [1, 1024]";
        QTest::addRow("no database") << QStringList{"--grid", "hidden_lr=0.1,0.2", "--no-db"}
                                     << "sweep: a sweep is recorded in the run database; --no-db goes with "
                                        "--dry-run only";
    }
    void errors() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Result r = sweep(args);
        QVERIFY2(r.exitCode == 2, qPrintable(describe(r)));
        QVERIFY2(r.err.contains("burstprop-train: " + message), qPrintable(r.err));
        QVERIFY2(r.out.isEmpty(), qPrintable(r.out));
    }

    void help() {
        const Result r = sweep({"--help"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("0.01..1:5:log"));
        QVERIFY(isSubcommand("sweep"));
    }
};

QTEST_GUILESS_MAIN(TestSweepCli)
#include "tst_sweep_cli.moc"

// burstprop-train stop, pause and continue RUN: a real training process found through the run database and
// signalled (SIGTERM, SIGUSR1, SIGUSR2); its errors; sweep pause and continue on a real two-run sweep.
#include "core/store/run_store.h"
#include "support/test_support.h"
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>
#include <functional>

using namespace bp;
using test::describe;
using Result = test::ProcessResult;

namespace {

constexpr int kTimeoutMs = 120000;

} // namespace

class TestRunControl : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString binary_, dataDir_;

    QStringList runOptions(const QString& db, int epochs) const {
        return {"--dataset",       "mnist", "--data-dir",    dataDir_, "-n_epochs", QString::number(epochs),
                "--hidden-widths", "16",    "--train-limit", "300",    "--db",      db};
    }
    Result run(const QStringList& args) { return test::runProcess(binary_, args, kTimeoutMs); }

    // Waits (up to the timeout) until the store's record of a run satisfies `done`.
    static bool waitForRun(const QString& db, int64_t id, const std::function<bool(const RunRecord&)>& done) {
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < kTimeoutMs) {
            try {
                RunStore store(db.toStdString(), RunStore::Access::ReadOnly);
                if (const std::optional<RunRecord> r = store.getRun(id); r && done(*r))
                    return true;
            } catch (const std::exception&) {
                // not created yet
            }
            QTest::qWait(20);
        }
        return false;
    }
    static RunRecord record(const QString& db, int64_t id) {
        return *RunStore(db.toStdString(), RunStore::Access::ReadOnly).getRun(id);
    }

  private Q_SLOTS:
    void initTestCase() {
        const QString missing = test::prepareTrainerTest(tmp_, &binary_, &dataDir_);
        QVERIFY2(missing.isEmpty(), qPrintable(missing));
    }

    // pause RUN: the run is recorded paused and trains no further; continue RUN: it trains on; stop RUN: it
    // checkpoints and ends as stopped; resume RUN completes it.
    void pauseContinueStopResume() {
        const QString db = tmp_.filePath("run.sqlite");
        QProcess training;
        training.start(binary_, QStringList{"--no-progress"} + runOptions(db, 1000));
        QVERIFY(training.waitForStarted());
        QVERIFY(waitForRun(
            db, 1, [](const RunRecord& r) { return r.status == RunStatus::Running && r.epochsDone >= 1; }));

        Result r = run({"pause", "1", "--db", db});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QVERIFY2(r.out.contains(QStringLiteral("run 1: asked process %1 to pause").arg(training.processId())),
                 qPrintable(r.out));
        QVERIFY(waitForRun(db, 1, [](const RunRecord& r) { return r.status == RunStatus::Paused; }));
        const int pausedAt = record(db, 1).epochsDone;
        QTest::qWait(800); // many epochs' time
        QCOMPARE(record(db, 1).epochsDone, pausedAt);
        QCOMPARE(test::statusName(record(db, 1).status), QStringLiteral("paused"));
        QCOMPARE(training.state(), QProcess::Running);
        r = run({"pause", "1", "--db", db});
        QVERIFY2(r.exitCode == 0 && r.out.contains("run 1 is already paused"), qPrintable(describe(r)));

        r = run({"continue", "1", "--db", db});
        QVERIFY2(r.exitCode == 0 && r.out.contains("to continue"), qPrintable(describe(r)));
        QVERIFY(waitForRun(db, 1, [pausedAt](const RunRecord& r) {
            return r.status == RunStatus::Running && r.epochsDone > pausedAt;
        }));

        r = run({"stop", "1", "--db", db});
        QVERIFY2(r.exitCode == 0 && r.out.contains("to stop"), qPrintable(describe(r)));
        QVERIFY(training.waitForFinished(kTimeoutMs));
        QCOMPARE(training.exitCode(), 130);
        RunRecord stopped = record(db, 1);
        QCOMPARE(test::statusName(stopped.status), QStringLiteral("stopped"));
        {
            RunStore store(db.toStdString());
            bool latest = false;
            for (const CheckpointRecord& c : store.checkpoints(1))
                latest = latest || c.kind == CheckpointKind::Latest;
            QVERIFY(latest);
            store.setEpochsTotal(1, stopped.epochsDone + 1); // one epoch more, so that the resume is short
        }
        r = run({"stop", "1", "--db", db});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("run 1 is stopped: nothing to stop"), qPrintable(r.err));

        r = run({"resume", "1", "--db", db, "--no-progress"});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QCOMPARE(test::statusName(record(db, 1).status), QStringLiteral("completed"));
        QCOMPARE(record(db, 1).epochsDone, stopped.epochsDone + 1);
    }

    // Nothing to signal: an unknown run, a finished one, a missing or malformed id.
    void errors() {
        const QString db = tmp_.filePath("errors.sqlite");
        QVERIFY(run(QStringList{"--no-progress"} + runOptions(db, 1)).exitCode == 0);
        Result r = run({"pause", "7", "--db", db});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("run 7 is not in"), qPrintable(r.err));
        r = run({"continue", "1", "--db", db});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("run 1 is completed: nothing to continue"), qPrintable(r.err));
        r = run({"stop", "--db", db});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("stop: which run?"), qPrintable(r.err));
        r = run({"pause", "x", "--db", db});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("'x' is not a run id"), qPrintable(r.err));
        r = run({"sweep", "pause", "3", "--db", db});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("sweep 3 is not in"), qPrintable(r.err));
        r = run({"--help"});
        QVERIFY(r.out.contains("burstprop-train stop|pause|continue RUN"));
    }

    // A data-parallel run is not paused: pause is refused with the reason, its rank 0 ignores a SIGUSR1 sent
    // anyway and trains on; stop ends the whole group as stopped.
    void dataParallelRunIsNotPaused() {
        const QString db = tmp_.filePath("group.sqlite");
        QProcess launcher;
        launcher.start(binary_,
                       QStringList{"--no-progress", "--nproc", "2", "--threads", "1"} + runOptions(db, 1000));
        QVERIFY(launcher.waitForStarted());
        QVERIFY(waitForRun(
            db, 1, [](const RunRecord& r) { return r.status == RunStatus::Running && r.epochsDone >= 1; }));
        Result r = run({"pause", "1", "--db", db});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("trains in 2 processes (--nproc): a data-parallel run cannot be paused"),
                 qPrintable(r.err));
        const RunRecord running = record(db, 1);
        ::kill(pid_t(running.pid), SIGUSR1);
        QVERIFY(waitForRun(db, 1, [&running](const RunRecord& r) {
            return r.status == RunStatus::Running && r.epochsDone > running.epochsDone + 1;
        }));
        r = run({"stop", "1", "--db", db});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QVERIFY(launcher.waitForFinished(kTimeoutMs));
        QCOMPARE(launcher.exitCode(), 130);
        QCOMPARE(test::statusName(record(db, 1).status), QStringLiteral("stopped"));
    }

    // sweep pause: the running run pauses, the queued one does not start, the sweep is recorded paused; sweep
    // continue: both complete; --json reports both.
    void sweepPausedAndContinued() {
        const QString db = tmp_.filePath("sweep.sqlite");
        QProcess sweep;
        sweep.start(binary_,
                    QStringList{"sweep", "--grid", "hidden_lr=0.1,0.3", "--parallel", "1", "--json"} +
                        runOptions(db, 1000));
        QVERIFY(sweep.waitForStarted());
        QVERIFY(waitForRun(
            db, 1, [](const RunRecord& r) { return r.status == RunStatus::Running && r.epochsDone >= 1; }));
        Result r = run({"sweep", "pause", "1", "--db", db});
        QVERIFY2(r.exitCode == 0 && r.out.contains("to pause"), qPrintable(describe(r)));
        QVERIFY(waitForRun(db, 1, [](const RunRecord& r) { return r.status == RunStatus::Paused; }));
        {
            RunStore store(db.toStdString());
            QCOMPARE(QString::fromStdString(store.sweep(1)->status), QStringLiteral("paused"));
            // Shortened now that it cannot start: the second run trains two epochs.
            store.setEpochsTotal(2, 2);
        }
        const int pausedAt = record(db, 1).epochsDone;
        QTest::qWait(1000);
        QCOMPARE(record(db, 1).epochsDone, pausedAt);
        QCOMPARE(test::statusName(record(db, 2).status), QStringLiteral("queued"));
        r = run({"sweep", "show", "1", "--db", db});
        QVERIFY2(r.out.contains("status      paused (process"), qPrintable(r.out));

        r = run({"sweep", "continue", "1", "--db", db});
        QVERIFY2(r.exitCode == 0 && r.out.contains("to continue"), qPrintable(describe(r)));
        QVERIFY(waitForRun(db, 1, [pausedAt](const RunRecord& r) { return r.epochsDone > pausedAt; }));
        r = run({"stop", "1", "--db", db}); // one run of the sweep stopped alone; the sweep goes on
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QVERIFY(sweep.waitForFinished(kTimeoutMs));
        r = test::collect(sweep);
        QCOMPARE(test::eventsOf(r, "sweep_paused").size(), 1);
        QCOMPARE(test::eventsOf(r, "sweep_paused")[0]["running"].toInt(), 1);
        QCOMPARE(test::eventsOf(r, "sweep_paused")[0]["not_started"].toInt(), 1);
        QCOMPARE(test::eventsOf(r, "sweep_continued").size(), 1);
        RunStore store(db.toStdString(), RunStore::Access::ReadOnly);
        QCOMPARE(test::statusName(store.getRun(1)->status), QStringLiteral("stopped"));
        QCOMPARE(test::statusName(store.getRun(2)->status), QStringLiteral("completed"));
        QCOMPARE(QString::fromStdString(store.sweep(1)->status), QStringLiteral("failed"));
        QVERIFY2(r.exitCode == 1, qPrintable(describe(r)));
    }
};

QTEST_MAIN(TestRunControl)
#include "tst_run_control.moc"

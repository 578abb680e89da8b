// burstprop-train sweep without --dry-run: a sweep recorded in the run database, its runs trained by
// processes of their own, K at a time; sweep list, show, stop and resume; list and export --sweep.
#include "core/store/run_store.h"
#include "support/test_support.h"
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>

using namespace bp;
using test::describe;
using Result = test::ProcessResult;

namespace {

constexpr int kTimeoutMs = 120000;

} // namespace

class TestSweepRunCli : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString binary_, dataDir_;

    // The options every run of these sweeps takes: tiny data, a small network.
    QStringList runOptions(const QString& db, int epochs, int trainLimit) const {
        return {"--dataset",
                "mnist",
                "--data-dir",
                dataDir_,
                "-n_epochs",
                QString::number(epochs),
                "--hidden-widths",
                "16",
                "--train-limit",
                QString::number(trainLimit),
                "--db",
                db};
    }
    Result run(const QStringList& args) { return test::runProcess(binary_, args, kTimeoutMs); }

    // Waits until the store shows `count` runs of the sweep running with an epoch done.
    static bool waitForRunning(const QString& db, int64_t sweep, int count) {
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < kTimeoutMs) {
            try {
                RunStore store(db.toStdString(), RunStore::Access::ReadOnly);
                int running = 0;
                for (const RunRecord& r : store.runsOfSweep(sweep))
                    running += r.status == RunStatus::Running && r.epochsDone >= 1;
                if (running >= count)
                    return true;
            } catch (const std::exception&) {
                // not created yet
            }
            QTest::qWait(30);
        }
        return false;
    }

  private Q_SLOTS:
    void initTestCase() {
        const QString missing = test::prepareTrainerTest(tmp_, &binary_, &dataDir_);
        QVERIFY2(missing.isEmpty(), qPrintable(missing));
    }

    // A 2 × 2 grid, 2 at a time: four runs tagged with the sweep, one thread each; show lists them and
    // their groups; list --sweep and export --sweep take its runs.
    void gridRunsInParallel() {
        const QString db = tmp_.filePath("grid.sqlite");
        const Result r = run(QStringList{"sweep", "--grid", "hidden_lr=0.1,0.3", "--grid",
                                         "p_baseline=0.2,0.4", "--parallel", "2", "--name", "grid"} +
                             runOptions(db, 1, 100));
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QCOMPARE(r.out.count(" started: "), 4);
        QCOMPARE(r.out.count(QRegularExpression("(^|\n)run \\d+ completed: ")), 4);
        QVERIFY2(r.out.contains("run 1 completed: hidden_lr=0.1 p_baseline=0.2 seed=1, test error "),
                 qPrintable(r.out));
        QVERIFY2(r.out.contains("2 at a time, 1 thread each"), qPrintable(r.out));
        QVERIFY2(r.out.contains("sweep 1 completed: 4 completed of 4 runs"), qPrintable(r.out));

        RunStore store(db.toStdString());
        const std::vector<SweepRecord> sweeps = store.listSweeps();
        QCOMPARE(int(sweeps.size()), 1);
        QCOMPARE(QString::fromStdString(sweeps[0].name), QString("grid"));
        QCOMPARE(QString::fromStdString(sweeps[0].status), QString("completed"));
        QVERIFY(QString::fromStdString(sweeps[0].definition).contains("\"hidden_lr=0.1,0.3\""));
        const std::vector<RunRecord> runs = store.runsOfSweep(sweeps[0].id);
        QCOMPARE(int(runs.size()), 4);
        size_t rows = 0;
        for (const RunRecord& rec : runs) {
            QCOMPARE(test::statusName(rec.status), QString("completed"));
            QCOMPARE(rec.sweepId.value_or(0), sweeps[0].id);
            QCOMPARE(rec.threads, 1);
            QCOMPARE(int(store.readMetrics(rec.id, "test_error").size()), 2); // epochs 0 and 1, once each
            for (const std::string& metric : store.metricNames(rec.id))
                rows += store.readMetrics(rec.id, metric).size();
        }

        const Result show = run({"sweep", "show", "1", "--db", db});
        QVERIFY2(show.exitCode == 0, qPrintable(describe(show)));
        QVERIFY2(show.out.contains("definition  burstprop-train sweep --grid hidden_lr=0.1,0.3"),
                 qPrintable(show.out));
        QVERIFY2(show.out.contains("4 runs: 4 completed"), qPrintable(show.out));
        int completedRows = 0;
        for (auto it = QRegularExpression("completed +1/1 +\\d+\\.\\d\\d %").globalMatch(show.out);
             it.hasNext(); it.next())
            ++completedRows;
        QCOMPARE(completedRows, 4);
        QVERIFY2(show.out.contains(QRegularExpression("hidden_lr=0.3 p_baseline=0.4  n=1  \\d+\\.\\d\\d %")),
                 qPrintable(show.out));
        const Result sweepList = run({"sweep", "list", "--db", db});
        QVERIFY2(sweepList.exitCode == 0 && sweepList.out.contains("4 runs: 4 completed"),
                 qPrintable(describe(sweepList)));

        QVERIFY(run(QStringList{"--no-progress"} + runOptions(db, 1, 100)).exitCode == 0); // not in the sweep
        const Result list = run({"list", "--sweep", "1", "--db", db, "--json"});
        QVERIFY2(list.exitCode == 0, qPrintable(describe(list)));
        QCOMPARE(list.events.size(), 4);

        const QString csv = tmp_.filePath("grid.csv"), signalCsv = tmp_.filePath("grid-signals.csv");
        const Result exported =
            run({"export", "--sweep", "1", "--metrics", csv, "--signals", signalCsv, "--db", db});
        QVERIFY2(exported.exitCode == 0, qPrintable(describe(exported)));
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(file.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.first(), QString("run_id,hidden_lr,p_baseline,seed,metric,epoch,step,value"));
        QCOMPARE(size_t(lines.size() - 1), rows);
        QVERIFY(lines.filter(QRegularExpression("^4,0.3,0.4,1,test_error,1,")).size() == 1);
        // --signals: the same leading columns, then the signal histograms' (epoch 0's at step 0 among them).
        QFile signalFile(signalCsv);
        QVERIFY(signalFile.open(QIODevice::ReadOnly));
        const QStringList signalLines =
            QString::fromUtf8(signalFile.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(signalLines.first(),
                 QString("run_id,hidden_lr,p_baseline,seed,epoch,step,layer,quantity,low,high,"
                         "bin,count,units,silent_units,silent_classes"));
        QVERIFY(signalLines.filter(QRegularExpression("^4,0.3,0.4,1,0,0,0,event_rate,0,1,0,")).size() == 1);
    }

    // Ctrl+C stops the running runs (they checkpoint, end as stopped) and starts no more; sweep stop does the
    // same through the store; sweep resume finishes every run.
    void stoppedThenResumed() {
        const QString db = tmp_.filePath("stop.sqlite");
        const int epochs = 100; // a few seconds a run: each stop finds both runs training
        QProcess sweep;
        sweep.start(binary_,
                    QStringList{"sweep", "--grid", "hidden_lr=0.1,0.3", "--seeds", "2", "--parallel", "2"} +
                        runOptions(db, epochs, 600));
        QVERIFY(sweep.waitForStarted());
        QVERIFY(waitForRunning(db, 1, 2));
        ::kill(pid_t(sweep.processId()), SIGINT);
        QVERIFY(sweep.waitForFinished(kTimeoutMs));
        Result r = test::collect(sweep);
        QVERIFY2(r.exitCode == 130, qPrintable(describe(r)));
        QVERIFY2(r.out.contains("burstprop-train sweep resume 1"), qPrintable(r.out));
        {
            RunStore store(db.toStdString());
            QCOMPARE(QString::fromStdString(store.sweep(1)->status), QString("stopped"));
            const std::vector<RunRecord> runs = store.runsOfSweep(1);
            QCOMPARE(int(runs.size()), 4);
            QCOMPARE(test::statusName(runs[0].status), QString("stopped"));
            QCOMPARE(test::statusName(runs[1].status), QString("stopped"));
            QCOMPARE(test::statusName(runs[2].status), QString("queued"));
            QCOMPARE(test::statusName(runs[3].status), QString("queued"));
        }
        const Result show = run({"sweep", "show", "1", "--db", db});
        QVERIFY2(show.out.contains("4 runs: 2 queued, 2 stopped"), qPrintable(show.out));

        // Resumed, then stopped through the store by another process.
        QProcess resume;
        resume.start(binary_, {"sweep", "resume", "1", "--db", db, "--parallel", "2"});
        QVERIFY(resume.waitForStarted());
        QVERIFY(waitForRunning(db, 1, 2));
        const Result stop = run({"sweep", "stop", "1", "--db", db});
        QVERIFY2(stop.exitCode == 0 && stop.out.contains("asked process"), qPrintable(describe(stop)));
        QVERIFY(resume.waitForFinished(kTimeoutMs));
        r = test::collect(resume);
        QVERIFY2(r.exitCode == 130, qPrintable(describe(r)));
        QCOMPARE(QString::fromStdString(RunStore(db.toStdString()).sweep(1)->status), QString("stopped"));

        r = run({"sweep", "resume", "1", "--db", db, "--parallel", "2"});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QVERIFY2(r.out.contains("sweep 1 completed"), qPrintable(r.out));
        RunStore store(db.toStdString());
        QCOMPARE(QString::fromStdString(store.sweep(1)->status), QString("completed"));
        for (const RunRecord& rec : store.runsOfSweep(1)) {
            QCOMPARE(test::statusName(rec.status), QString("completed"));
            QCOMPARE(rec.epochsDone, epochs);
            const std::vector<MetricPoint> errors = store.readMetrics(rec.id, "test_error");
            QCOMPARE(int(errors.size()), epochs + 1); // every epoch once: none lost, none twice
        }
        const Result again = run({"sweep", "resume", "1", "--db", db});
        QVERIFY2(again.exitCode == 0 && again.out.contains("nothing left to run"),
                 qPrintable(describe(again)));
    }

    // A run whose process fails before it takes the run up (here: its checkpoints were removed) is reported
    // as failed with its error, not with the status it had before ("stopped").
    void runThatCannotStartIsFailed() {
        const QString db = tmp_.filePath("nostart.sqlite");
        QProcess sweep;
        sweep.start(binary_, QStringList{"sweep", "--grid", "hidden_lr=0.1", "--seeds", "1"} +
                                 runOptions(db, 100, 600));
        QVERIFY(sweep.waitForStarted());
        QVERIFY(waitForRunning(db, 1, 1));
        ::kill(pid_t(sweep.processId()), SIGINT);
        QVERIFY(sweep.waitForFinished(kTimeoutMs));
        QCOMPARE(sweep.exitCode(), 130);
        const RunRecord stopped = RunStore(db.toStdString()).runsOfSweep(1).at(0);
        QCOMPARE(test::statusName(stopped.status), QString("stopped"));
        for (const QString& file : QDir(QString::fromStdString(stopped.resultsDir)).entryList({"*.ckpt"}))
            QVERIFY(QFile::remove(QString::fromStdString(stopped.resultsDir) + "/" + file));
        const Result r = run({"sweep", "resume", "1", "--db", db});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains("run 1 failed: hidden_lr=0.1 seed=1"), qPrintable(r.out));
        QVERIFY2(r.out.contains("no checkpoint to resume from"), qPrintable(r.out));
        QVERIFY2(r.out.contains("sweep 1 failed: 0 completed, 1 failed of 1 run"), qPrintable(r.out));
    }

    // --json: the sweep, each run's start and end, and the sweep's end as JSON lines (nothing else on
    // standard output); then sweep delete: refused without --yes, --keep-runs leaves the runs in no sweep, a
    // plain delete takes the runs, their metrics and folders with it.
    void jsonEventsThenDeleted() {
        const QString db = tmp_.filePath("json.sqlite");
        const auto sweepOf = [&](const QString& lr) {
            return run(QStringList{"sweep", "--grid", "hidden_lr=" + lr, "--seeds", "2", "--parallel", "2",
                                   "--json"} +
                       runOptions(db, 1, 100));
        };
        Result r = sweepOf("0.1");
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QVERIFY2(r.nonJsonLines.isEmpty(), qPrintable(describe(r)));
        QCOMPARE(r.events.size(), 6);
        QCOMPARE(r.events[0]["event"].toString(), QString("sweep"));
        QCOMPARE(r.events[0]["runs"].toInt(), 2);
        QCOMPARE(r.events[0]["parallel"].toInt(), 2);
        QVERIFY(QFileInfo(r.events[0]["database"].toString()).isAbsolute());
        int started = 0, ended = 0;
        for (const QJsonObject& e : r.events) {
            started += e["event"].toString() == "sweep_run_started";
            if (e["event"].toString() == "sweep_run_ended") {
                ++ended;
                QCOMPARE(e["status"].toString(), QString("completed"));
                QVERIFY(e["test_error"].toDouble() > 0.0);
                QCOMPARE(e["done"].toInt(), ended);
                QCOMPARE(e["total"].toInt(), 2);
            }
        }
        QCOMPARE(started, 2);
        QCOMPARE(ended, 2);
        QCOMPARE(r.events[5]["event"].toString(), QString("sweep_ended"));
        QCOMPARE(r.events[5]["status"].toString(), QString("completed"));
        QCOMPARE(r.events[5]["counts"].toObject()["completed"].toInt(), 2);
        r = run({"sweep", "resume", "1", "--db", db, "--json"});
        QVERIFY2(r.exitCode == 0 && r.events.size() == 1 && r.events[0]["nothing_left"].toBool(),
                 qPrintable(describe(r)));
        QVERIFY2(sweepOf("0.3").exitCode == 0, "second sweep");

        r = run({"sweep", "delete", "1", "--db", db});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("with its 2 runs, their metrics and checkpoint files; add --yes"),
                 qPrintable(r.err));
        r = run({"sweep", "delete", "1", "--keep-runs", "--yes", "--db", db});
        QVERIFY2(r.exitCode == 0 && r.out.contains("its 2 runs stay, in no sweep"), qPrintable(describe(r)));
        QStringList folders;
        {
            RunStore store(db.toStdString());
            QVERIFY(!store.sweep(1));
            QCOMPARE(int(store.listRuns().size()), 4);
            QVERIFY(!store.getRun(1)->sweepId);
            for (const RunRecord& rec : store.runsOfSweep(2)) {
                folders << QString::fromStdString(rec.resultsDir);
                QVERIFY(QDir(folders.back()).exists());
            }
        }
        QCOMPARE(folders.size(), 2);
        r = run({"sweep", "delete", "2", "--yes", "--db", db});
        QVERIFY2(r.exitCode == 0 && r.out.contains("deleted sweep 2"), qPrintable(describe(r)));
        RunStore store(db.toStdString());
        QVERIFY(store.listSweeps().empty());
        QCOMPARE(int(store.listRuns().size()), 2); // the first sweep's, kept
        for (const QString& folder : folders)
            QVERIFY2(!QDir(folder).exists(), qPrintable(folder));
    }

    void badInputGetsAMessage_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("show unknown") << QStringList{"sweep", "show", "99"} << 1 << "sweep 99 is not in";
        QTest::newRow("resume unknown") << QStringList{"sweep", "resume", "99"} << 1 << "sweep 99 is not in";
        QTest::newRow("stop unknown") << QStringList{"sweep", "stop", "99"} << 1 << "sweep 99 is not in";
        QTest::newRow("delete unknown")
            << QStringList{"sweep", "delete", "99", "--yes"} << 1 << "sweep 99 is not in";
        QTest::newRow("list unknown")
            << QStringList{"list", "--sweep", "99"} << 1 << "list: sweep 99 is not in";
        QTest::newRow("export unknown")
            << QStringList{"export", "--sweep", "99", "--metrics", "x.csv"} << 1 << "sweep 99 is not in";
        QTest::newRow("export what") << QStringList{"export", "--sweep", "1"} << 1
                                     << "give --metrics FILE.csv";
        QTest::newRow("show which") << QStringList{"sweep", "show"} << 2 << "sweep show: which sweep?";
        QTest::newRow("show word") << QStringList{"sweep", "show", "abc"} << 2 << "'abc' is not a sweep id";
        QTest::newRow("resume parallel") << QStringList{"sweep", "resume", "1", "--parallel", "0"} << 2
                                         << "--parallel: 0 is out of range [1, 1024]";
        QTest::newRow("parallel") << QStringList{"sweep", "--grid", "hidden_lr=0.1", "--parallel", "0"} << 2
                                  << "--parallel: 0 is out of range [1, 1024]";
    }
    void badInputGetsAMessage() {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        const Result r = run(args << "--db" << tmp_.filePath("grid.sqlite"));
        QVERIFY2(r.exitCode == exitCode, qPrintable(describe(r)));
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestSweepRunCli)
#include "tst_sweep_run_cli.moc"

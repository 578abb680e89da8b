// burstprop-train as a data-parallel run: --nproc N starts the ranks itself; processes started with
// torchrun's or Slurm's variables join their group; rank 0 records one run with its world size; ranks given
// different configurations are refused; a killed rank ends the run as interrupted, and resume finishes it.
#include "core/checkpoint/checkpoint.h"
#include "core/dist/process_group.h"
#include "core/store/run_store.h"
#include "images/image_test_files.h"
#include "support/test_support.h"
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>
#include <unistd.h>

using namespace bp;
using test::describe;
using Result = test::ProcessResult;

namespace {

constexpr int kTimeoutMs = 240000;

// The largest relative difference between two checkpoints' tensors (‖a − b‖ / ‖b‖), after checking that they
// hold the same tensors at the same step.
double largestDifference(const QString& a, const QString& b) {
    const Checkpoint x = loadCheckpoint(a.toStdString());
    const Checkpoint y = loadCheckpoint(b.toStdString());
    if (x.step != y.step || x.tensors.size() != y.tensors.size())
        return 1.0;
    double worst = 0.0;
    for (size_t i = 0; i < x.tensors.size(); ++i)
        worst = std::max(worst, test::relativeError(x.tensors[i].second, y.tensors[i].second));
    return worst;
}

// Waits until the database's first run has trained `epochs` epochs (false after the test's timeout).
bool waitForEpochs(const QString& db, int epochs) {
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < kTimeoutMs) {
        QTest::qWait(20);
        try {
            RunStore store(db.toStdString(), RunStore::Access::ReadOnly);
            const std::vector<RunRecord> runs = store.listRuns();
            if (!runs.empty() && runs[0].epochsDone >= epochs)
                return true;
        } catch (const std::exception&) { // not created yet
        }
    }
    return false;
}

// The pids of the children of pid, with their RANK variable.
std::map<int, pid_t> ranksOf(pid_t launcher) {
    std::map<int, pid_t> ranks;
    for (const QString& entry : QDir("/proc").entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        bool number = false;
        const pid_t pid = entry.toInt(&number);
        if (!number)
            continue;
        QFile stat("/proc/" + entry + "/stat");
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        const QString text = QString::fromUtf8(stat.readAll());
        const QStringList fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
        if (fields.size() < 2 || fields[1].toInt() != launcher)
            continue;
        QFile environ("/proc/" + entry + "/environ");
        if (!environ.open(QIODevice::ReadOnly))
            continue;
        for (const QByteArray& variable : environ.readAll().split('\0'))
            if (variable.startsWith("RANK="))
                ranks[variable.mid(5).toInt()] = pid;
    }
    return ranks;
}

} // namespace

class TestGroupCli : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString binary_, dataDir_;

    // A small run on the bar data: 600 examples, batches of 32 (the last one short: 600 = 18 × 32 + 24).
    QStringList runOptions(const QString& rule, int epochs) const {
        return {"--dataset",       "mnist", "--data-dir",    dataDir_,
                "--rule",          rule,    "-n_epochs",     QString::number(epochs),
                "--hidden-widths", "24,16", "--train-limit", "600",
                "-batch_size",     "32",    "--seed",        "7",
                "--no-progress"};
    }
    Result run(const QStringList& args,
               const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment()) {
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(binary_, args);
        if (!p.waitForFinished(kTimeoutMs))
            p.kill();
        p.waitForFinished();
        return test::collect(p);
    }
    // A rank started as torchrun (or srun) would start it.
    QProcess* startRank(const QStringList& args, const QMap<QString, QString>& variables) {
        auto* p = new QProcess(this);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (auto it = variables.begin(); it != variables.end(); ++it)
            env.insert(it.key(), it.value());
        p->setProcessEnvironment(env);
        p->start(binary_, args);
        return p;
    }

  private Q_SLOTS:
    void initTestCase() {
        const QString missing = test::prepareTrainerTest(tmp_, &binary_, &dataDir_);
        QVERIFY2(missing.isEmpty(), qPrintable(missing));
    }

    // --nproc 2 with the global batch of 32 ends where one process ends (float64: up to summation order).
    void twoProcessesEqualOne_data() {
        QTest::addColumn<QString>("rule");
        QTest::newRow("burstprop") << "burstprop";
        QTest::newRow("backprop") << "backprop";
        QTest::newRow("feedback-alignment") << "feedback-alignment";
    }
    void twoProcessesEqualOne() {
        QFETCH(QString, rule);
        const QString one = tmp_.filePath("one-" + rule), two = tmp_.filePath("two-" + rule);
        const QStringList common = runOptions(rule, 2) + QStringList{"--dtype", "float64", "--no-db"};
        Result r = run(common + QStringList{"--threads", "1", one});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        r = run(common + QStringList{"--nproc", "2", two});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QVERIFY2(r.out.contains("starting 2 processes"), qPrintable(r.out));
        QCOMPARE(r.out.count("completed"), 1); // rank 0 alone reports
        const double worst = largestDifference(two + "/latest.ckpt", one + "/latest.ckpt");
        qInfo("%s: 2 processes against 1, largest relative difference of a tensor %.3g", qPrintable(rule),
              worst);
        QVERIFY2(worst < 1e-9, qPrintable(QString::number(worst)));
        // metrics.csv: the same epochs, the same figures (rank 0 wrote it alone).
        QFile a(one + "/metrics.csv"), b(two + "/metrics.csv");
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
        const QStringList rowsA = QString::fromUtf8(a.readAll()).split('\n', Qt::SkipEmptyParts);
        const QStringList rowsB = QString::fromUtf8(b.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(rowsB.size(), rowsA.size());
    }

    // The ImageNet net (narrow channels) on an image folder streamed from disk, with the random crops seeded
    // by example: 2 processes end where 1 ends. 24 training pictures in batches of 6, float64.
    void imageFolderNetOverTwoProcesses() {
        const QString images = tmp_.filePath("images");
        for (int c = 0; c < 4; ++c)
            for (int i = 0; i < 8; ++i) {
                const test::Bytes jpeg = test::jpegOf(test::smoothPixels(210, 200, 3, uint32_t(10 * c + i)),
                                                      210, 200, TJPF_RGB, TJSAMP_420, 90);
                QVERIFY(test::writeBytes(
                    QString("%1/%2/n0%3/%4.JPEG").arg(images, i < 6 ? "train" : "val").arg(c).arg(i), jpeg));
            }
        const QStringList common{"--dataset",       "imagenet",
                                 "--conv-channels", "4,4,8,8,8,8,16",
                                 "--image-size",    "193",
                                 "-n_epochs",       "1",
                                 "-batch_size",     "6",
                                 "--dtype",         "float64",
                                 "--no-db",         "--no-progress",
                                 "--data-dir",      images};
        const QString one = tmp_.filePath("imagenet-one"), two = tmp_.filePath("imagenet-two");
        Result r = run(common + QStringList{"--threads", "1", one});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        r = run(common + QStringList{"--nproc", "2", two});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        const double worst = largestDifference(two + "/latest.ckpt", one + "/latest.ckpt");
        qInfo("ImageNet net, image folder: 2 processes against 1, largest relative difference %.3g", worst);
        QVERIFY2(worst < 1e-9, qPrintable(QString::number(worst)));
    }

    // One run in the store, recorded by rank 0 with its world size, backend and hosts.
    void recordedOnceWithItsWorldSize() {
        const QString db = tmp_.filePath("record.sqlite");
        const Result r = run(runOptions("burstprop", 1) + QStringList{"--nproc", "2", "--db", db, "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QVERIFY2(r.nonJsonLines.isEmpty(), qPrintable(r.nonJsonLines.join('\n'))); // --json stays JSON
        QCOMPARE(test::eventsOf(r, "epoch").size(), 2); // before training and after the one epoch: rank 0's
        RunStore store(db.toStdString());
        const std::vector<RunRecord> runs = store.listRuns();
        QCOMPARE(int(runs.size()), 1);
        QCOMPARE(test::statusName(runs[0].status), QString("completed"));
        std::map<std::string, std::string> values;
        for (const Hyperparameter& h : store.hyperparameters(runs[0].id))
            values[h.key] = h.display();
        QCOMPARE(QString::fromStdString(values["world_size"]), QString("2"));
        QCOMPARE(QString::fromStdString(values["dist_backend"]), QString("gloo"));
        QVERIFY(!values["dist_hosts"].empty());
        bool told = false;
        for (const RunMessage& m : store.messages(runs[0].id))
            told = told || QString::fromStdString(m.text).contains("data-parallel: 2 processes (gloo)");
        QVERIFY(told);
        // Rank 0 records the signal histograms: epoch 0's of the whole first batch (32 examples), the
        // measuring steps' of its own half of each batch (16).
        std::map<int64_t, int64_t> perStep;
        for (const SignalHistogramRecord& h : store.readSignalHistograms(runs[0].id, 0, "event_rate"))
            perStep[h.step] =
                std::accumulate(h.histogram.counts.begin(), h.histogram.counts.end(), int64_t(0));
        QCOMPARE(perStep[0], int64_t(24 * 32));
        QCOMPARE(perStep[1], int64_t(24 * 16));
    }

    // Slurm's variables (srun) and torchrun's both make a group; the launcher is named in the run's message.
    void launcherEnvironments_data() {
        QTest::addColumn<QString>("launcher");
        QTest::newRow("torchrun") << "torchrun";
        QTest::newRow("slurm") << "slurm";
    }
    void launcherEnvironments() {
        QFETCH(QString, launcher);
        const QString db = tmp_.filePath(launcher + ".sqlite");
        const int port = test::freeLoopbackPort();
        std::vector<QProcess*> ranks;
        for (int rank = 0; rank < 2; ++rank) {
            QMap<QString, QString> v;
            if (launcher == "torchrun")
                v = {{"RANK", QString::number(rank)},       {"WORLD_SIZE", "2"},
                     {"LOCAL_RANK", QString::number(rank)}, {"LOCAL_WORLD_SIZE", "2"},
                     {"MASTER_ADDR", "127.0.0.1"},          {"MASTER_PORT", QString::number(port)}};
            else
                v = {{"SLURM_PROCID", QString::number(rank)},
                     {"SLURM_NTASKS", "2"},
                     {"SLURM_LOCALID", QString::number(rank)},
                     {"SLURM_JOB_NODELIST", "localhost"}};
            QStringList args = runOptions("backprop", 1) + QStringList{"--db", db, "--threads", "1"};
            if (launcher == "slurm")
                args << "--master-port" << QString::number(port);
            ranks.push_back(startRank(args, v));
        }
        for (QProcess* p : ranks) {
            QVERIFY(p->waitForFinished(kTimeoutMs));
            QVERIFY2(p->exitCode() == 0, qPrintable(p->readAllStandardError()));
        }
        RunStore store(db.toStdString());
        QCOMPARE(int(store.listRuns().size()), 1);
        bool told = false;
        for (const RunMessage& m : store.messages(store.listRuns()[0].id))
            told = told || QString::fromStdString(m.text).contains("launched by " + launcher);
        QVERIFY(told);
    }

    // Ranks given different seeds are refused at the start, naming the rank and the key; nothing is recorded.
    void differentConfigurationsRefused() {
        const QString db = tmp_.filePath("refused.sqlite");
        const int port = test::freeLoopbackPort();
        std::vector<QProcess*> ranks;
        for (int rank = 0; rank < 2; ++rank) {
            QStringList args = runOptions("burstprop", 1) + QStringList{"--db", db};
            args[args.indexOf("--seed") + 1] = QString::number(7 + rank);
            ranks.push_back(startRank(args, {{"RANK", QString::number(rank)},
                                             {"WORLD_SIZE", "2"},
                                             {"MASTER_ADDR", "127.0.0.1"},
                                             {"MASTER_PORT", QString::number(port)}}));
        }
        for (QProcess* p : ranks) {
            QVERIFY(p->waitForFinished(60000));
            const QString err = QString::fromUtf8(p->readAllStandardError());
            QCOMPARE(p->exitCode(), 1);
            QVERIFY2(err.contains("rank 1 was given seed 8 (rank 0: 7)"), qPrintable(err));
        }
        QVERIFY(!QFile::exists(db));
    }

    // NCCL: refused before any rank joins when this build lacks it (Debian's LibTorch has no CUDA), and on a
    // CPU device in any build, each with the way out; nothing is recorded.
    void ncclBackendRefusedWithTheReason_data() {
        QTest::addColumn<QString>("device");
        QTest::addColumn<QString>("expected");
        QTest::newRow("cpu") << "cpu"
                             << (dist::ncclAvailable()
                                     ? "--backend nccl sums CUDA tensors: give --device cuda"
                                     : "this burstprop-train was built without NCCL");
        if (!dist::ncclAvailable())
            QTest::newRow("cuda") << "cuda"
                                  << "this burstprop-train was built without NCCL";
    }
    void ncclBackendRefusedWithTheReason() {
        QFETCH(QString, device);
        QFETCH(QString, expected);
        const QString db = tmp_.filePath("nccl-" + device + ".sqlite");
        const Result r = run(runOptions("burstprop", 1) + QStringList{"--db", db, "--nproc", "2", "--backend",
                                                                      "nccl", "--device", device});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(expected), qPrintable(describe(r)));
        QVERIFY2(r.err.contains("--backend gloo"), qPrintable(describe(r)));
        QVERIFY(!QFile::exists(db));
    }

    // A rank killed mid-run: the other ends within the timeout with a message naming the lost rank, the run
    // is interrupted, and resume (one process: the checkpoint holds the global state) completes it with every
    // epoch recorded once.
    void killedRankInterruptsTheRun() {
        const QString db = tmp_.filePath("killed.sqlite");
        const int epochs = 40;
        QProcess launcher;
        launcher.start(binary_, runOptions("burstprop", epochs) +
                                    QStringList{"--nproc", "2", "--db", db, "--dist-timeout", "30"});
        QVERIFY(launcher.waitForStarted());
        QVERIFY(waitForEpochs(db, 2));
        const std::map<int, pid_t> ranks = ranksOf(pid_t(launcher.processId()));
        QCOMPARE(int(ranks.size()), 2);
        ::kill(ranks.at(1), SIGKILL);
        QVERIFY(launcher.waitForFinished(120000));
        const Result r = test::collect(launcher);
        QVERIFY2(r.exitCode != 0, qPrintable(describe(r)));
        QVERIFY2(r.err.contains("rank 1"), qPrintable(r.err));
        RunStore store(db.toStdString());
        const RunRecord killed = store.listRuns()[0];
        QCOMPARE(test::statusName(killed.status), QString("interrupted"));
        QVERIFY(killed.epochsDone < epochs);

        QVERIFY2(r.err.contains("continue with burstprop-train resume " + QString::number(killed.id)),
                 qPrintable(r.err));

        const Result resumed =
            run({"resume", QString::number(killed.id), "--db", db, "--no-progress", "--nproc", "2"});
        QVERIFY2(resumed.exitCode == 0, qPrintable(describe(resumed)));
        RunStore after(db.toStdString());
        QCOMPARE(test::statusName(after.getRun(killed.id)->status), QString("completed"));
        QCOMPARE(int(after.readMetrics(killed.id, "test_error").size()), epochs + 1);
    }

    // Three ranks started as torchrun starts them, the last one killed: c10d's errors name sockets, yet each
    // survivor names the lost rank (found through the rendezvous store), within the timeout.
    void lostRankOfThreeIsNamed() {
        const QString db = tmp_.filePath("three.sqlite");
        const int port = test::freeLoopbackPort();
        std::vector<QProcess*> ranks;
        for (int rank = 0; rank < 3; ++rank)
            ranks.push_back(startRank(runOptions("burstprop", 40) +
                                          QStringList{"--db", db, "--dist-timeout", "30", "--threads", "1"},
                                      {{"RANK", QString::number(rank)},
                                       {"LOCAL_RANK", QString::number(rank)},
                                       {"WORLD_SIZE", "3"},
                                       {"LOCAL_WORLD_SIZE", "3"},
                                       {"MASTER_ADDR", "127.0.0.1"},
                                       {"MASTER_PORT", QString::number(port)}}));
        QVERIFY(waitForEpochs(db, 1));
        ::kill(pid_t(ranks[2]->processId()), SIGKILL);
        QElapsedTimer timer;
        timer.start();
        for (int rank = 0; rank < 2; ++rank) {
            QVERIFY(ranks[rank]->waitForFinished(60000));
            const QString err = QString::fromUtf8(ranks[rank]->readAllStandardError());
            QVERIFY2(ranks[rank]->exitCode() != 0, qPrintable(err));
            QVERIFY2(err.contains("(rank 2 stopped answering or left within 30 s)"), qPrintable(err));
        }
        QVERIFY2(timer.elapsed() < 30000, qPrintable(QString::number(timer.elapsed())));
        ranks[2]->waitForFinished();
        QCOMPARE(test::statusName(RunStore(db.toStdString()).listRuns()[0].status), QString("interrupted"));
    }

    // Ctrl+C stops every rank at the same batch (rank 0 checkpoints it); resumed by 3 processes, the run ends
    // where one process that was never stopped ends: the checkpoint holds the global state and batch order.
    void stoppedThenResumedByAnotherWorldSize() {
        const QString db = tmp_.filePath("stopped.sqlite");
        const QString alone = tmp_.filePath("alone");
        const int epochs = 6;
        const QStringList common = runOptions("burstprop", epochs) + QStringList{"--dtype", "float64"};
        Result r = run(common + QStringList{"--no-db", "--threads", "1", alone});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));

        QProcess launcher;
        launcher.start(binary_, common + QStringList{"--nproc", "2", "--db", db});
        QVERIFY(launcher.waitForStarted());
        QVERIFY(waitForEpochs(db, 1));
        ::kill(pid_t(launcher.processId()), SIGINT);
        QVERIFY(launcher.waitForFinished(120000));
        r = test::collect(launcher);
        QVERIFY2(r.exitCode == 130, qPrintable(describe(r)));
        int64_t id = 0;
        {
            RunStore store(db.toStdString());
            const RunRecord stopped = store.listRuns()[0];
            id = stopped.id;
            QCOMPARE(test::statusName(stopped.status), QString("stopped"));
            if (stopped.epochsDone >= epochs)
                QSKIP("the run ended before the stop reached it (a very fast machine)");
        }
        r = run({"resume", QString::number(id), "--db", db, "--no-progress", "--nproc", "3"});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        RunStore store(db.toStdString());
        const RunRecord done = *store.getRun(id);
        QCOMPARE(test::statusName(done.status), QString("completed"));
        QCOMPARE(int(store.readMetrics(id, "test_error").size()), epochs + 1);
        std::map<std::string, std::string> values;
        for (const Hyperparameter& h : store.hyperparameters(id))
            values[h.key] = h.display();
        QCOMPARE(QString::fromStdString(values["world_size"]), QString("3")); // as it last ran
        const double worst = largestDifference(QString::fromStdString(done.resultsDir) + "/latest.ckpt",
                                               alone + "/latest.ckpt");
        qInfo("stopped with 2 processes, resumed with 3: largest relative difference from one process %.3g",
              worst);
        QVERIFY2(worst < 1e-9, qPrintable(QString::number(worst)));
    }
};

QTEST_GUILESS_MAIN(TestGroupCli)
#include "tst_group_cli.moc"

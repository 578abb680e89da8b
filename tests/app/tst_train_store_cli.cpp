// burstprop-train and the run database: every run recorded with its checkpoints; list, show, export,
// resume, delete; a process killed mid-run is marked interrupted, keeps its metrics and resumes.
#include "core/checkpoint/checkpoint.h"
#include "core/setup/defaults.h"
#include "core/store/run_store.h"
#include "support/test_support.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <csignal>
#include <filesystem>

using namespace bp;
using test::describe;
using Result = test::ProcessResult;

namespace {

constexpr int kTimeoutMs = 180000;

int countLines(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    return int(f.readAll().count('\n'));
}

} // namespace

class TestTrainStoreCli : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString binary_, dataDir_, db_;

    QStringList smallRun(int epochs) const {
        return {"--dataset",
                "mnist",
                "--data-dir",
                dataDir_,
                "--threads",
                "1",
                "--hidden-widths",
                "40",
                "-n_epochs",
                QString::number(epochs),
                "--db",
                db_,
                "--no-progress"};
    }
    Result run(const QStringList& args) { return test::runProcess(binary_, args, kTimeoutMs); }
    int64_t lastRunId() {
        RunStore store(db_.toStdString());
        const std::vector<RunRecord> runs = store.listRuns();
        return runs.empty() ? 0 : runs.front().id;
    }

  private Q_SLOTS:
    void initTestCase() {
        const QString missing = test::prepareTrainerTest(tmp_, &binary_, &dataDir_);
        QVERIFY2(missing.isEmpty(), qPrintable(missing));
        db_ = tmp_.filePath("runs.sqlite");
    }

    // Names are arbitrary text: quotes, unicode and SQL fragments come back as typed.
    void recordsEveryRun_data() {
        QTest::addColumn<QString>("name");
        QTest::newRow("quotes") << QString("it's \"quoted\"");
        QTest::newRow("unicode") << QString::fromUtf8("Δw ∝ burst − event · 燃");
        QTest::newRow("sql") << QString("x'); DROP TABLE runs; --");
    }
    void recordsEveryRun() {
        QFETCH(QString, name);
        const Result r = run(smallRun(2) << "--name" << name << "--tags"
                                         << "sweep, a b"
                                         << "--notes"
                                         << "n1");
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QVERIFY2(r.out.contains("run "), qPrintable(describe(r)));
        RunStore store(db_.toStdString());
        const RunRecord rec = *store.getRun(lastRunId());
        QCOMPARE(QString::fromStdString(rec.name), name);
        QCOMPARE(test::statusName(rec.status), test::statusName(RunStatus::Completed));
        QCOMPARE(rec.epochsDone, 2);
        QCOMPARE(rec.tags, (std::vector<std::string>{"sweep", "a b"}));
        QCOMPARE(QString::fromStdString(rec.notes), QString("n1"));
        QCOMPARE(int(store.readMetrics(rec.id, "test_error").size()), 3); // epochs 0, 1, 2
        QVERIFY(store.readMetrics(rec.id, "batch_loss").size() >= 2 * 19);
        QStringList kinds;
        for (const CheckpointRecord& c : store.checkpoints(rec.id)) {
            kinds << QString::fromStdString(toString(c.kind));
            QVERIFY2(std::filesystem::exists(c.path), c.path.c_str());
        }
        kinds.sort();
        QCOMPARE(kinds, (QStringList{"best", "initial", "latest"}));

        const Result list = run({"list", "--db", db_, "--json"});
        QCOMPARE(list.exitCode, 0);
        QVERIFY(!list.events.isEmpty());
        QCOMPARE(list.events.first()["name"].toString(), name);
        const Result show = run({"show", QString::number(rec.id), "--db", db_});
        QCOMPARE(show.exitCode, 0);
        QVERIFY2(show.out.contains(name) && show.out.contains("hidden_lr = 0.1") &&
                     show.out.contains("latest"),
                 qPrintable(describe(show)));
    }

    // A subcommand is a subcommand wherever the options stand; a results folder of that name needs a path.
    void subcommandAfterOptions() {
        QVERIFY2(run(smallRun(1)).exitCode == 0, "a run to list");
        const Result list = run({"--db", db_, "--json", "list"});
        QVERIFY2(list.exitCode == 0 && !list.events.isEmpty(), qPrintable(describe(list)));
        QVERIFY(!QFileInfo::exists("list")); // no training into a folder named list
        const Result show = run({"--db", db_, "show", QString::number(lastRunId())});
        QVERIFY2(show.exitCode == 0 && show.out.contains("hidden_lr"), qPrintable(describe(show)));
        const QString folder = tmp_.filePath("list");
        const Result train = run(smallRun(1) << folder);
        QVERIFY2(train.exitCode == 0 && QFileInfo::exists(folder + "/metrics.csv"),
                 qPrintable(describe(train)));
    }

    // Two databases in one folder keep their runs' files apart; a checkpoint names its database and run; a
    // folder of another run's checkpoints is refused, and so is resuming from another run's checkpoint.
    void databasesAndRunsKeepTheirOwnCheckpoints() {
        const QString a = tmp_.filePath("two/a.sqlite"), b = tmp_.filePath("two/b.sqlite");
        QVERIFY(QDir().mkpath(tmp_.filePath("two")));
        auto runIn = [&](const QString& db, QStringList extra) {
            QStringList args = smallRun(1);
            args[args.indexOf("--db") + 1] = db;
            return run(args << extra);
        };
        QVERIFY2(runIn(a, {}).exitCode == 0, "run 1 of a");
        QVERIFY2(runIn(b, {}).exitCode == 0, "run 1 of b");
        RunStore storeA(a.toStdString()), storeB(b.toStdString());
        QVERIFY(storeA.databaseId() != storeB.databaseId());
        const RunRecord ra = *storeA.getRun(1), rb = *storeB.getRun(1);
        QCOMPARE(QString::fromStdString(ra.resultsDir),
                 QFileInfo(tmp_.filePath("two/a.runs/1")).absoluteFilePath());
        QCOMPARE(QString::fromStdString(rb.resultsDir),
                 QFileInfo(tmp_.filePath("two/b.runs/1")).absoluteFilePath());
        const Checkpoint latestA = loadCheckpoint(ra.resultsDir + "/latest.ckpt");
        QCOMPARE(latestA.owner.databaseId, storeA.databaseId());
        QCOMPARE(latestA.owner.runId, int64_t(1));

        // A new run into a folder that holds run 1 of a's checkpoints.
        const Result refused = runIn(b, {QString::fromStdString(ra.resultsDir)});
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains("already holds the checkpoints of run 1 of") &&
                     refused.err.contains("a.sqlite"),
                 qPrintable(describe(refused)));

        // b's run 1 resumed from a's checkpoint (copied over b's): refused, naming both.
        QVERIFY(QFile::remove(QString::fromStdString(rb.resultsDir + "/latest.ckpt")));
        QVERIFY(QFile::copy(QString::fromStdString(ra.resultsDir + "/latest.ckpt"),
                            QString::fromStdString(rb.resultsDir + "/latest.ckpt")));
        const Result resume = run({"resume", "1", "--db", b, "-n_epochs", "2"});
        QVERIFY(resume.exitCode != 0);
        QVERIFY2(resume.err.contains("belongs to run 1 of") && resume.err.contains("a.sqlite") &&
                     resume.err.contains("not to run 1 of") && resume.err.contains("b.sqlite"),
                 qPrintable(describe(resume)));
    }

    // A run killed before it wrote a checkpoint (while its data loaded) starts again from its recorded
    // configuration when resumed.
    void runWithoutCheckpointStartsAgain() {
        int64_t id = 0;
        {
            RunStore store(db_.toStdString());
            RunConfig c = defaultConfig(DatasetKind::Mnist);
            c.dataDir = dataDir_.toStdString();
            c.hiddenWidths = {40};
            c.epochs = 1;
            c.threads = 1;
            id = store.createRun(c, "killed while loading");
            store.setStatus(id, RunStatus::Interrupted);
        }
        const Result r = run({"resume", QString::number(id), "--db", db_});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        RunStore store(db_.toStdString());
        QCOMPARE(test::statusName(store.getRun(id)->status), test::statusName(RunStatus::Completed));
        QCOMPARE(store.getRun(id)->epochsDone, 1);
        bool said = false;
        for (const RunMessage& m : store.messages(id))
            said = said ||
                   QString::fromStdString(m.text).contains("started again from its recorded configuration");
        QVERIFY(said);
    }

    // A results file that cannot be written (a full disk: /dev/full) ends the run as failed, naming the file.
    void fullDiskFailsTheRun() {
        if (!QFileInfo::exists("/dev/full"))
            QSKIP("no /dev/full on this system");
        const QString folder = tmp_.filePath("full");
        QVERIFY(QDir().mkpath(folder));
        QVERIFY(QFile::link("/dev/full", folder + "/metrics.csv"));
        const Result r = run(smallRun(2) << folder);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("metrics.csv: cannot write") && r.err.contains("No space left"),
                 qPrintable(describe(r)));
        RunStore store(db_.toStdString());
        const RunRecord rec = *store.getRun(lastRunId());
        QCOMPARE(test::statusName(rec.status), test::statusName(RunStatus::Failed));
        bool named = false;
        for (const RunMessage& m : store.messages(rec.id))
            named = named || QString::fromStdString(m.text).contains("metrics.csv: cannot write");
        QVERIFY(named);
    }

    // --checkpoint-every is kept with the run: resume writes epoch-N.ckpt without being told again, and an
    // explicit --checkpoint-every 0 stops them (and is kept too).
    void checkpointEveryKeptForResume() {
        QVERIFY(run(smallRun(1) << "--checkpoint-every"
                                << "1")
                    .exitCode == 0);
        const int64_t id = lastRunId();
        const auto epochFiles = [&] {
            QList<int> epochs;
            RunStore store(db_.toStdString(), RunStore::Access::ReadOnly);
            for (const CheckpointRecord& c : store.checkpoints(id))
                if (c.kind == CheckpointKind::Epoch)
                    epochs << c.epoch;
            std::sort(epochs.begin(), epochs.end());
            return epochs;
        };
        QCOMPARE(epochFiles(), (QList<int>{1}));
        Result r = run({"resume", QString::number(id), "--db", db_, "-n_epochs", "2", "--no-progress"});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QCOMPARE(epochFiles(), (QList<int>{1, 2}));
        r = run({"resume", QString::number(id), "--db", db_, "-n_epochs", "3", "--checkpoint-every", "0",
                 "--no-progress"});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        r = run({"resume", QString::number(id), "--db", db_, "-n_epochs", "4", "--no-progress"});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QCOMPARE(epochFiles(), (QList<int>{1, 2}));
        r = run({"show", QString::number(id), "--db", db_});
        QVERIFY2(r.out.contains(QRegularExpression("checkpoint_every = 0\\n")), qPrintable(r.out));
    }

    // A run trained with a results folder: resume appends the new epochs to its metrics.csv under the one
    // header; a row written before a kill (past the checkpoint resumed from) and a row cut short are
    // replaced by the epoch trained again, not repeated.
    void resumeContinuesTheResultsFolder() {
        const QString folder = tmp_.filePath("continued");
        const QString csv = folder + "/metrics.csv";
        Result r = run(smallRun(1) << folder);
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        const int64_t id = lastRunId();
        const auto rows = [&] {
            QFile f(csv);
            if (!f.open(QIODevice::ReadOnly))
                return QStringList{"(cannot read " + csv + ")"};
            return QString::fromUtf8(f.readAll()).split('\n');
        };
        const auto epochsOf = [](const QStringList& lines) {
            QList<int> epochs;
            for (const QString& line : lines.mid(1))
                if (!line.isEmpty())
                    epochs << line.section(',', 0, 0).toInt();
            return epochs;
        };
        QStringList before = rows();
        QVERIFY2(before.value(0).startsWith("epoch,"), qPrintable(before.join('\n')));
        QCOMPARE(epochsOf(before), (QList<int>{0, 1}));

        r = run({"resume", QString::number(id), "--db", db_, "-n_epochs", "2", "--no-progress"});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QStringList after = rows();
        QCOMPARE(after.count(before.value(0)), 1); // one header, the same
        QCOMPARE(after.filter(QRegularExpression("^epoch,")).size(), 1);
        QCOMPARE(epochsOf(after), (QList<int>{0, 1, 2}));
        QCOMPARE(after.mid(0, 3), before.mid(0, 3)); // the earlier rows untouched
        QCOMPARE(after.last(), QString());           // ends with a newline
        QVERIFY(QFile::exists(folder + "/params.txt"));
        QVERIFY(!QFile::exists(folder + "/metrics.csv.tmp"));

        // As a kill leaves it: epoch 3's row written before its checkpoint, and a row cut short.
        {
            QFile f(csv);
            QVERIFY(f.open(QIODevice::Append));
            f.write("3,12345.5,12345.5,12345.5,12345.5\n4,0.5");
        }
        r = run({"resume", QString::number(id), "--db", db_, "-n_epochs", "3", "--no-progress"});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        after = rows();
        QCOMPARE(after.filter(QRegularExpression("^epoch,")).size(), 1);
        QCOMPARE(epochsOf(after), (QList<int>{0, 1, 2, 3}));
        QVERIFY2(!after.join(QLatin1Char('\n')).contains("12345.5"),
                 qPrintable(after.join(QLatin1Char('\n'))));
        QCOMPARE(after.value(3).count(','), before.value(0).count(',')); // the header's columns
    }

    // A node-perturbation checkpoint whose position names a unit past its layer (or a layer past the network)
    // is refused when the run resumes, naming the file, the layer, the unit and the size: not a LibTorch
    // error from the next step.
    void nodePerturbationPositionPastTheLayerIsRefused() {
        const QString folder = tmp_.filePath("np-position");
        Result r = run(smallRun(1) << "--rule"
                                   << "node-perturbation"
                                   << "--perturbation"
                                   << "unit" << folder);
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        const int64_t id = lastRunId();
        const std::string path = (std::filesystem::path(folder.toStdString()) / "latest.ckpt").string();
        const auto corrupt = [&](int64_t layer, int64_t unit) {
            Checkpoint c = loadCheckpoint(path);
            QVERIFY(c.ruleState.count("position"));
            c.ruleState["position"] = at::tensor({layer, unit}, at::kLong);
            saveCheckpoint(path, c); // with its checksum: only the value is wrong
        };
        const QString prefix =
            QString::fromStdString(path) + " (epoch 1): the node-perturbation position names ";
        corrupt(0, 40); // the hidden layer has 40 units: 0 to 39
        r = run({"resume", QString::number(id), "--db", db_, "-n_epochs", "2", "--no-progress"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(prefix + "unit 40 of layer 0, which has 40 units (0 to 39)"),
                 qPrintable(describe(r)));
        QVERIFY2(!r.err.contains("c10") && !r.err.contains("index"), qPrintable(describe(r)));
        corrupt(1, 10); // the output layer: 10 units
        r = run({"resume", QString::number(id), "--db", db_, "-n_epochs", "2", "--no-progress"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(prefix + "unit 10 of layer 1, which has 10 units (0 to 9)"),
                 qPrintable(describe(r)));
        corrupt(2, 0); // two layers: 0 and 1
        r = run({"resume", QString::number(id), "--db", db_, "-n_epochs", "2", "--no-progress"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(prefix + "layer 2 (unit 0), but the network has 2 layers"),
                 qPrintable(describe(r)));
        corrupt(1, 9); // the last unit: resumes and completes
        r = run({"resume", QString::number(id), "--db", db_, "-n_epochs", "2", "--no-progress"});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
    }

    void exportsMetricsAndCheckpoints() {
        const Result r = run(smallRun(2) << "--checkpoint-every"
                                         << "1");
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        const int64_t id = lastRunId();
        const QString csv = tmp_.filePath("metrics.csv"), pt = tmp_.filePath("epoch1.pt");
        const QString signalCsv = tmp_.filePath("signals.csv");
        const Result e = run({"export", QString::number(id), "--db", db_, "--metrics", csv, "--checkpoint",
                              pt, "--which", "epoch-1", "--signals", signalCsv});
        QVERIFY2(e.exitCode == 0, qPrintable(describe(e)));
        // One CSV row per stored sample, plus the header.
        RunStore store(db_.toStdString());
        size_t samples = 0;
        for (const std::string& name : store.metricNames(id))
            samples += store.readMetrics(id, name).size();
        QCOMPARE(countLines(csv), int(samples) + 1);
        // --signals: one row per bin of every stored histogram (epoch 0's among them), plus the header.
        size_t bins = 0;
        bool epochZero = false;
        for (const SignalHistogramRecord& h : store.readAllSignalHistograms(id)) {
            bins += h.histogram.counts.size();
            epochZero = epochZero || (h.epoch == 0 && h.step == 0);
        }
        QVERIFY(bins > 0 && epochZero);
        QCOMPARE(countLines(signalCsv), int(bins) + 1);
        // The .pt holds the network of epoch 1, as the native checkpoint does.
        const Checkpoint native = loadCheckpoint([&] {
            for (const CheckpointRecord& c : store.checkpoints(id))
                if (c.kind == CheckpointKind::Epoch && c.epoch == 1)
                    return c.path;
            return std::string();
        }());
        QCOMPARE(native.epoch, 1);
        const QString python = test::kSystemPython;
        if (!QFileInfo(python).isExecutable())
            QSKIP("/usr/bin/python3 is not installed: torch.load not checked");
        QProcess p;
        p.start(python, {"-c", R"(
import json, sys
try:
    import torch
except ImportError:
    print("NO_TORCH"); sys.exit(0)
d = torch.load(sys.argv[1])
print(json.dumps({k: (float(v.double().sum()) if isinstance(v, torch.Tensor) else v) for k, v in d.items()}))
)",
                         pt});
        QVERIFY(p.waitForFinished(120000));
        const QByteArray out = p.readAllStandardOutput();
        if (out.trimmed() == "NO_TORCH")
            QSKIP("python3's torch module is not installed (Debian: python3-torch): torch.load not checked");
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        const QJsonObject d = QJsonDocument::fromJson(out).object();
        QCOMPARE(d.value("epoch").toInt(), 1);
        QVERIFY(d.contains("config"));
        for (const char* key :
             {"layer0.weight", "layer0.bias", "layer0.weight_fa", "layer0.weight_r", "layer1.weight"}) {
            const at::Tensor* t = native.tensor(key);
            QVERIFY2(t && d.contains(key), key);
            QCOMPARE(d.value(key).toDouble(), t->to(at::kDouble).sum().item<double>());
        }
        QVERIFY(!d.contains("layer0.delta_weight")); // momentum only with --momentum
    }

    // SIGKILL mid-run: no chance to clean up. The next open marks the run interrupted; what was recorded
    // stays; resume continues the same record from its latest checkpoint to the end.
    void killedRunIsInterruptedAndResumes() {
        QProcess process;
        process.start(binary_, smallRun(400) << "--json");
        QVERIFY(process.waitForStarted());
        QByteArray seen;
        QTRY_VERIFY_WITH_TIMEOUT((seen += process.readAllStandardOutput()).contains("\"epoch\":2,"),
                                 kTimeoutMs);
        process.kill();
        QVERIFY(process.waitForFinished());
        const int64_t id = lastRunId();
        int done = 0;
        {
            RunStore store(db_.toStdString()); // opening marks it
            const RunRecord rec = *store.getRun(id);
            QCOMPARE(test::statusName(rec.status), test::statusName(RunStatus::Interrupted));
            done = rec.epochsDone;
            QVERIFY(done >= 2);
            // Every finished epoch was flushed at its end (0 is the state before training).
            QCOMPARE(int(store.readMetrics(id, "test_error").size()), done + 1);
        }
        const int total = done + 2;
        const Result r =
            run({"resume", QString::number(id), "--db", db_, "-n_epochs", QString::number(total), "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        // An epoch is recorded, then its checkpoint written: a kill between the two leaves the previous
        // epoch's checkpoint, and resume trains that epoch again (its figures are replaced, checked below).
        const int from = r.events.first()["resumed_from_epoch"].toInt();
        QVERIFY2(from == done || from == done - 1,
                 qPrintable(QString("resumed from epoch %1 of %2").arg(from).arg(done)));
        RunStore store(db_.toStdString());
        const RunRecord rec = *store.getRun(id);
        QCOMPARE(test::statusName(rec.status), test::statusName(RunStatus::Completed));
        QCOMPARE(rec.epochsDone, total);
        QCOMPARE(rec.epochsTotal, total);
        const std::vector<MetricPoint> errors = store.readMetrics(id, "test_error");
        QCOMPARE(int(errors.size()), total + 1); // every epoch once, those trained again replaced
        for (int i = 0; i <= total; ++i)
            QCOMPARE(errors[size_t(i)].epoch, i);
    }

    void stoppedBySignalThenResumed() {
        QProcess process;
        process.start(binary_, smallRun(60) << "--json");
        QVERIFY(process.waitForStarted());
        QByteArray seen;
        QTRY_VERIFY_WITH_TIMEOUT((seen += process.readAllStandardOutput()).contains("\"event\":\"progress\""),
                                 kTimeoutMs);
        ::kill(pid_t(process.processId()), SIGINT);
        QVERIFY(process.waitForFinished(kTimeoutMs));
        QCOMPARE(process.exitCode(), 130);
        QVERIFY(QString::fromUtf8(process.readAllStandardError()).contains("burstprop-train resume"));
        const int64_t id = lastRunId();
        QCOMPARE(test::statusName(RunStore(db_.toStdString()).getRun(id)->status),
                 test::statusName(RunStatus::Stopped));
        const Result r = run({"resume", QString::number(id), "--db", db_, "--no-progress"});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QCOMPARE(test::statusName(RunStore(db_.toStdString()).getRun(id)->status),
                 test::statusName(RunStatus::Completed));
        const Result again = run({"resume", QString::number(id), "--db", db_});
        QCOMPARE(again.exitCode, 1);
        QVERIFY2(again.err.contains("completed") && again.err.contains("-n_epochs"),
                 qPrintable(describe(again)));
    }

    void deleteNeedsConfirmationAndRemovesFiles() {
        const Result r = run(smallRun(1));
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        const int64_t id = lastRunId();
        const std::string folder = RunStore(db_.toStdString()).getRun(id)->resultsDir;
        QVERIFY(std::filesystem::exists(folder));
        const Result refused = run({"delete", QString::number(id), "--db", db_});
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains("--yes"), qPrintable(describe(refused)));
        QVERIFY(RunStore(db_.toStdString()).getRun(id).has_value());
        const Result done = run({"delete", QString::number(id), "--db", db_, "--yes"});
        QVERIFY2(done.exitCode == 0, qPrintable(describe(done)));
        QVERIFY(!RunStore(db_.toStdString()).getRun(id).has_value());
        QVERIFY(!std::filesystem::exists(folder));
    }

    void badInputGetsAMessage_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown run") << QStringList{"show", "9999"} << 1 << "run 9999 is not in";
        QTest::newRow("no id") << QStringList{"resume"} << 2 << "which run?";
        QTest::newRow("bad id") << QStringList{"show", "abc"} << 2 << "not a run id";
        QTest::newRow("unknown option")
            << QStringList{"list", "--colour"} << 2 << "unknown option '--colour'";
        QTest::newRow("bad status") << QStringList{"list", "--status", "done"} << 1 << "is not one of";
        QTest::newRow("nothing to export") << QStringList{"export", "1"} << 1 << "say what to write";
    }
    void badInputGetsAMessage() {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        const Result r = run(args << "--db" << db_);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(r.err.startsWith("burstprop-train: ") && r.err.contains(message), qPrintable(describe(r)));
    }

    void corruptDatabaseIsRefusedUntouched() {
        const QString path = tmp_.filePath("not-a-db.sqlite");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        const QByteArray junk(5000, 'x');
        f.write(junk);
        f.close();
        for (const QStringList& args : {QStringList{"list", "--db", path}, smallRun(1) << "--db" << path}) {
            const Result r = run(args);
            QCOMPARE(r.exitCode, 1);
            QVERIFY2(r.err.contains(path), qPrintable(describe(r)));
        }
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), junk);
    }
};

QTEST_GUILESS_MAIN(TestTrainStoreCli)
#include "tst_train_store_cli.moc"

// Kill anywhere: burstprop-train killed with SIGKILL at named fault points (core/util/fault_point.h) — in
// the middle of a checkpoint write, inside a metrics transaction, between an epoch's metrics and its
// checkpoints, after a checkpoint's rename before the store records it, at start-up while the data loads —
// then checked and resumed. After every kill: the database passes PRAGMA integrity_check, every checkpoint
// in the run's folder loads, the run shows as interrupted; after its resume: the run completed with every
// epoch and every batch recorded exactly once and the same figures as a run never killed, every recorded
// checkpoint is the file it says (epoch, owner), best.ckpt is the best epoch's, no temporary file is left.
// The (point, occurrence) pairs come from a seed: BURSTPROP_KILL_SEED (default 15); BURSTPROP_KILL_COUNT
// kills (default 20).
#include "core/checkpoint/checkpoint.h"
#include "core/data/idx_reader.h"
#include "core/store/run_store.h"
#include "core/store/sqlite.h"
#include "support/test_support.h"
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <map>
#include <random>

using namespace bp;
using test::describe;

namespace {

namespace fs = std::filesystem;

constexpr int kEpochs = 3;
constexpr int kTrainExamples = 320, kTestExamples = 100; // 10 batches of 32 per epoch
constexpr int kTimeoutMs = 120000;

// Each point with the occurrences every run reaches (kEpochs epochs, --checkpoint-every 1).
struct Point {
    const char* name;
    int reached;
};
const Point kPoints[] = {
    {"startup.data", 1},
    {"checkpoint.write", 1 + 2 * kEpochs},   // initial, then epoch-N and latest (and best) per epoch
    {"checkpoint.renamed", 1 + 2 * kEpochs}, // the same files
    {"metrics.commit", 1 + kEpochs},         // each epoch's flush, epoch 0 included
    {"epoch.recorded", kEpochs},
    {"epoch.checkpointed", kEpochs},
};

// Writes <dir>/<prefix>-{images-idx3,labels-idx1}-ubyte holding examples [from, from + count) of the given
// images and labels.
bool writeIdx(const QString& dir, const QString& prefix, const at::Tensor& images, const at::Tensor& labels,
              int from, int count) {
    auto header = [](QByteArray& out, std::initializer_list<uint32_t> words) {
        for (uint32_t v : words)
            for (int shift = 24; shift >= 0; shift -= 8)
                out.append(char((v >> shift) & 0xff));
    };
    const at::Tensor x = images.narrow(0, from, count).contiguous();
    const at::Tensor y = labels.narrow(0, from, count).contiguous();
    QByteArray imageBytes, labelBytes;
    header(imageBytes, {0x803, uint32_t(count), uint32_t(x.size(1)), uint32_t(x.size(2))});
    imageBytes.append(reinterpret_cast<const char*>(x.data_ptr<uint8_t>()), int(x.numel()));
    header(labelBytes, {0x801, uint32_t(count)});
    labelBytes.append(reinterpret_cast<const char*>(y.data_ptr<uint8_t>()), int(y.numel()));
    QFile a(dir + "/" + prefix + "-images-idx3-ubyte"), b(dir + "/" + prefix + "-labels-idx1-ubyte");
    return a.open(QIODevice::WriteOnly) && a.write(imageBytes) == imageBytes.size() &&
           b.open(QIODevice::WriteOnly) && b.write(labelBytes) == labelBytes.size();
}

std::string integrityCheck(const std::string& file) {
    sql::Database db(file, sql::Database::Mode::ReadWriteCreate);
    sql::Statement s = db.prepare("PRAGMA integrity_check");
    std::string out;
    while (s.step())
        out += (out.empty() ? "" : "; ") + s.text(0);
    return out;
}

// Every metric of a run: name → (step → (epoch, value)).
using Metrics = std::map<std::string, std::map<int64_t, std::pair<int, double>>>;
Metrics readAll(RunStore& store, int64_t id) {
    Metrics out;
    for (const std::string& name : store.metricNames(id))
        for (const MetricPoint& p : store.readMetrics(id, name))
            out[name][p.step] = {p.epoch, p.value};
    return out;
}

int epochsIn(const Metrics& m) {
    auto it = m.find("test_error");
    return it == m.end() ? 0 : int(it->second.size());
}

bool sameNumber(double a, double b) {
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

} // namespace

class TestKillAnywhere : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString binary_, dataDir_, dataset_, db_;

    QStringList runArgs() const {
        return {"--dataset",
                dataset_,
                "--data-dir",
                dataDir_,
                "--threads",
                "1",
                "--hidden-widths",
                "30",
                "-n_epochs",
                QString::number(kEpochs),
                "--checkpoint-every",
                "1",
                "--db",
                db_,
                "--no-progress"};
    }
    // Runs burstprop-train to its end (the shared helper: the child is reaped, its pid no longer exists);
    // with fault, BURSTPROP_FAULT=fault.
    test::ProcessResult trainer(const QStringList& args, const QString& fault = {}) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove("BURSTPROP_FAULT");
        if (!fault.isEmpty())
            env.insert("BURSTPROP_FAULT", fault);
        return test::runProcess(binary_, args, kTimeoutMs, env);
    }
    int64_t newestRun() {
        RunStore store(db_.toStdString(), RunStore::Access::ReadOnly);
        const std::vector<RunRecord> runs = store.listRuns();
        return runs.empty() ? 0 : runs.front().id;
    }

  private Q_SLOTS:
    void initTestCase() {
        binary_ = test::trainerBinary();
        if (binary_.isEmpty())
            QSKIP("BURSTPROP_TRAIN_BIN is not set (run through CTest)");
        QVERIFY(tmp_.isValid());
        dataDir_ = tmp_.filePath("data");
        QVERIFY(QDir().mkpath(dataDir_));
        const std::string fashion = test::fashionMnistDir();
        if (!fashion.empty()) { // real images: the first of Fashion-MNIST's test set
            const at::Tensor images = data::readIdxFile(fashion + "/t10k-images-idx3-ubyte.gz");
            const at::Tensor labels = data::readIdxFile(fashion + "/t10k-labels-idx1-ubyte.gz");
            QVERIFY(writeIdx(dataDir_, "train", images, labels, 0, kTrainExamples));
            QVERIFY(writeIdx(dataDir_, "t10k", images, labels, kTrainExamples, kTestExamples));
            dataset_ = "fashion-mnist";
        } else {
            QVERIFY(test::writeBarDatasets(dataDir_, kTrainExamples, kTestExamples));
            dataset_ = "mnist";
        }
        db_ = tmp_.filePath("runs.sqlite");
    }

    void killAnywhere() {
        QElapsedTimer clock;
        clock.start();
        // The run never killed: what every killed and resumed run must end as.
        const test::ProcessResult clean = trainer(runArgs());
        QVERIFY2(clean.exitCode == 0, qPrintable(describe(clean)));
        Metrics reference;
        std::optional<double> referenceBest;
        {
            RunStore store(db_.toStdString());
            const int64_t id = newestRun();
            reference = readAll(store, id);
            referenceBest = store.getRun(id)->bestTestError;
        }
        QCOMPARE(epochsIn(reference), kEpochs + 1);
        const size_t batches = reference.at("batch_loss").size();
        QCOMPARE(int(batches), kEpochs * kTrainExamples / 32);

        const uint32_t seed = uint32_t(std::stoul(test::envOr("BURSTPROP_KILL_SEED", "15")));
        const int count = std::stoi(test::envOr("BURSTPROP_KILL_COUNT", "20"));
        std::mt19937 random(seed);
        // Every point at its last occurrence (the run's end), then the other (point, occurrence) pairs in an
        // order the seed shuffles, then (past every pair) pairs drawn at random.
        std::vector<std::pair<std::string, int>> kills, others;
        for (const Point& p : kPoints) {
            kills.emplace_back(p.name, p.reached);
            for (int n = 1; n < p.reached; ++n)
                others.emplace_back(p.name, n);
        }
        std::shuffle(others.begin(), others.end(), random);
        kills.insert(kills.end(), others.begin(), others.end());
        while (int(kills.size()) < count) {
            const Point& p = kPoints[random() % std::size(kPoints)];
            kills.emplace_back(p.name, 1 + int(random() % uint32_t(p.reached)));
        }
        kills.resize(size_t(count));
        qInfo("seed %u: %d kills (BURSTPROP_KILL_SEED, BURSTPROP_KILL_COUNT)", seed, count);

        for (size_t k = 0; k < kills.size(); ++k) {
            const QString point = QString::fromStdString(kills[k].first);
            const int occurrence = kills[k].second;
            const QString where = QString("kill %1 (%2:%3)").arg(k + 1).arg(point).arg(occurrence);

            // The process kills itself at the point, and says so just before.
            const test::ProcessResult killed = trainer(runArgs(), point + ":" + QString::number(occurrence));
            QVERIFY2(killed.exitStatus == QProcess::CrashExit && killed.exitCode == SIGKILL,
                     qPrintable(where + ": not killed by SIGKILL\n" + describe(killed)));
            QVERIFY2(killed.err.contains(QString("fault point %1 reached (%2)").arg(point).arg(occurrence)),
                     qPrintable(where + ": the fault point did not fire\n" + describe(killed)));
            const int64_t id = newestRun();

            // The database is intact, every checkpoint in the folder loads, the run is interrupted.
            const std::string check = integrityCheck(db_.toStdString());
            QVERIFY2(check == "ok",
                     qPrintable(where + ": integrity_check: " + QString::fromStdString(check)));
            int epochsBefore = 0, doneBefore = 0;
            bool halfWritten = false, resumable = false;
            std::string folder;
            {
                RunStore store(db_.toStdString()); // opening marks a run whose process has gone
                const RunRecord rec = *store.getRun(id);
                QVERIFY2(rec.status == RunStatus::Interrupted,
                         qPrintable(where + ": the run is " + test::statusName(rec.status)));
                epochsBefore = epochsIn(readAll(store, id));
                doneBefore = rec.epochsDone;
                folder = rec.resultsDir;
                const CheckpointOwner self{store.databaseId(), store.path(), id};
                std::error_code ec;
                for (const auto& entry : fs::directory_iterator(folder, ec)) {
                    halfWritten = halfWritten || entry.path().extension() == ".tmp";
                    if (entry.path().extension() != ".ckpt")
                        continue;
                    const std::string stem = entry.path().stem().string();
                    resumable = resumable || stem == "latest" || stem == "initial";
                    try {
                        const Checkpoint c = loadCheckpoint(entry.path().string());
                        QVERIFY2(c.owner.sameRun(self), qPrintable(where + ": " + entry.path().c_str()));
                    } catch (const std::exception& e) {
                        QFAIL(qPrintable(where + ": " + e.what()));
                    }
                }
            }
            // Killed in the middle of a checkpoint's write, the process left half a temporary file.
            if (point == "checkpoint.write")
                QVERIFY2(halfWritten, qPrintable(where + ": no temporary file was left"));

            // Resumed, it completes as the run never killed (with --checkpoint-every 1, kept with the run).
            const test::ProcessResult resumed =
                trainer({"resume", QString::number(id), "--db", db_, "--no-progress"});
            QVERIFY2(resumed.exitCode == 0 && resumed.exitStatus == QProcess::NormalExit,
                     qPrintable(where + ": resume failed\n" + describe(resumed)));
            RunStore store(db_.toStdString(), RunStore::Access::ReadOnly);
            const RunRecord rec = *store.getRun(id);
            if (!resumable) { // killed before its first checkpoint: started again from its configuration
                bool said = false;
                for (const RunMessage& m : store.messages(id))
                    said = said || QString::fromStdString(m.text).contains(
                                       "started again from its recorded configuration");
                QVERIFY2(said, qPrintable(where + ": not started again from its recorded configuration"));
            }
            QVERIFY2(rec.status == RunStatus::Completed,
                     qPrintable(where + ": after resume the run is " + test::statusName(rec.status)));
            QCOMPARE(rec.epochsDone, kEpochs);
            const Metrics after = readAll(store, id);
            for (const auto& [name, points] : reference) {
                auto it = after.find(name);
                QVERIFY2(it != after.end(), qPrintable(where + ": no " + QString::fromStdString(name)));
                QVERIFY2(it->second.size() == points.size(),
                         qPrintable(where + ": " + QString::fromStdString(name) +
                                    QString(" has %1 points, the run never killed %2")
                                        .arg(it->second.size())
                                        .arg(points.size())));
                for (const auto& [step, p] : points) {
                    auto q = it->second.find(step);
                    QVERIFY2(q != it->second.end() && q->second.first == p.first,
                             qPrintable(where + QString(": %1 at step %2").arg(name.c_str()).arg(step)));
                    const bool timed = name == "examples_per_second";
                    QVERIFY2(timed || sameNumber(q->second.second, p.second),
                             qPrintable(where + QString(": %1 at step %2 is %3, the run never killed %4")
                                                    .arg(name.c_str())
                                                    .arg(step)
                                                    .arg(q->second.second)
                                                    .arg(p.second)));
                }
            }
            QCOMPARE(after.size(), reference.size());
            QVERIFY2(rec.bestTestError.has_value() && referenceBest.has_value() &&
                         *rec.bestTestError == *referenceBest,
                     qPrintable(where + QString(": best test error %1, the run never killed %2")
                                            .arg(rec.bestTestError.value_or(-1))
                                            .arg(referenceBest.value_or(-1))));

            // Every recorded checkpoint is the file it says; best.ckpt holds the best epoch; no .tmp is left.
            double bestError = INFINITY;
            for (const auto& [step, p] : after.at("test_error"))
                if (p.first > 0)
                    bestError = std::min(bestError, p.second);
            std::map<std::string, int> kinds;
            for (const CheckpointRecord& c : store.checkpoints(id)) {
                const QString what = where + ": " + QString::fromStdString(toString(c.kind)) +
                                     " checkpoint " + QString::fromStdString(c.path);
                ++kinds[toString(c.kind)];
                Checkpoint file;
                try {
                    file = loadCheckpoint(c.path);
                } catch (const std::exception& e) {
                    QFAIL(qPrintable(what + ": " + e.what()));
                }
                QVERIFY2(file.epoch == c.epoch && file.step == c.step,
                         qPrintable(what + QString(" is recorded as epoch %1, the file holds epoch %2")
                                               .arg(c.epoch)
                                               .arg(file.epoch)));
                if (c.kind == CheckpointKind::Latest)
                    QVERIFY2(c.epoch == kEpochs, qPrintable(what));
                if (c.kind == CheckpointKind::Best) {
                    double error = NAN;
                    for (const auto& [step, p] : after.at("test_error"))
                        if (p.first == file.epoch)
                            error = p.second;
                    QVERIFY2(error == bestError,
                             qPrintable(what + QString(" holds epoch %1 (test error %2), the best is %3")
                                                   .arg(file.epoch)
                                                   .arg(error)
                                                   .arg(bestError)));
                }
            }
            const std::map<std::string, int> expected{
                {"initial", 1}, {"latest", 1}, {"best", 1}, {"epoch", kEpochs}};
            QString kept;
            for (const auto& [kind, n] : kinds)
                kept += QString(" %1×%2").arg(n).arg(QString::fromStdString(kind));
            QVERIFY2(kinds == expected, qPrintable(where + ": the recorded checkpoints are" + kept +
                                                   ", not initial, latest, best and one per epoch"));
            for (const auto& entry : fs::directory_iterator(folder))
                QVERIFY2(entry.path().extension() != ".tmp",
                         qPrintable(where + ": left behind: " + entry.path().c_str()));

            // Epoch rows recorded (epoch 0 is the untrained network), before the resume and after it.
            auto epochs = [](int rows) {
                return rows == 0 ? QString("none") : QString("0-%1").arg(rows - 1);
            };
            const QString from =
                resumed.out.contains("resuming after epoch")
                    ? "epoch " + resumed.out.mid(resumed.out.indexOf("resuming after epoch") + 21)
                                     .section('\n', 0, 0)
                    : QString("its configuration");
            qInfo("kill %2zu: %-18s #%d  epochs recorded: %s before (epochs_done %d), %s after; resumed from "
                  "%s",
                  k + 1, qPrintable(point), occurrence, qPrintable(epochs(epochsBefore)), doneBefore,
                  qPrintable(epochs(epochsIn(after))), qPrintable(from));
        }
        qInfo("%d kills and resumes in %.1f s", count, double(clock.elapsed()) / 1000.0);
    }
};

QTEST_GUILESS_MAIN(TestKillAnywhere)
#include "tst_kill_anywhere.moc"

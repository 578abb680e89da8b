// The trainer on small in-memory data: events, determinism, control from another thread, failures.
#include "core/config/hyperparameters.h"
#include "core/nn/denormals.h"
#include "core/setup/defaults.h"
#include "core/train/trainer.h"
#include "data/local_http_server.h"
#include "support/test_support.h"
#include <ATen/CPUGeneratorImpl.h>
#include <QTemporaryDir>
#include <QtTest>
#include <atomic>
#include <cmath>
#include <mutex>
#include <thread>

using namespace bp;

namespace {

RunConfig smallConfig(const std::string& rule) {
    RunConfig c = defaultConfig(DatasetKind::Mnist, rule);
    c.hiddenWidths = {32};
    c.epochs = 3;
    c.threads = 1;
    c.angleInterval = 4;
    c.seed = 11;
    return c;
}

struct Recorder : TrainingObserver {
    std::mutex mutex;
    std::vector<RunStatus> statuses;
    std::vector<EpochReport> epochs;
    std::atomic<int> batches{0};
    std::function<void(const BatchReport&)> onEachBatch;
    void onStatus(RunStatus s, const std::string&) override {
        std::lock_guard<std::mutex> lock(mutex);
        statuses.push_back(s);
    }
    void onBatch(const BatchReport& r) override {
        ++batches;
        if (onEachBatch)
            onEachBatch(r);
    }
    void onEpoch(const EpochReport& r) override {
        std::lock_guard<std::mutex> lock(mutex);
        epochs.push_back(r);
    }
};

QString describe(const Trainer& t) {
    return QString::fromStdString(toString(t.status()) + ": " + t.message());
}

} // namespace

class TestTrainer : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
  private Q_SLOTS:
    // --dtype float64: the same network, rule and optimizer in double precision; the run learns, reports,
    // checkpoints and resumes in float64, and starts from the float32 run's initial weights.
    // Every learning rate × lr_factor^⌊(epoch − 1)/lr_step⌋: with a factor of 1e-6 from the second epoch on,
    // that epoch moves the weights a millionth as far.
    void learningRateSchedule() {
        RunConfig config = smallConfig("burstprop");
        config.epochs = 2;
        config.momentum = 0.0;
        config.weightDecay = 0.0; // the reference's decay is not scaled by the learning rate
        config.lrStep = 1;
        config.lrFactor = 1e-6;
        const std::string dir = dir_.filePath("schedule").toStdString();
        Trainer trainer(config);
        trainer.setData(test::prototypeData(200, 50, 3));
        trainer.setCheckpointing({dir, 1});
        QVERIFY2(trainer.run() == RunStatus::Completed, qPrintable(describe(trainer)));
        auto weight = [&](CheckpointKind kind, int epoch) {
            return *loadCheckpoint(Trainer::checkpointPath(dir, kind, epoch)).tensor("layer0.weight");
        };
        const at::Tensor w0 = weight(CheckpointKind::Initial, 0), w1 = weight(CheckpointKind::Epoch, 1),
                         w2 = weight(CheckpointKind::Epoch, 2);
        const double first = (w1 - w0).norm().item<double>(), second = (w2 - w1).norm().item<double>();
        QVERIFY2(first > 0 && second < 1e-3 * first,
                 qPrintable(QString("%1 then %2").arg(first).arg(second)));
    }

    void trainsInFloat64_data() {
        QTest::addColumn<QString>("rule");
        QTest::newRow("burstprop") << "burstprop";
        QTest::newRow("backprop") << "backprop";
        QTest::newRow("dfa") << "dfa";
    }
    void trainsInFloat64() {
        QFETCH(QString, rule);
        RunConfig config = smallConfig(rule.toStdString());
        config.dtype = Dtype::Float64;
        const std::string dir = dir_.filePath("f64-" + rule).toStdString();
        Recorder log;
        Trainer trainer(config, &log);
        trainer.setData(test::prototypeData(300, 100, 5));
        trainer.setCheckpointing({dir, 0});
        QVERIFY2(trainer.run() == RunStatus::Completed, qPrintable(describe(trainer)));
        QCOMPARE(trainer.network().dtype(), at::kDouble);
        QVERIFY2(log.epochs.back().testLoss < log.epochs.front().testLoss, "it did not learn");
        const Checkpoint latest = loadCheckpoint(Trainer::checkpointPath(dir, CheckpointKind::Latest));
        QCOMPARE(latest.tensor("layer0.weight")->scalar_type(), at::kDouble);
        // The float32 run starts from the same numbers.
        RunConfig single = smallConfig(rule.toStdString());
        single.epochs = 1;
        const Checkpoint initial = loadCheckpoint(Trainer::checkpointPath(dir, CheckpointKind::Initial));
        Trainer first(single);
        first.setData(test::prototypeData(300, 100, 5));
        first.setCheckpointing({dir + "-32", 0});
        QVERIFY(first.run() == RunStatus::Completed);
        const Checkpoint initial32 =
            loadCheckpoint(Trainer::checkpointPath(dir + "-32", CheckpointKind::Initial));
        QVERIFY(
            at::equal(initial.tensor("layer0.weight")->to(at::kFloat), *initial32.tensor("layer0.weight")));
        // A float64 checkpoint does not resume a float32 run.
        Trainer wrong(single);
        wrong.setData(test::prototypeData(300, 100, 5));
        wrong.resumeFrom(latest);
        QCOMPARE(test::statusName(wrong.run()), test::statusName(RunStatus::Failed));
        QVERIFY2(QString::fromStdString(wrong.message()).contains("Double"), wrong.message().c_str());
    }

    void reportsEveryEpochAndBatch_data() {
        QTest::addColumn<QString>("rule");
        QTest::newRow("burstprop") << QString("burstprop");
        QTest::newRow("backprop") << QString("backprop");
        QTest::newRow("feedback-alignment") << QString("feedback-alignment");
        QTest::newRow("node-perturbation") << QString("node-perturbation");
    }
    void reportsEveryEpochAndBatch() {
        QFETCH(QString, rule);
        RunConfig config = smallConfig(rule.toStdString());
        Recorder rec;
        Trainer trainer(config, &rec);
        trainer.setData(test::prototypeData(300, 100, 1));
        QVERIFY2(trainer.run() == RunStatus::Completed, qPrintable(describe(trainer)));
        QCOMPARE(rec.epochs.size(), size_t(4)); // epoch 0 and three trained epochs
        QCOMPARE(rec.batches.load(), 3 * 10);   // ceil(300 / 32) batches per epoch
        for (int i = 0; i < 4; ++i)
            QCOMPARE(rec.epochs[i].epoch, i);
        QVERIFY(std::isnan(rec.epochs[0].trainLoss));
        QCOMPARE(rec.epochs[3].step, int64_t(30));
        QVERIFY(rec.epochs[3].testLoss < rec.epochs[0].testLoss);
        QCOMPARE(test::statusName(rec.statuses.front()), test::statusName(RunStatus::Running));
        QCOMPARE(test::statusName(rec.statuses.back()), test::statusName(RunStatus::Completed));
        const bool angles = rule.toStdString() == "burstprop" || rule.toStdString() == "feedback-alignment";
        QCOMPARE(rec.epochs[3].weightAngles.size(), angles ? size_t(1) : size_t(0));
        QCOMPARE(rec.epochs[3].deltaAngles.size(), angles ? size_t(1) : size_t(0));
    }

    void sameSeedSameWeights() {
        auto train = [](uint64_t seed) {
            RunConfig config = smallConfig("burstprop");
            config.seed = seed;
            Trainer trainer(config);
            trainer.setData(test::prototypeData(200, 50, 3));
            trainer.run();
            return trainer.network().layers[0].weight.clone();
        };
        const at::Tensor a = train(5), b = train(5), c = train(6);
        QVERIFY(at::equal(a, b));
        QVERIFY(!at::equal(a, c));
    }

    // Subnormals are flushed on the training threads while a run trains (the trainer's FlushDenormals),
    // and the thread that ran it gets IEEE behaviour back afterwards.
    void flushesSubnormalsOnlyWhileTraining() {
#if !defined(__x86_64__) && !defined(__i386__)
        QSKIP("FlushDenormals acts only on x86 (MXCSR)");
#endif
        RunConfig config = smallConfig("burstprop");
        config.epochs = 1;
        config.threads = 2;
        Recorder rec;
        std::atomic<int> flushed{0};
        rec.onEachBatch = [&](const BatchReport&) { flushed += FlushDenormals::activeOnTeam() ? 1 : 0; };
        Trainer trainer(config, &rec);
        trainer.setData(test::prototypeData(200, 50, 4));
        QVERIFY2(trainer.run() == RunStatus::Completed, qPrintable(describe(trainer)));
        QVERIFY(rec.batches > 0);
        QCOMPARE(flushed.load(), rec.batches.load());
        QVERIFY(!FlushDenormals::activeOnTeam());
    }

    void pauseResumeStopFromAnotherThread() {
        RunConfig config = smallConfig("burstprop");
        config.epochs = 1000;
        Recorder rec;
        Trainer trainer(config, &rec);
        trainer.setData(test::prototypeData(300, 50, 2));
        std::thread worker([&] { trainer.run(); });
        QTRY_VERIFY_WITH_TIMEOUT(rec.batches.load() > 5, 20000);
        trainer.requestPause();
        QTRY_COMPARE_WITH_TIMEOUT(test::statusName(trainer.status()), test::statusName(RunStatus::Paused),
                                  5000);
        const int atPause = rec.batches.load();
        QTest::qWait(200);
        QCOMPARE(rec.batches.load(), atPause); // nothing trains while paused
        trainer.requestResume();
        QTRY_VERIFY_WITH_TIMEOUT(rec.batches.load() > atPause, 5000);
        QCOMPARE(test::statusName(trainer.status()), test::statusName(RunStatus::Running));
        trainer.requestStop();
        worker.join();
        QCOMPARE(test::statusName(trainer.status()), test::statusName(RunStatus::Stopped));
        QCOMPARE(test::statusName(rec.statuses.back()), test::statusName(RunStatus::Stopped));
    }

    void stopWhilePaused() {
        RunConfig config = smallConfig("burstprop");
        config.epochs = 1000;
        Recorder rec;
        Trainer trainer(config, &rec);
        trainer.setData(test::prototypeData(100, 20, 2));
        rec.onEachBatch = [&](const BatchReport& r) {
            if (r.step == 3)
                trainer.requestPause();
        };
        std::thread worker([&] { trainer.run(); });
        QTRY_COMPARE_WITH_TIMEOUT(test::statusName(trainer.status()), test::statusName(RunStatus::Paused),
                                  20000);
        trainer.requestStop();
        worker.join();
        QCOMPARE(test::statusName(trainer.status()), test::statusName(RunStatus::Stopped));
        QCOMPARE(rec.batches.load(), 3);
    }

    void divergingRunEndsWithMessage() {
        RunConfig config = smallConfig("burstprop");
        data::DatasetPair data = test::prototypeData(100, 20, 4);
        data.train.images[7][0][3][3] = std::nan(""); // one corrupt pixel poisons the weights
        Recorder rec;
        Trainer trainer(config, &rec);
        trainer.setData(data);
        QCOMPARE(test::statusName(trainer.run()), test::statusName(RunStatus::Diverged));
        QVERIFY2(QString::fromStdString(trainer.message()).contains("NaN"), qPrintable(describe(trainer)));
        QVERIFY(QString::fromStdString(trainer.message()).contains("epoch 1"));
        QCOMPARE(test::statusName(rec.statuses.back()), test::statusName(RunStatus::Diverged));
    }

    void invalidConfigurationFails_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<double>("value");
        QTest::newRow("negative lr") << "hidden_lr" << -1.0;
        QTest::newRow("zero batch") << "batch_size" << 0.0;
        QTest::newRow("momentum 1") << "momentum" << 1.0;
        QTest::newRow("p_baseline 2") << "p_baseline" << 2.0;
        QTest::newRow("nan xi_std") << "xi_std" << std::nan("");
    }
    void invalidConfigurationFails() {
        QFETCH(QString, key);
        QFETCH(double, value);
        RunConfig config = smallConfig("burstprop");
        findHyperparameter(key.toStdString())->set(config, value);
        Trainer trainer(config);
        trainer.setData(test::prototypeData(50, 10, 5));
        QCOMPARE(test::statusName(trainer.run()), test::statusName(RunStatus::Failed));
        QVERIFY2(QString::fromStdString(trainer.message()).contains(key), qPrintable(describe(trainer)));
    }

    void missingDataFolderFails() {
        RunConfig config = smallConfig("burstprop");
        config.download = false;
        config.dataDir = "/nonexistent/burstprop-data";
        Trainer trainer(config);
        QCOMPARE(test::statusName(trainer.run()), test::statusName(RunStatus::Failed));
        QVERIFY2(QString::fromStdString(trainer.message()).contains("/nonexistent/burstprop-data"),
                 qPrintable(describe(trainer)));
    }

    // A missing data set is fetched from the mirror before training; a mirror without it fails the run
    // with the URL and the HTTP status, and nothing is left behind.
    void missingDataIsDownloadedFromTheMirror() {
        QTemporaryDir served, target;
        test::LocalHttpServer server(served.path().toStdString());
        QVERIFY(server.port() > 0);
        RunConfig config = smallConfig("burstprop");
        config.dataDir = target.path().toStdString();
        config.mirror = server.url("/files/");
        Recorder rec;
        Trainer trainer(config, &rec);
        QCOMPARE(test::statusName(trainer.run()), test::statusName(RunStatus::Failed));
        const QString message = QString::fromStdString(trainer.message());
        QVERIFY2(message.contains(QString::fromStdString(server.url("/files/"))) && message.contains("404"),
                 qPrintable(message));
        QVERIFY(QDir(target.path()).entryList(QDir::Files).isEmpty());
    }

    void benchmarkReportsThroughput() {
        RunConfig config = smallConfig("burstprop");
        Trainer trainer(config);
        trainer.setData(test::prototypeData(200, 20, 6));
        const double examplesPerSecond = trainer.benchmark(20, 2);
        QVERIFY(examplesPerSecond > 0.0 && std::isfinite(examplesPerSecond));
    }
};

QTEST_GUILESS_MAIN(TestTrainer)
#include "tst_trainer.moc"

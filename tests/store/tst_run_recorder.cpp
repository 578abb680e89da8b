// The recorder between trainer and run store: what it writes, when, and what it costs.
#include "core/config/hyperparameters.h"
#include "core/setup/defaults.h"
#include "core/store/run_recorder.h"
#include "core/train/trainer.h"
#include "support/test_support.h"
#include <ATen/CPUGeneratorImpl.h>
#include <QtTest>
#include <chrono>
#include <cmath>
#include <thread>

using namespace bp;
using namespace std::chrono;

namespace {

BatchReport batch(int64_t step, bool angles = false) {
    BatchReport r;
    r.epoch = int(step / 100) + 1;
    r.batch = int(step % 100) + 1;
    r.batchesPerEpoch = 100;
    r.step = step;
    r.loss = 1.0 / double(step + 1);
    r.error = 50.0 - double(step % 50);
    r.examplesPerSecond = 11200.0;
    if (angles) {
        r.weightAngles = {80.0 + double(step % 7), 70.0};
        r.deltaAngles = {60.0};
    }
    return r;
}

EpochReport epoch(int e, int64_t step, double testError) {
    EpochReport r;
    r.epoch = e;
    r.step = step;
    r.trainLoss = e == 0 ? std::nan("") : 0.1;
    r.trainError = e == 0 ? std::nan("") : 3.0;
    r.testLoss = 0.2;
    r.testError = testError;
    r.weightAngles = {45.0, 50.0};
    r.deltaAngles = {55.0};
    r.examplesPerSecond = 11000.0;
    return r;
}

} // namespace

class TestRunRecorder : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::string path_ = dir_.filePath("runs.sqlite").toStdString();

  private Q_SLOTS:
    void metricsAppearWithinTheFlushInterval() {
        RunStore store(path_);
        RunStore other(path_); // a second connection, as the GUI reading while the CLI trains
        const int64_t id = store.createRun(defaultConfig(DatasetKind::Mnist));
        RunRecorder recorder(store, id);
        recorder.onStatus(RunStatus::Running, "");
        const auto start = steady_clock::now();
        double visibleAfter = -1.0;
        for (int64_t step = 1; step < 400 && visibleAfter < 0; ++step) {
            recorder.onBatch(batch(step));
            if (!other.readMetrics(id, "batch_loss").empty())
                visibleAfter = duration<double>(steady_clock::now() - start).count();
            std::this_thread::sleep_for(milliseconds(10));
        }
        qInfo("first batch metrics visible to another connection after %.3f s", visibleAfter);
        QVERIFY(visibleAfter >= 0.9 && visibleAfter < 1.3);
        QCOMPARE(recorder.flushCount(), int64_t(1)); // one transaction for about a hundred batches
        QVERIFY(other.readMetrics(id, "batch_loss").size() > 50);
        QCOMPARE(other.readMetrics(id, "examples_per_second").size(),
                 other.readMetrics(id, "batch_error").size());
    }

    // The run's duration is the time it trained: a pause, and the time between a stop and its resume,
    // are left out; a resumed run adds to what it had.
    void durationLeavesOutPausesAndStops() {
        RunStore store(path_);
        const int64_t id = store.createRun(defaultConfig(DatasetKind::Mnist));
        {
            RunRecorder recorder(store, id, seconds(60));
            recorder.onStatus(RunStatus::Running, "");
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            recorder.onStatus(RunStatus::Paused, "");
            std::this_thread::sleep_for(std::chrono::milliseconds(700));
            recorder.onStatus(RunStatus::Running, "");
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            recorder.onStatus(RunStatus::Stopped, "");
        }
        const RunRecord stopped = *store.getRun(id);
        QVERIFY(stopped.activeSeconds);
        QVERIFY2(*stopped.activeSeconds > 0.45 && *stopped.activeSeconds < 0.9,
                 qPrintable(QString::number(*stopped.activeSeconds)));
        std::this_thread::sleep_for(std::chrono::milliseconds(500)); // stopped: not counted
        {
            RunRecorder recorder(store, id, seconds(60));
            recorder.onStatus(RunStatus::Running, "");
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            recorder.onStatus(RunStatus::Completed, "");
        }
        const RunRecord done = *store.getRun(id);
        const double wall = *done.finishedAt - *done.startedAt;
        QVERIFY2(*done.duration(0) > *stopped.activeSeconds + 0.15 &&
                     *done.duration(0) < *stopped.activeSeconds + 0.5,
                 qPrintable(QString::number(*done.duration(0))));
        QVERIFY2(wall > *done.duration(0) + 1.0, qPrintable(QStringLiteral("wall %1 s").arg(wall)));
    }

    void epochsProgressAndFinalStatus() {
        RunStore store(path_);
        const int64_t id = store.createRun(defaultConfig(DatasetKind::Mnist));
        {
            RunRecorder recorder(store, id, seconds(60)); // only epoch ends and status changes flush
            recorder.onStatus(RunStatus::Running, "");
            recorder.onEpoch(epoch(0, 0, 90.0));
            QCOMPARE(store.readMetrics(id, "test_error").size(), size_t(1)); // written at epoch end
            QVERIFY(std::isnan(store.readMetrics(id, "train_loss").at(0).value));
            // Keyed by the layer's index in the network: the weight angles start at layer 1.
            QVERIFY(store.readMetrics(id, "weight_angle/0").empty());
            QCOMPARE(store.readMetrics(id, "weight_angle/1").at(0).value, 45.0);
            QCOMPARE(store.readMetrics(id, "weight_angle/2").at(0).value, 50.0);
            QCOMPARE(store.readMetrics(id, "delta_angle/0").at(0).value, 55.0);
            for (int64_t s = 1; s <= 100; ++s)
                recorder.onBatch(batch(s, s % 50 == 0));
            QVERIFY(store.readMetrics(id, "batch_loss").empty());
            recorder.onEpoch(epoch(1, 100, 12.5));
            QCOMPARE(store.readMetrics(id, "batch_loss").size(), size_t(100));
            // Angles measured on the epoch's last batch are kept; the epoch summary does not replace them.
            QCOMPARE(store.readMetrics(id, "weight_angle/1", 100, 100).at(0).value, 80.0 + 100 % 7);
            QCOMPARE(store.readMetrics(id, "delta_angle/0").size(), size_t(3)); // step 0, 50, 100
            for (int64_t s = 101; s <= 150; ++s)
                recorder.onBatch(batch(s));
            recorder.onEpoch(epoch(2, 200, 20.0));
            QCOMPARE(store.getRun(id)->epochsDone, 2);
            QCOMPARE(store.getRun(id)->bestTestError.value_or(0), 12.5);
            QCOMPARE(recorder.bestTestError().value_or(0), 12.5);
            recorder.onBatch(batch(201));
            recorder.onStatus(RunStatus::Completed, "");
            QCOMPARE(store.readMetrics(id, "batch_loss").size(), size_t(151)); // flushed before the status
            QVERIFY(recorder.lastError().empty());
        }
        const RunRecord r = *store.getRun(id);
        QCOMPARE(test::statusName(r.status), QString("completed"));
        QVERIFY(r.finishedAt && r.startedAt);
        QCOMPARE(QString::fromStdString(store.messages(id).back().text), QString("completed"));
    }

    void failureMessageAndWriteErrorsDoNotThrow() {
        RunStore store(path_);
        const int64_t id = store.createRun(defaultConfig(DatasetKind::Mnist));
        RunRecorder recorder(store, id);
        recorder.onStatus(RunStatus::Failed, "out of memory");
        const RunMessage m = store.messages(id).back();
        QCOMPARE(QString::fromStdString(m.level), QString("error"));
        QCOMPARE(QString::fromStdString(m.text), QString("failed: out of memory"));
        RunRecorder orphan(store, 424242); // no such run: the foreign key refuses its metrics
        orphan.onBatch(batch(1));
        QVERIFY(!orphan.flush());
        QVERIFY(!orphan.lastError().empty());
    }

    // Amortised cost per batch (onBatch + its share of the flushes) against the 2 % budget at 350 steps/s.
    void recordingOverhead() {
        RunStore store(path_);
        const int64_t id = store.createRun(defaultConfig(DatasetKind::Mnist));
        const int steps = 35000; // 100 s of training at 350 steps/s
        std::vector<BatchReport> reports;
        for (int s = 1; s <= steps; ++s)
            reports.push_back(batch(s, s % 100 == 0));
        RunRecorder recorder(store, id, milliseconds(1));
        const auto start = steady_clock::now();
        for (int i = 0; i < steps; ++i) {
            recorder.onBatch(reports[size_t(i)]);
            if (i % 350 == 349) // a flush per "second" of training, as at 350 steps/s
                recorder.flush();
        }
        recorder.flush();
        const double perBatch = duration<double>(steady_clock::now() - start).count() / steps;
        const double share = perBatch * 350.0 * 100.0;
        qInfo("recording: %.2f us per batch amortised over %lld flushes = %.3f %% of a 350 steps/s run",
              perBatch * 1e6, static_cast<long long>(recorder.flushCount()), share);
        QCOMPARE(store.readMetrics(id, "batch_loss").size(), size_t(steps));
#ifndef BURSTPROP_SANITIZE // the sanitizers' own cost is no measure of the recorder's
        QVERIFY2(share < 2.0, "recording costs more than 2 % of training time");
#endif
    }

    void recordsARealTrainer() {
        RunStore store(path_);
        RunConfig c = defaultConfig(DatasetKind::Mnist);
        c.hiddenWidths = {32};
        c.epochs = 2;
        c.threads = 1;
        c.angleInterval = 4;
        const int64_t id = store.createRun(c, "synthetic");
        const data::DatasetPair data = test::prototypeData(640, 100, 5);
        double seconds[2] = {1e9, 1e9}; // best of three, alternating, after a warm-up run
        for (int round = 0; round < 7; ++round) {
            const int withRecorder = round % 2;
            RunRecorder recorder(store, id);
            Trainer trainer(c, withRecorder ? &recorder : nullptr);
            trainer.setData(data);
            const auto start = steady_clock::now();
            QCOMPARE(test::statusName(trainer.run()), QString("completed"));
            if (round > 0)
                seconds[withRecorder] =
                    std::min(seconds[withRecorder], duration<double>(steady_clock::now() - start).count());
        }
        qInfo("tiny trainer: %.3f s without recorder, %.3f s with", seconds[0], seconds[1]);
        const int64_t steps = 2 * 640 / c.batchSize;
        QCOMPARE(test::statusName(store.getRun(id)->status), QString("completed"));
        QCOMPARE(store.getRun(id)->epochsDone, 2);
        QCOMPARE(int64_t(store.readMetrics(id, "batch_loss").size()), steps);
        QCOMPARE(store.readMetrics(id, "test_error").size(), size_t(3)); // epochs 0, 1, 2
        QVERIFY(!store.readMetrics(id, "weight_angle/1").empty());
    }
};

QTEST_GUILESS_MAIN(TestRunRecorder)
#include "tst_run_recorder.moc"

// Training the ImageNet net on an image folder (narrow channels, 193-pixel crops, generated JPEGs): the same
// run whatever the loader's thread count, a run stopped mid-epoch and resumed ends bit for bit where an
// uninterrupted one does, and the reports carry what this network adds (top-5 error, eight weight angles
// from conv1, the files left out, where the data came from).
#include "core/checkpoint/checkpoint.h"
#include "core/setup/defaults.h"
#include "core/train/trainer.h"
#include "images/image_test_files.h"
#include <QtTest>
#include <mutex>

using namespace bp;

namespace {

struct Observer : TrainingObserver {
    Trainer* trainer = nullptr;
    int64_t stopAfterStep = -1;
    std::mutex mutex;
    std::vector<EpochReport> epochs;
    std::vector<BatchReport> batches;
    std::vector<SkippedFileReport> skipped;
    std::vector<DataSourceReport> sources;
    void onBatch(const BatchReport& r) override {
        std::lock_guard<std::mutex> lock(mutex);
        batches.push_back(r);
        if (r.step == stopAfterStep)
            trainer->requestStop();
    }
    void onEpoch(const EpochReport& r) override {
        std::lock_guard<std::mutex> lock(mutex);
        epochs.push_back(r);
    }
    void onSkippedFile(const SkippedFileReport& r) override { skipped.push_back(r); }
    void onDataSource(const DataSourceReport& r) override { sources.push_back(r); }
};

RunConfig tinyImagenet(const QString& dir, const std::string& rule) {
    RunConfig c = defaultConfig(DatasetKind::ImageFolder, rule);
    c.dataDir = dir.toStdString();
    c.convChannels = {4, 4, 8, 8, 8, 8, 16};
    c.imageSize = 193;
    c.epochs = 2;
    c.batchSize = 4;
    c.threads = 1;
    c.loaderThreads = 1;
    c.angleInterval = 2;
    c.testBatchSize = 5;
    c.kappa = 1e-3; // float32 resolves every layer's signal here (../shared/golden/imagenet/README.md)
    c.weightFaStd = 0.5;
    c.seed = 3;
    return c;
}

bool sameFinalState(const std::string& a, const std::string& b, QString* difference) {
    const Checkpoint x = loadCheckpoint(a), y = loadCheckpoint(b);
    if (x.tensors.size() != y.tensors.size()) {
        *difference = "tensor counts";
        return false;
    }
    for (size_t i = 0; i < x.tensors.size(); ++i)
        if (x.tensors[i].first != y.tensors[i].first ||
            !at::equal(x.tensors[i].second, y.tensors[i].second)) {
            *difference = QString::fromStdString(x.tensors[i].first);
            return false;
        }
    for (const auto& [name, t] : x.optimizerState)
        if (!y.optimizerState.count(name) || !at::equal(y.optimizerState.at(name), t)) {
            *difference = QString::fromStdString(name);
            return false;
        }
    return true;
}

} // namespace

class TestImageFolderTraining : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString data_;

  private Q_SLOTS:
    void initTestCase() {
        QVERIFY(tmp_.isValid());
        data_ = tmp_.filePath("data");
        // 6 classes (top-5 is not trivially 0 %), 3 training and 1 test image each, one corrupt file.
        for (int c = 0; c < 6; ++c)
            for (int i = 0; i < 4; ++i) {
                const int w = 200 + 13 * i, h = 196 + 9 * c;
                const test::Bytes jpeg =
                    test::jpegOf(test::smoothPixels(w, h, c % 2 ? 1 : 3, uint32_t(10 * c + i)), w, h,
                                 c % 2 ? TJPF_GRAY : TJPF_RGB, c % 2 ? TJSAMP_GRAY : TJSAMP_420, 90);
                QVERIFY(test::writeBytes(
                    QString("%1/%2/class%3/%4.JPEG").arg(data_, i < 3 ? "train" : "val").arg(c).arg(i),
                    jpeg));
            }
        QVERIFY(
            test::writeBytes(data_ + "/train/class2/broken.JPEG", test::Bytes{0xff, 0xd8, 0xff, 0xe0, 0, 0}));
    }

    void reportsWhatTheImagenetNetAdds_data() {
        QTest::addColumn<QString>("rule");
        QTest::newRow("burstprop") << "burstprop";
        QTest::newRow("backprop") << "backprop";
    }
    void reportsWhatTheImagenetNetAdds() {
        QFETCH(QString, rule);
        Observer observer;
        Trainer trainer(tinyImagenet(data_, rule.toStdString()), &observer);
        QCOMPARE(test::statusName(trainer.run()), test::statusName(RunStatus::Completed));
        QCOMPARE(int(observer.epochs.size()), 3);
        for (const EpochReport& e : observer.epochs) {
            QVERIFY(std::isfinite(e.testTop5Error));
            QVERIFY(e.testTop5Error >= 0 && e.testTop5Error <= e.testError);
            QCOMPARE(e.firstWeightAngleLayer, 0);
            QCOMPARE(int(e.weightAngles.size()), rule == "burstprop" ? 8 : 0);
        }
        QVERIFY(std::isfinite(observer.epochs.back().trainTop5Error));
        QVERIFY(!std::isfinite(observer.epochs.front().trainTop5Error)); // epoch 0: nothing trained
        if (rule == "burstprop")
            QCOMPARE(int(observer.epochs.back().deltaAngles.size()), 7);
        // The broken file: named once, counted in every later report, and the run trained on the others.
        QCOMPARE(int(observer.skipped.size()), 1);
        QVERIFY(QString::fromStdString(observer.skipped[0].path).endsWith("class2/broken.JPEG"));
        QCOMPARE(observer.epochs.back().skippedFiles, int64_t(1));
        QCOMPARE(observer.batches.back().skippedFiles, int64_t(1));
        QCOMPARE(int(observer.sources.size()), 1);
        QCOMPARE(observer.sources[0].trainImages, int64_t(19));
        QCOMPARE(observer.sources[0].testImages, int64_t(6));
        QCOMPARE(observer.sources[0].classes, int64_t(6));
        QCOMPARE(trainer.network().layers.size(), size_t(8));
        QCOMPARE(trainer.network().layers[6].weight.size(0), int64_t(16));
    }

    void loaderThreadsDoNotChangeTheRun() {
        RunConfig config = tinyImagenet(data_, "burstprop");
        config.epochs = 1;
        std::vector<std::string> finals;
        for (int threads : {1, 3}) {
            config.loaderThreads = threads;
            const std::string dir = tmp_.filePath(QString("threads%1").arg(threads)).toStdString();
            Trainer trainer(config);
            trainer.setCheckpointing({dir});
            QCOMPARE(test::statusName(trainer.run()), test::statusName(RunStatus::Completed));
            finals.push_back(Trainer::checkpointPath(dir, CheckpointKind::Latest));
        }
        QString difference;
        QVERIFY2(sameFinalState(finals[0], finals[1], &difference), qPrintable(difference));
    }

    void resumedMidEpochEndsBitForBit() {
        const RunConfig config = tinyImagenet(data_, "burstprop");
        const std::string whole = tmp_.filePath("whole").toStdString(),
                          parts = tmp_.filePath("parts").toStdString();
        Observer a;
        Trainer uninterrupted(config, &a);
        uninterrupted.setCheckpointing({whole});
        QCOMPARE(test::statusName(uninterrupted.run()), test::statusName(RunStatus::Completed));

        Observer b; // 19 readable images in batches of 4: 5 batches per epoch; stop inside epoch 2
        Trainer stopped(config, &b);
        b.trainer = &stopped;
        b.stopAfterStep = 7;
        stopped.setCheckpointing({parts});
        QCOMPARE(test::statusName(stopped.run()), test::statusName(RunStatus::Stopped));

        Observer c;
        Trainer resumed(config, &c);
        resumed.setCheckpointing({parts});
        resumed.resumeFrom(loadCheckpoint(Trainer::resumableCheckpoint(parts)));
        QCOMPARE(test::statusName(resumed.run()), test::statusName(RunStatus::Completed));
        QString difference;
        QVERIFY2(sameFinalState(Trainer::checkpointPath(parts, CheckpointKind::Latest),
                                Trainer::checkpointPath(whole, CheckpointKind::Latest), &difference),
                 qPrintable(difference));
        QCOMPARE(c.epochs.back().trainLoss, a.epochs.back().trainLoss);
        QCOMPARE(c.epochs.back().trainTop5Error, a.epochs.back().trainTop5Error);
        QCOMPARE(c.epochs.back().testTop5Error, a.epochs.back().testTop5Error);
    }

    void aMissingDataFolderFailsWithAMessage() {
        RunConfig config = tinyImagenet(data_, "burstprop");
        config.dataDir.clear();
        Trainer trainer(config);
        QCOMPARE(test::statusName(trainer.run()), test::statusName(RunStatus::Failed));
        QVERIFY2(QString::fromStdString(trainer.message()).contains("--data-dir"), trainer.message().c_str());
        config.dataDir = tmp_.filePath("nowhere").toStdString();
        Trainer missing(config);
        QCOMPARE(test::statusName(missing.run()), test::statusName(RunStatus::Failed));
        QVERIFY2(QString::fromStdString(missing.message()).contains("nowhere"), missing.message().c_str());
    }
};

QTEST_GUILESS_MAIN(TestImageFolderTraining)
#include "tst_image_folder_training.moc"

// Checkpoints written while training, and resuming from them: a run stopped anywhere and resumed ends with
// the same weights, bit for bit, as one that never stopped (CPU, one thread).
#include "core/config/hyperparameters.h"
#include "core/setup/defaults.h"
#include "core/train/trainer.h"
#include "support/test_support.h"
#include <ATen/CPUGeneratorImpl.h>
#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>
#include <mutex>

using namespace bp;

namespace {

data::DatasetPair syntheticData(const RunConfig& config, int64_t trainSize, int64_t testSize) {
    const bool cifar = config.dataset == DatasetKind::Cifar10;
    const int64_t channels = cifar ? 3 : 1, size = cifar ? 32 : 28;
    at::Generator g = at::make_generator<at::CPUGeneratorImpl>(17);
    const at::Tensor prototypes = at::randn({10, channels, size, size}, g);
    auto make = [&](int64_t n) {
        data::Dataset d;
        d.labels = at::randint(10, {n}, g, at::kLong);
        d.images = prototypes.index_select(0, d.labels) + 0.5 * at::randn({n, channels, size, size}, g);
        return d;
    };
    data::DatasetPair pair;
    pair.train = make(trainSize);
    pair.test = make(testSize);
    pair.channels = channels;
    pair.imageSize = size;
    return pair;
}

// Stops the trainer once a given step has been trained; keeps every report.
struct Observer : TrainingObserver {
    Trainer* trainer = nullptr;
    int64_t stopAfterStep = -1;
    std::mutex mutex;
    std::vector<EpochReport> epochs;
    std::vector<CheckpointReport> checkpoints;
    void onBatch(const BatchReport& r) override {
        if (r.step == stopAfterStep)
            trainer->requestStop();
    }
    void onEpoch(const EpochReport& r) override {
        std::lock_guard<std::mutex> lock(mutex);
        epochs.push_back(r);
    }
    void onCheckpoint(const CheckpointReport& r) override {
        std::lock_guard<std::mutex> lock(mutex);
        checkpoints.push_back(r);
    }
};

RunConfig configFor(const QString& rule, const QString& dataset) {
    const DatasetKind kind = parseDatasetKind(dataset.toStdString());
    RunConfig c = defaultConfig(kind, rule.toStdString());
    if (c.architecture == Architecture::FullyConnected)
        c.hiddenWidths = {24, 16};
    c.epochs = 3;
    c.batchSize = kind == DatasetKind::Cifar10 ? 8 : 16;
    c.threads = 1;
    c.angleInterval = 3;
    c.seed = 23;
    c.testBatchSize = 50;
    return c;
}

// The same trained state: the network's parameters, the optimizer's (momentum) and the rule's, as the runs'
// final checkpoints hold them.
bool sameStates(const Checkpoint& a, const Checkpoint& b, QString* firstDifference) {
    auto sameMaps = [&](const std::map<std::string, at::Tensor>& x,
                        const std::map<std::string, at::Tensor>& y, const char* what) {
        if (x.size() != y.size()) {
            *firstDifference = QString("different %1 entry counts").arg(what);
            return false;
        }
        for (const auto& [name, t] : x)
            if (!y.count(name) || !at::equal(y.at(name), t)) {
                *firstDifference = QString::fromStdString(name);
                return false;
            }
        return true;
    };
    if (!sameMaps(a.optimizerState, b.optimizerState, "optimizer") ||
        !sameMaps(a.ruleState, b.ruleState, "rule"))
        return false;
    const auto& ta = a.tensors;
    const auto& tb = b.tensors;
    if (ta.size() != tb.size()) {
        *firstDifference = "different tensor counts";
        return false;
    }
    for (size_t i = 0; i < ta.size(); ++i)
        if (ta[i].first != tb[i].first || !at::equal(ta[i].second, tb[i].second)) {
            *firstDifference = QString::fromStdString(ta[i].first);
            return false;
        }
    return true;
}

} // namespace

class TestResume : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;

  private Q_SLOTS:
    void resumedRunMatchesUninterruptedRun_data() {
        QTest::addColumn<QString>("rule");
        QTest::addColumn<QString>("dataset");
        QTest::addColumn<QString>("perturbation");
        QTest::addColumn<int>("stopAfterStep"); // the stop takes effect before the next batch
        // 120 training images in batches of 16: 8 batches per epoch; step 8 ends epoch 1.
        QTest::newRow("burstprop, after epoch 1") << "burstprop"
                                                  << "mnist"
                                                  << "all" << 8;
        QTest::newRow("burstprop, mid-epoch 2") << "burstprop"
                                                << "mnist"
                                                << "all" << 11;
        QTest::newRow("backprop, mid-epoch 2") << "backprop"
                                               << "mnist"
                                               << "all" << 13;
        QTest::newRow("feedback alignment, after epoch 1") << "feedback-alignment"
                                                           << "mnist"
                                                           << "all" << 8;
        QTest::newRow("node perturbation by unit, mid-epoch 1") << "node-perturbation"
                                                                << "mnist"
                                                                << "unit" << 5;
        QTest::newRow("node perturbation by layer, after epoch 2") << "node-perturbation"
                                                                   << "mnist"
                                                                   << "layer" << 16;
        // CIFAR-10 adds the augmentation generator (random crops and flips); 40 images, batches of 8.
        QTest::newRow("burstprop CIFAR-10 conv, mid-epoch 2") << "burstprop"
                                                              << "cifar10"
                                                              << "all" << 7;
    }

    void resumedRunMatchesUninterruptedRun() {
        QFETCH(QString, rule);
        QFETCH(QString, dataset);
        QFETCH(QString, perturbation);
        QFETCH(int, stopAfterStep);
        RunConfig config = configFor(rule, dataset);
        config.perturbation = parsePerturbationMode(perturbation.toStdString());
        const bool cifar = config.dataset == DatasetKind::Cifar10;
        const data::DatasetPair data = syntheticData(config, cifar ? 40 : 120, cifar ? 10 : 40);
        const std::string base =
            tmp_.filePath(QString(QTest::currentDataTag()).replace(' ', '_')).toStdString();

        Observer whole;
        Trainer uninterrupted(config, &whole);
        uninterrupted.setData(data);
        uninterrupted.setCheckpointing({base + "/whole", 1});
        QCOMPARE(test::statusName(uninterrupted.run()), test::statusName(RunStatus::Completed));

        Observer first;
        Trainer stopped(config, &first);
        first.trainer = &stopped;
        first.stopAfterStep = stopAfterStep;
        stopped.setData(data);
        stopped.setCheckpointing({base + "/parts"});
        QCOMPARE(test::statusName(stopped.run()), test::statusName(RunStatus::Stopped));
        const std::string latest = Trainer::resumableCheckpoint(base + "/parts");
        QCOMPARE(QString::fromStdString(latest),
                 QString::fromStdString(Trainer::checkpointPath(base + "/parts", CheckpointKind::Latest)));
        QCOMPARE(first.checkpoints.back().step, int64_t(stopAfterStep));

        Observer second;
        Trainer resumed(config, &second);
        resumed.setData(data);
        resumed.setCheckpointing({base + "/parts"});
        resumed.resumeFrom(loadCheckpoint(latest));
        QCOMPARE(test::statusName(resumed.run()), test::statusName(RunStatus::Completed));
        QVERIFY2(resumed.message().empty(), resumed.message().c_str());

        QString difference;
        QVERIFY2(sameStates(loadCheckpoint(Trainer::checkpointPath(base + "/parts", CheckpointKind::Latest)),
                            loadCheckpoint(Trainer::checkpointPath(base + "/whole", CheckpointKind::Latest)),
                            &difference),
                 qPrintable(difference));
        // The last epoch's figures, train ones included (the epoch's running sums travel in the checkpoint).
        const EpochReport& a = whole.epochs.back();
        const EpochReport& b = second.epochs.back();
        QCOMPARE(b.epoch, a.epoch);
        QCOMPARE(b.step, a.step);
        QCOMPARE(b.testLoss, a.testLoss);
        QCOMPARE(b.trainLoss, a.trainLoss);
        QCOMPARE(b.trainError, a.trainError);
        QCOMPARE(b.deltaAngles, a.deltaAngles);
        // The resumed run does not report epoch 0 or the epochs before the stop again.
        QVERIFY(second.epochs.front().epoch >= 1);
    }

    void keepsInitialLatestBestAndEveryNth() {
        RunConfig config = configFor("burstprop", "mnist");
        config.epochs = 4;
        Observer observer;
        Trainer trainer(config, &observer);
        trainer.setData(syntheticData(config, 64, 32));
        const std::string dir = tmp_.filePath("kinds").toStdString();
        trainer.setCheckpointing({dir, 2});
        QCOMPARE(test::statusName(trainer.run()), test::statusName(RunStatus::Completed));
        for (const auto& [kind, epoch] :
             std::vector<std::pair<CheckpointKind, int>>{{CheckpointKind::Initial, 0},
                                                         {CheckpointKind::Latest, 4},
                                                         {CheckpointKind::Epoch, 2},
                                                         {CheckpointKind::Epoch, 4}}) {
            const std::string path = Trainer::checkpointPath(dir, kind, epoch);
            QVERIFY2(std::filesystem::exists(path), path.c_str());
            QCOMPARE(loadCheckpoint(path).epoch, epoch);
        }
        QVERIFY(!std::filesystem::exists(Trainer::checkpointPath(dir, CheckpointKind::Epoch, 1)));
        // best.ckpt holds the epoch with the lowest test error.
        int bestEpoch = 1;
        for (const EpochReport& r : observer.epochs)
            if (r.epoch >= 1 && r.testError < observer.epochs[static_cast<size_t>(bestEpoch)].testError)
                bestEpoch = r.epoch;
        QCOMPARE(loadCheckpoint(Trainer::checkpointPath(dir, CheckpointKind::Best)).epoch, bestEpoch);
        // Every written file was reported, with its kind.
        QCOMPARE(static_cast<int>(std::count_if(
                     observer.checkpoints.begin(), observer.checkpoints.end(),
                     [](const CheckpointReport& r) { return r.kind == CheckpointKind::Latest; })),
                 4);
        QVERIFY(!std::filesystem::exists(Trainer::checkpointPath(dir, CheckpointKind::Latest) + ".tmp"));
    }

    void resumingAnotherArchitectureFailsWithAMessage() {
        RunConfig config = configFor("burstprop", "mnist");
        config.epochs = 1;
        const data::DatasetPair data = syntheticData(config, 32, 16);
        const std::string dir = tmp_.filePath("other").toStdString();
        Trainer first(config);
        first.setData(data);
        first.setCheckpointing({dir});
        QCOMPARE(test::statusName(first.run()), test::statusName(RunStatus::Completed));

        config.hiddenWidths = {24, 17};
        config.epochs = 2;
        Trainer second(config);
        second.setData(data);
        second.resumeFrom(loadCheckpoint(Trainer::resumableCheckpoint(dir)));
        QCOMPARE(test::statusName(second.run()), test::statusName(RunStatus::Failed));
        QVERIFY2(QString::fromStdString(second.message()).contains("layer1"), second.message().c_str());
    }

    void unwritableCheckpointFolderWarnsAndTrainsOn() {
        RunConfig config = configFor("burstprop", "mnist");
        config.epochs = 1;
        const QString blocker = tmp_.filePath("a-file");
        QFile file(blocker);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        struct Messages : TrainingObserver {
            std::vector<std::string> texts;
            void onStatus(RunStatus, const std::string& m) override {
                if (!m.empty())
                    texts.push_back(m);
            }
        } messages;
        Trainer trainer(config, &messages);
        trainer.setData(syntheticData(config, 32, 16));
        trainer.setCheckpointing({blocker.toStdString() + "/inside"}); // a folder below a file: cannot exist
        QCOMPARE(test::statusName(trainer.run()), test::statusName(RunStatus::Completed));
        QVERIFY(!messages.texts.empty());
        QVERIFY2(messages.texts.front().rfind("warning: the initial checkpoint was not written", 0) == 0,
                 messages.texts.front().c_str());
    }
};

QTEST_GUILESS_MAIN(TestResume)
#include "tst_resume.moc"

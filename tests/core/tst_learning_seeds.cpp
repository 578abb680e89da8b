// One epoch of burstprop on the real Fashion-MNIST with the paper's MNIST defaults, over several seeds.
// With the golden-verified equations the one-epoch test error does not scatter around one value. In the
// first dozen steps every output unit is pushed down (each is the wrong class for nine examples in ten)
// and momentum carries them to activities below 0.001, where their gradient, proportional to the
// activity, nearly vanishes. A run in which every output unit comes back within the epoch ends near 17 %
// (the reference run: 17.4 %); each unit that does not stays silent, its class is never
// predicted, and the error rises to 21–35 %. This prints, per seed, the test error and the silent
// classes, and checks that explanation: every run in which the network predicts all ten classes is below
// the 20 % (README, "Open questions"). Seeds 1 to BURSTPROP_LEARNING_SEEDS (default 12).
#include "core/config/run_config.h"
#include "core/data/dataset.h"
#include "core/setup/defaults.h"
#include "core/train/trainer.h"
#include "support/test_support.h"
#include <QtTest>
#include <algorithm>
#include <cstdio>
#include <vector>

using namespace bp;

namespace {

struct ClassRecall {
    double lowest = 1.0; // the smallest fraction of a class's test images predicted as that class
    int silent = 0;      // classes predicted for no test image at all
};

ClassRecall recallPerClass(const Network& net, const data::Dataset& test) {
    const at::NoGradGuard noGrad;
    const at::Tensor predicted = net.forward(test.images).argmax(1);
    ClassRecall r;
    for (int64_t c = 0; c < 10; ++c) {
        const at::Tensor ofClass = test.labels.eq(c);
        const double count = ofClass.sum().item<double>();
        const double hits = (ofClass & predicted.eq(c)).sum().item<double>();
        r.lowest = std::min(r.lowest, count > 0 ? hits / count : 1.0);
        r.silent += predicted.eq(c).sum().item<int64_t>() == 0 ? 1 : 0;
    }
    return r;
}

} // namespace

class TestLearningSeeds : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void burstpropOverSeeds() {
        const std::string dir = test::fashionMnistDir();
        if (dir.empty())
            QSKIP("Fashion-MNIST not found (install Debian's dataset-fashion-mnist)");
        bool given = false;
        const int asked = qEnvironmentVariableIntValue("BURSTPROP_LEARNING_SEEDS", &given);
        const int seeds = given && asked > 0 ? asked : 12;
        const data::DatasetPair data = data::loadDataset(DatasetKind::FashionMnist, dir);

        std::vector<double> errors;
        std::printf("seed  test error  test loss  lowest class recall  silent classes\n");
        for (int seed = 1; seed <= seeds; ++seed) {
            RunConfig config = defaultConfig(DatasetKind::FashionMnist, "burstprop");
            config.dataDir = dir;
            config.epochs = 1;
            config.threads = 2;
            config.seed = uint64_t(seed);
            test::EpochLog log;
            Trainer trainer(config, &log);
            trainer.setData(data);
            const RunStatus status = trainer.run();
            QVERIFY2(status == RunStatus::Completed, trainer.message().c_str());
            QCOMPARE(log.epochs.size(), size_t(2));
            const EpochReport& after = log.epochs[1];
            const ClassRecall recall = recallPerClass(trainer.network(), data.test);
            std::printf("%4d  %9.2f%%  %9.4f  %19.3f  %14d\n", seed, after.testError, after.testLoss,
                        recall.lowest, recall.silent);
            std::fflush(stdout);
            errors.push_back(after.testError);
            QCOMPARE(after.silentClasses, recall.silent); // the trainer's own count, reported with the epoch
            QVERIFY2(recall.silent > 0 || after.testError < 20.0,
                     qPrintable(QString("seed %1: %2% test error although every class is predicted")
                                    .arg(seed)
                                    .arg(after.testError)));
        }
        std::sort(errors.begin(), errors.end());
        const auto below = std::count_if(errors.begin(), errors.end(), [](double e) { return e < 20.0; });
        std::printf("burstprop, one epoch, %d seeds: lowest %.2f%%, median %.2f%%, highest %.2f%%; below "
                    "20%%: %d of %d "
                    "(every class predicted in those runs, one or more silent in the others)\n",
                    seeds, errors.front(), errors[errors.size() / 2], errors.back(), int(below), seeds);
        // The figure is within reach: some seed gets there. Measured, a run keeps every output unit
        // with probability 1/4 to 1/3, so twelve seeds all losing one has a chance of 0.75^12 = 3 % or less
        // where another CPU gives other bits (a run is bit-for-bit repeatable on one machine and thread
        // count); this machine's seeds 1-12 give four runs below 20 %.
        if (seeds >= 12)
            QVERIFY2(below > 0, "no seed reached the issue's < 20 % after one epoch");
    }
};

QTEST_GUILESS_MAIN(TestLearningSeeds)
#include "tst_learning_seeds.moc"

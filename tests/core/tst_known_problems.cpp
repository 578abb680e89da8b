// Settings known not to learn: which configurations are flagged, and the flagged one's failure shown on
// real data (Fashion-MNIST padded to 32 × 32 and written into three channels, as CIFAR-10 is shaped).
#include "core/data/dataset.h"
#include "core/setup/defaults.h"
#include "core/setup/known_problems.h"
#include "core/setup/learner.h"
#include "core/setup/network_for_config.h"
#include "support/test_support.h"
#include <QtTest>

using namespace bp;

namespace {

// Output units whose largest output over a whole batch is below 0.001 after `steps` steps of config.
int silentOutputUnits(const RunConfig& config, const data::Dataset& train, int steps) {
    const at::Tensor x =
        at::constant_pad_nd(train.images.narrow(0, 0, steps * config.batchSize + 256), {2, 2, 2, 2}, 0)
            .repeat({1, 3, 1, 1})
            .contiguous();
    at::Generator generator = at::detail::createCPUGenerator(config.seed);
    Network net = buildNetwork(config, 3, 32, generator);
    auto learner = makeLearner(config, net, config.seed + 1);
    for (int s = 0; s < steps; ++s)
        learner->step(net, x.narrow(0, s * config.batchSize, config.batchSize),
                      train.labels.narrow(0, s * config.batchSize, config.batchSize), false);
    const at::Tensor largest = std::get<0>(net.forward(x.narrow(0, steps * config.batchSize, 256)).max(0));
    return (largest < 1e-3).sum().item<int>();
}

} // namespace

class TestKnownProblems : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void flagged_data() {
        QTest::addColumn<QString>("rule");
        QTest::addColumn<int>("dataset");
        QTest::addColumn<double>("momentum");
        QTest::addColumn<bool>("flagged");
        QTest::newRow("train_cifar10.py defaults")
            << "burstprop" << int(DatasetKind::Cifar10) << -1.0 << true;
        QTest::newRow("CIFAR momentum 0.8") << "burstprop" << int(DatasetKind::Cifar10) << 0.8 << true;
        QTest::newRow("CIFAR momentum 0.5") << "burstprop" << int(DatasetKind::Cifar10) << 0.5 << false;
        QTest::newRow("CIFAR backprop") << "backprop" << int(DatasetKind::Cifar10) << -1.0 << false;
        QTest::newRow("Fashion-MNIST defaults")
            << "burstprop" << int(DatasetKind::FashionMnist) << -1.0 << false;
        QTest::newRow("MNIST momentum 0.9") << "burstprop" << int(DatasetKind::Mnist) << 0.9 << false;
    }

    void flagged() {
        QFETCH(QString, rule);
        QFETCH(int, dataset);
        QFETCH(double, momentum);
        QFETCH(bool, flagged);
        RunConfig config = defaultConfig(static_cast<DatasetKind>(dataset), rule.toStdString());
        if (momentum >= 0)
            config.momentum = momentum;
        const std::vector<std::string> problems = knownProblems(config);
        QCOMPARE(!problems.empty(), flagged);
        if (flagged)
            QVERIFY(QString::fromStdString(problems.front()).contains("momentum"));
        // Another optimizer than the reference's form is not what was measured: not flagged.
        config.optimizer = OptimizerKind::Adam;
        QVERIFY(knownProblems(config).empty());
    }

    void imagenetKappaInFloat32_data() {
        QTest::addColumn<QString>("rule");
        QTest::addColumn<double>("kappa");
        QTest::addColumn<bool>("float64");
        QTest::addColumn<bool>("flagged");
        QTest::newRow("train_imagenet.py defaults") << "burstprop" << 1e-5 << false << true;
        QTest::newRow("float64") << "burstprop" << 1e-5 << true << false;
        QTest::newRow("kappa 1e-3, as the golden files") << "burstprop" << 1e-3 << false << false;
        QTest::newRow("backprop") << "backprop" << 1e-5 << false << false;
    }
    void imagenetKappaInFloat32() {
        QFETCH(QString, rule);
        QFETCH(double, kappa);
        QFETCH(bool, float64);
        QFETCH(bool, flagged);
        RunConfig config = defaultConfig(DatasetKind::ImageNet, rule.toStdString());
        config.kappa = kappa;
        if (float64)
            config.dtype = Dtype::Float64;
        const std::vector<std::string> problems = knownProblems(config);
        QCOMPARE(!problems.empty(), flagged);
        if (flagged)
            QVERIFY(QString::fromStdString(problems.front()).contains("--dtype float64"));
    }

    // What the warning says, on real data: after 100 steps of train_cifar10.py's defaults most output units
    // are silent on a fresh batch (measured 8 of 10 at seed 1); with momentum 0.5 none is.
    void cifarDefaultsSilenceTheOutput() {
        const std::string dir = test::fashionMnistDir();
        if (dir.empty())
            QSKIP("Fashion-MNIST not found (install Debian's dataset-fashion-mnist)");
        const data::DatasetPair data = data::loadDataset(DatasetKind::FashionMnist, dir);
        RunConfig config = defaultConfig(DatasetKind::Cifar10);
        const int silentDefaults = silentOutputUnits(config, data.train, 100);
        config.momentum = 0.5;
        const int silentLowMomentum = silentOutputUnits(config, data.train, 100);
        qInfo("silent output units after 100 steps: momentum 0.9 %d, momentum 0.5 %d", silentDefaults,
              silentLowMomentum);
        QVERIFY2(silentDefaults >= 6, qPrintable(QString("only %1 silent output units").arg(silentDefaults)));
        QCOMPARE(silentLowMomentum, 0);
    }
};

QTEST_GUILESS_MAIN(TestKnownProblems)
#include "tst_known_problems.moc"

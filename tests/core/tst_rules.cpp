// Properties of the learning rules that the golden files do not cover.
#include "core/config/hyperparameters.h"
#include "core/metrics/angles.h"
#include "core/nn/loss.h"
#include "core/nn/network.h"
#include "core/rules/learning_rule.h"
#include "core/setup/defaults.h"
#include "core/setup/learner.h"
#include "core/setup/network_for_config.h"
#include "support/test_support.h"
#include <ATen/CPUGeneratorImpl.h>
#include <QtTest>

using namespace bp;

namespace {

struct Batch {
    at::Tensor x, y;
};

Batch randomBatch(int64_t n, uint64_t seed) {
    at::Generator g = at::make_generator<at::CPUGeneratorImpl>(seed);
    return {at::randn({n, 1, 28, 28}, g), at::randint(10, {n}, g, at::kLong)};
}

Network smallNet(const RunConfig& c, uint64_t seed) {
    at::Generator g = at::make_generator<at::CPUGeneratorImpl>(seed);
    return buildNetwork(c, 1, 28, g);
}

Network deepCopy(const Network& net) {
    return net.clone();
}

} // namespace

class TestRules : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    // With Y = W feedback alignment is backprop: every delta equals backprop's (angle 0).
    void feedbackAlignmentWithTransposeIsBackprop() {
        RunConfig c = defaultConfig(DatasetKind::Mnist, "feedback-alignment");
        c.hiddenWidths = {40, 30};
        Network net = smallNet(c, 1);
        for (Layer& l : net.layers)
            l.weightFa = l.weight.clone();
        auto rule = makeLearner(c, net, 0);
        const Batch b = randomBatch(16, 2);
        StepTrace trace;
        const StepResult r = rule->step(net, b.x, b.y, true, &trace);
        QCOMPARE(r.deltaAngles.size(), size_t(2));
        for (double a : r.deltaAngles)
            QVERIFY2(a < 0.05, qPrintable(QString("angle %1").arg(a)));
        for (const LayerTrace& t : trace.layers)
            QVERIFY(test::relativeError(t.delta, t.deltaBp) < 1e-5);
    }

    // The hidden delta is (delta_above · Y_above) ⊙ e (1 − e), from the recorded signals.
    void feedbackAlignmentDeltaFormula() {
        RunConfig c = defaultConfig(DatasetKind::Mnist, "feedback-alignment");
        c.hiddenWidths = {20};
        Network net = smallNet(c, 3);
        const at::Tensor y1 = net.layers[1].weightFa.clone();
        auto rule = makeLearner(c, net, 0);
        const Batch b = randomBatch(8, 4);
        StepTrace trace;
        rule->step(net, b.x, b.y, false, &trace);
        const at::Tensor e = trace.layers[0].e;
        const at::Tensor expected = trace.layers[1].delta.mm(y1) * e * (1 - e);
        QVERIFY(test::relativeError(trace.layers[0].delta, expected) < 1e-6);
        const at::Tensor out = trace.layers[1].e;
        const at::Tensor t = oneHot(b.y, 10, out.options());
        QVERIFY(test::relativeError(trace.layers[1].delta, -(t - out) * out * (1 - out)) < 1e-6);
    }

    // Angles are only paid for when asked, and the update is the same either way.
    void measuringAnglesDoesNotChangeTheUpdate_data() {
        QTest::addColumn<QString>("rule");
        QTest::newRow("burstprop") << QString("burstprop");
        QTest::newRow("feedback-alignment") << QString("feedback-alignment");
    }
    void measuringAnglesDoesNotChangeTheUpdate() {
        QFETCH(QString, rule);
        RunConfig c = defaultConfig(DatasetKind::Mnist, rule.toStdString());
        c.hiddenWidths = {30, 20};
        Network a = smallNet(c, 5), b = deepCopy(a);
        auto ra = makeLearner(c, a, 0), rb = makeLearner(c, b, 0);
        for (int s = 0; s < 3; ++s) {
            const Batch batch = randomBatch(8, 10 + s);
            const StepResult measured = ra->step(a, batch.x, batch.y, true);
            const StepResult plain = rb->step(b, batch.x, batch.y, false);
            QCOMPARE(measured.deltaAngles.size(), size_t(2));
            QVERIFY(plain.deltaAngles.empty());
        }
        for (size_t i = 0; i < a.layers.size(); ++i)
            QVERIFY(at::equal(a.layers[i].weight, b.layers[i].weight));
    }

    // Node perturbation: the three modes change what they should.
    void nodePerturbationModes_data() {
        QTest::addColumn<QString>("mode");
        QTest::newRow("all") << "all";
        QTest::newRow("layer") << "layer";
        QTest::newRow("unit") << "unit";
    }
    void nodePerturbationModes() {
        QFETCH(QString, mode);
        RunConfig c = defaultConfig(DatasetKind::Mnist, "node-perturbation");
        c.hiddenWidths = {12};
        c.momentum = 0.0;
        c.weightDecay = 0.0;
        c.perturbation = parsePerturbationMode(mode.toStdString());
        Network net = smallNet(c, 6);
        const Network before = deepCopy(net);
        auto rule = makeLearner(c, net, 9);
        const Batch b = randomBatch(16, 7);
        const StepResult r = rule->step(net, b.x, b.y, false);
        QVERIFY(std::isfinite(r.loss));
        QVERIFY(r.deltaAngles.empty());
        const at::Tensor changedRows0 = (net.layers[0].weight - before.layers[0].weight).abs().sum(1).ne(0);
        const at::Tensor changedRows1 = (net.layers[1].weight - before.layers[1].weight).abs().sum(1).ne(0);
        if (mode == "unit") {
            // Only unit 0 of layer 0 is perturbed: one row of W0 moves, W1 stays.
            QCOMPARE(changedRows0.sum().item<int64_t>(), int64_t(1));
            QVERIFY(changedRows0[0].item<bool>());
            QCOMPARE(changedRows1.sum().item<int64_t>(), int64_t(0));
            rule->step(net, b.x, b.y, false); // the next batch perturbs unit 1
            const at::Tensor rows = (net.layers[0].weight - before.layers[0].weight).abs().sum(1).ne(0);
            QCOMPARE(rows.sum().item<int64_t>(), int64_t(2));
        } else {
            QCOMPARE(changedRows0.sum().item<int64_t>(), int64_t(12));
            QCOMPARE(changedRows1.sum().item<int64_t>(), int64_t(10));
        }
    }

    // The node-perturbation estimate of the output layer points along the true gradient on average.
    void nodePerturbationFollowsTheGradient() {
        RunConfig c = defaultConfig(DatasetKind::Mnist, "node-perturbation");
        c.hiddenWidths = {};
        c.momentum = 0.0;
        c.weightDecay = 0.0;
        c.outputLr = 1e-3;
        Network net = smallNet(c, 8);
        const Batch b = randomBatch(32, 9);
        // Backprop's update direction for the single layer: −(t − e) e (1 − e) summed against the input.
        const at::Tensor x = b.x.reshape({32, -1});
        const at::Tensor e = net.forward(b.x);
        const at::Tensor t = oneHot(b.y, 10, e.options());
        const at::Tensor descent = ((t - e) * e * (1 - e)).t().mm(x);
        at::Tensor sum = at::zeros_like(descent);
        auto rule = makeLearner(c, net, 10);
        for (int i = 0; i < 200; ++i) {
            Network copy = deepCopy(net);
            rule->step(copy, b.x, b.y, false);
            sum += copy.layers[0].weight - net.layers[0].weight;
        }
        const double angle = tensorAngle(sum, descent);
        QVERIFY2(angle < 60.0, qPrintable(QString("mean NP update is %1° from the gradient").arg(angle)));
    }

    void weightAnglesSkipTheLowestLayer() {
        RunConfig c = defaultConfig(DatasetKind::Mnist);
        c.hiddenWidths = {10, 10};
        Network net = smallNet(c, 11);
        const auto burstprop = makeLearner(c, net, 0);
        QCOMPARE(weightAngles(net, burstprop->rule()).size(), size_t(2));
        net.layers[2].weightFa = net.layers[2].weight * 3.0;
        QVERIFY(weightAngles(net, burstprop->rule())[1] < 1e-3);
        net.layers[1].weightFa = -net.layers[1].weight;
        QVERIFY(std::abs(weightAngles(net, burstprop->rule())[0] - 180.0) < 1e-3);
        c.rule = "backprop";
        const Network bpNet = smallNet(c, 11);
        QVERIFY(weightAngles(bpNet, makeLearner(c, bpNet, 0)->rule()).empty());
    }

    void architectures_data() {
        QTest::addColumn<int>("architecture");
        QTest::addColumn<bool>("learnedFeedback");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<QString>("titles"); // what a person reads for each layer, by its index
        QTest::newRow("fc default") << int(Architecture::FullyConnected) << false << "784-500-500-500-10"
                                    << "hidden 1,hidden 2,hidden 3,output";
        QTest::newRow("mnist conv") << int(Architecture::MnistConv) << false
                                    << "784-conv8@4x4s2-conv16@3x3s2-500-500-10"
                                    << "conv1,conv2,hidden 1,hidden 2,output";
        QTest::newRow("cifar conv") << int(Architecture::Cifar10Conv) << false
                                    << "3072-conv64@5x5s2-conv256@5x5s2-conv256@3x3s1-1480-10"
                                    << "conv1,conv2,conv3,hidden 1,output";
        QTest::newRow("cifar conv, learned Y") << int(Architecture::Cifar10Conv) << true
                                               << "3072-conv64@5x5s2-conv128@5x5s2-conv256@3x3s1-1024-10"
                                               << "conv1,conv2,conv3,hidden 1,output";
    }
    void architectures() {
        QFETCH(int, architecture);
        QFETCH(bool, learnedFeedback);
        QFETCH(QString, expected);
        QFETCH(QString, titles);
        RunConfig c =
            defaultConfig(Architecture(architecture) == Architecture::Cifar10Conv ? DatasetKind::Cifar10
                                                                                  : DatasetKind::Mnist);
        c.architecture = Architecture(architecture);
        c.weightFaLearning = learnedFeedback;
        const bool cifar = c.dataset == DatasetKind::Cifar10;
        at::Generator g = at::make_generator<at::CPUGeneratorImpl>(1);
        Network net = buildNetwork(c, cifar ? 3 : 1, cifar ? 32 : 28, g);
        QCOMPARE(QString::fromStdString(net.describe()), expected);
        QStringList names;
        for (const std::string& t : layerTitles(networkSpec(c, {cifar ? 3 : 1, cifar ? 32 : 28, 10})))
            names << QString::fromStdString(t);
        QCOMPARE(names.join(','), titles);
        // One training step runs through every layer kind.
        auto rule = makeLearner(c, net, 0);
        at::Tensor x = at::randn({4, cifar ? 3 : 1, cifar ? 32 : 28, cifar ? 32 : 28}, g);
        const StepResult r = rule->step(net, x, at::randint(10, {4}, g, at::kLong), true);
        QVERIFY(std::isfinite(r.loss));
        QCOMPARE(r.deltaAngles.size(), net.layers.size() - 1);
    }

    void initialisationFollowsThePaper_data() {
        QTest::addColumn<QString>("rule");
        QTest::addColumn<double>("gain");
        QTest::newRow("burstprop") << QString("burstprop") << 1.0;
        QTest::newRow("backprop") << QString("backprop") << 3.6;
        QTest::newRow("node perturbation") << QString("node-perturbation") << 3.6;
    }
    void initialisationFollowsThePaper() {
        QFETCH(QString, rule);
        QFETCH(double, gain);
        RunConfig c = defaultConfig(DatasetKind::Mnist, rule.toStdString());
        const Network net = smallNet(c, 12);
        const Layer& l0 = net.layers[0];
        const double xavier = gain * std::sqrt(2.0 / (784 + 500));
        QVERIFY(std::abs(l0.weight.std().item<double>() / xavier - 1.0) < 0.02);
        QCOMPARE(l0.bias.abs().sum().item<double>(), 0.0);
        if (rule.toStdString() == "burstprop") {
            QVERIFY(std::abs(l0.weightFa.std().item<double>() - c.weightFaStd) < 0.02);
            QVERIFY(l0.weightR.abs().max().item<double>() <= c.weightRRange);
            QVERIFY(std::abs(l0.weightR.std().item<double>() - c.weightRRange / std::sqrt(3.0)) < 1e-3);
            QVERIFY(!net.layers.back().weightR.defined());
        } else {
            QVERIFY(!l0.weightFa.defined());
        }
    }
};

QTEST_GUILESS_MAIN(TestRules)
#include "tst_rules.moc"

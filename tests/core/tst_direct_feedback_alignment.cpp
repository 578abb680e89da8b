// Direct feedback alignment (Nøkland 2016), added as a rule of its own: every hidden layer receives the
// output error through its own fixed random matrix B_l. Checked on tiny networks against deltas and updates
// computed here from the equations.
#include "core/metrics/angles.h"
#include "core/nn/loss.h"
#include "core/rules/direct_feedback_alignment.h"
#include "core/setup/defaults.h"
#include "core/setup/learner.h"
#include "core/setup/network_for_config.h"
#include "support/test_support.h"
#include <ATen/CPUGeneratorImpl.h>
#include <QtTest>

using namespace bp;

namespace {

RunConfig dfaConfig() {
    RunConfig c = defaultConfig(DatasetKind::Mnist, "dfa");
    c.hiddenWidths = {7, 5};
    c.momentum = 0.0;
    c.weightDecay = 0.0;
    c.hiddenLr = 0.01;
    c.outputLr = 0.02;
    c.weightFaStd = 0.5;
    return c;
}

} // namespace

class TestDirectFeedbackAlignment : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void deltasAndUpdatesByHand() {
        const RunConfig c = dfaConfig();
        at::Generator g = at::make_generator<at::CPUGeneratorImpl>(3);
        Network net = buildNetwork(c, 1, 28, g);
        QVERIFY(!net.layers[0].weightFa.defined()); // B_l are the rule's, not layers' Y
        const Network before = net.clone();
        auto learner = makeLearner(c, net, 11);
        learner->rule().initialize(net, g);
        const RuleState state = learner->rule().saveState();
        QCOMPARE(state.size(), size_t(2));
        const at::Tensor B0 = state.at("feedback.0"), B1 = state.at("feedback.1");
        QCOMPARE(B0.sizes(), (at::IntArrayRef{10, 7}));
        QCOMPARE(B1.sizes(), (at::IntArrayRef{10, 5}));
        QVERIFY(std::abs(B0.std().item<double>() - 0.5) < 0.15);

        const at::Tensor x = at::randn({3, 1, 28, 28}, g);
        const at::Tensor y = at::tensor({int64_t(1), int64_t(7), int64_t(3)});
        StepTrace trace;
        const StepResult r = learner->step(net, x, y, true, &trace);

        // Forward and deltas from the equations.
        const at::Tensor x0 = x.reshape({3, -1});
        const at::Tensor e0 = at::sigmoid(x0.mm(before.layers[0].weight.t()) + before.layers[0].bias);
        const at::Tensor e1 = at::sigmoid(e0.mm(before.layers[1].weight.t()) + before.layers[1].bias);
        const at::Tensor e2 = at::sigmoid(e1.mm(before.layers[2].weight.t()) + before.layers[2].bias);
        const at::Tensor t = oneHot(y, 10, e2.options());
        const at::Tensor d2 = (e2 - t) * e2 * (1 - e2);
        const at::Tensor d1 = d2.mm(B1) * e1 * (1 - e1);
        const at::Tensor d0 = d2.mm(B0) * e0 * (1 - e0);
        QVERIFY(test::relativeError(trace.layers[2].delta, d2) < 1e-6);
        QVERIFY(test::relativeError(trace.layers[1].delta, d1) < 1e-6);
        QVERIFY(test::relativeError(trace.layers[0].delta, d0) < 1e-6);
        // Summed gradients, feedback alignment's update form (no momentum, no decay here).
        QVERIFY(test::relativeError(net.layers[2].weight, before.layers[2].weight - 0.02 * d2.t().mm(e1)) <
                1e-6);
        QVERIFY(test::relativeError(net.layers[1].weight, before.layers[1].weight - 0.01 * d1.t().mm(e0)) <
                1e-6);
        QVERIFY(test::relativeError(net.layers[0].weight, before.layers[0].weight - 0.01 * d0.t().mm(x0)) <
                1e-6);
        QVERIFY(test::relativeError(net.layers[0].bias, before.layers[0].bias - 0.01 * d0.sum(0)) < 1e-6);
        // Delta angles against backprop for the hidden layers; no weight angle (no matrix of W's shape).
        QCOMPARE(r.deltaAngles.size(), size_t(2));
        QVERIFY(std::isfinite(r.deltaAngles[0]) && r.deltaAngles[0] > 0.0);
        QVERIFY(weightAngles(net, learner->rule()).empty());
        // B_l stay fixed.
        QVERIFY(at::equal(learner->rule().saveState().at("feedback.0"), B0));
    }

    // For a conv layer B_l maps the output error to the layer's whole output volume.
    void convLayersGetTheirWholeVolume() {
        RunConfig c = dfaConfig();
        c.architecture = Architecture::MnistConv;
        at::Generator g = at::make_generator<at::CPUGeneratorImpl>(4);
        Network net = buildNetwork(c, 1, 28, g);
        auto learner = makeLearner(c, net, 12);
        StepTrace trace;
        const StepResult r = learner->step(net, at::randn({2, 1, 28, 28}, g),
                                           at::randint(10, {2}, g, at::kLong), true, &trace);
        const RuleState state = learner->rule().saveState();
        QCOMPARE(state.at("feedback.0").sizes(), (at::IntArrayRef{10, 8 * 13 * 13}));
        QCOMPARE(state.at("feedback.1").sizes(), (at::IntArrayRef{10, 16 * 6 * 6}));
        QCOMPARE(state.at("feedback.2").sizes(), (at::IntArrayRef{10, 500}));
        QCOMPARE(trace.layers[0].delta.sizes(), (at::IntArrayRef{2, 8, 13, 13}));
        QVERIFY(std::isfinite(r.loss));
        QCOMPARE(r.deltaAngles.size(), size_t(4));
    }

    // The matrices travel in checkpoints: restored into a new rule, they give the same steps.
    void stateRestores() {
        const RunConfig c = dfaConfig();
        at::Generator g = at::make_generator<at::CPUGeneratorImpl>(5);
        Network a = buildNetwork(c, 1, 28, g);
        Network b = a.clone();
        auto first = makeLearner(c, a, 13);
        auto second = makeLearner(c, b, 99); // another stream: other matrices, until restored
        first->rule().initialize(a, g);
        second->rule().restoreState(first->rule().saveState(), "test");
        const at::Tensor x = at::randn({4, 1, 28, 28}, g);
        const at::Tensor y = at::randint(10, {4}, g, at::kLong);
        first->step(a, x, y, false);
        second->step(b, x, y, false);
        QVERIFY(at::equal(a.layers[0].weight, b.layers[0].weight));
        QString message;
        try {
            second->rule().restoreState({}, "empty.ckpt");
        } catch (const std::exception& e) {
            message = e.what();
        }
        QVERIFY2(message.contains("empty.ckpt"), qPrintable(message));
    }
};

QTEST_GUILESS_MAIN(TestDirectFeedbackAlignment)
#include "tst_direct_feedback_alignment.moc"

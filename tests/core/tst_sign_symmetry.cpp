// Sign symmetry (Liao, Leibo & Poggio 2016), added as a rule of its own: feedback alignment with
// Y = sign(W) at every step. Checked on a tiny network against deltas computed here from the equations.
#include "core/metrics/angles.h"
#include "core/nn/loss.h"
#include "core/setup/defaults.h"
#include "core/setup/learner.h"
#include "core/setup/network_for_config.h"
#include "support/test_support.h"
#include <ATen/CPUGeneratorImpl.h>
#include <QtTest>
#include <cmath>

using namespace bp;

class TestSignSymmetry : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void deltasByHand() {
        RunConfig c = defaultConfig(DatasetKind::Mnist, "sign-symmetry");
        c.hiddenWidths = {6, 4};
        at::Generator g = at::make_generator<at::CPUGeneratorImpl>(6);
        Network net = buildNetwork(c, 1, 28, g);
        QVERIFY(!net.layers[1].weightFa.defined()); // no stored feedback weights
        const Network before = net.clone();
        auto learner = makeLearner(c, net, 0);
        const at::Tensor x = at::randn({3, 1, 28, 28}, g);
        const at::Tensor y = at::tensor({int64_t(0), int64_t(9), int64_t(4)});
        StepTrace trace;
        const StepResult r = learner->step(net, x, y, true, &trace);
        const at::Tensor e0 =
            at::sigmoid(x.reshape({3, -1}).mm(before.layers[0].weight.t()) + before.layers[0].bias);
        const at::Tensor e1 = at::sigmoid(e0.mm(before.layers[1].weight.t()) + before.layers[1].bias);
        const at::Tensor e2 = at::sigmoid(e1.mm(before.layers[2].weight.t()) + before.layers[2].bias);
        const at::Tensor d2 = (e2 - oneHot(y, 10, e2.options())) * e2 * (1 - e2);
        const at::Tensor d1 = d2.mm(at::sign(before.layers[2].weight)) * e1 * (1 - e1);
        const at::Tensor d0 = d1.mm(at::sign(before.layers[1].weight)) * e0 * (1 - e0);
        QVERIFY(test::relativeError(trace.layers[2].delta, d2) < 1e-6);
        QVERIFY(test::relativeError(trace.layers[1].delta, d1) < 1e-6);
        QVERIFY(test::relativeError(trace.layers[0].delta, d0) < 1e-6);
        QCOMPARE(r.deltaAngles.size(), size_t(2));
        // The feedback is the sign of the current W, step after step.
        QVERIFY(at::equal(learner->rule().feedbackWeights(net, 2), at::sign(net.layers[2].weight)));
    }

    // For Gaussian W, cos(W, sign W) = E|w| / √E[w²] = √(2/π): about 37° by construction.
    void weightAngleIsAbout37Degrees() {
        RunConfig c = defaultConfig(DatasetKind::Mnist, "sign-symmetry");
        at::Generator g = at::make_generator<at::CPUGeneratorImpl>(7);
        const Network net = buildNetwork(c, 1, 28, g);
        auto learner = makeLearner(c, net, 0);
        const std::vector<double> angles = weightAngles(net, learner->rule());
        QCOMPARE(angles.size(), size_t(3));
        const double expected = std::acos(std::sqrt(2.0 / M_PI)) * 180.0 / M_PI; // 37.0°
        for (double a : angles)
            QVERIFY2(std::abs(a - expected) < 1.0, qPrintable(QString::number(a)));
        QVERIFY(!learner->info().weightAngleNote.empty());
    }
};

QTEST_GUILESS_MAIN(TestSignSymmetry)
#include "tst_sign_symmetry.moc"

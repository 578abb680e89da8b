// Optimizers apply a rule's gradients (core/optim): the reference's burstprop form, torch.optim.SGD and
// torch.optim.Adam against their formulas computed here in float64, learning-rate schedules, the gradient
// hook between rule and optimizer, and the fused path against the one a hook takes.
#include "core/golden/golden_file.h"
#include "core/optim/optimizer.h"
#include "core/optim/updater.h"
#include "core/setup/defaults.h"
#include "core/setup/learner.h"
#include "core/setup/network_for_config.h"
#include "support/test_support.h"
#include <ATen/CPUGeneratorImpl.h>
#include <QtTest>
#include <cmath>

using namespace bp;

namespace {

// One fully connected output layer 3 × 4 with Y and Z (Z square, as on a hidden layer), random.
Network oneLayer(uint64_t seed) {
    at::Generator g = at::make_generator<at::CPUGeneratorImpl>(seed);
    Layer l;
    l.kind = LayerKind::Output;
    l.weight = at::randn({3, 4}, g);
    l.bias = at::randn({3}, g);
    l.weightFa = at::randn({3, 4}, g);
    l.weightR = at::randn({3, 3}, g);
    Network net;
    net.layers.push_back(l);
    net.classes = 3;
    return net;
}

struct Step {
    at::Tensor delta, input, deltaZ, inputZ; // grad_W = deltaᵀ input, grad_Z = −deltaZᵀ inputZ
};

Step randomStep(uint64_t seed) {
    at::Generator g = at::make_generator<at::CPUGeneratorImpl>(seed);
    return {at::randn({2, 3}, g), at::randn({2, 4}, g), at::randn({2, 3}, g), at::randn({2, 3}, g)};
}

LayerGradients gradientsOf(const Step& s, bool product, bool feedbackFollows) {
    LayerGradients g;
    if (product) {
        g.weight = Gradient::product(s.delta, s.input);
        g.recurrent = Gradient::product(s.deltaZ, s.inputZ, -1.0);
    } else {
        g.weight = Gradient::of(s.delta.t().mm(s.input));
        g.bias = s.delta.sum(0);
        g.recurrent = Gradient::of(-s.deltaZ.t().mm(s.inputZ));
    }
    g.feedbackFollowsWeight = feedbackFollows;
    return g;
}

void apply(Network& net, Optimizer& optimizer, LayerGradients g) {
    Updater updater(net, optimizer);
    updater.gradientsReady(0, std::move(g));
    updater.flush();
}

OptimizerSettings settings(double lr, double momentum, double decay) {
    OptimizerSettings s;
    s.layers = {{lr, momentum, decay}};
    s.recurrentLr = 0.03;
    return s;
}

at::Tensor d(const at::Tensor& t) {
    return t.to(at::kDouble);
}

void near(const at::Tensor& actual, const at::Tensor& expected, const char* what, double tolerance = 1e-6) {
    const double error = test::relativeError(actual, expected);
    QVERIFY2(error < tolerance, qPrintable(QString("%1: relative error %2").arg(what).arg(error)));
}

// Runs a golden case's steps with this project's learner, with or without a hook between rule and optimizer.
Network replayWithHook(const golden::GoldenFile& g, GradientHook* hook) {
    Network net = golden::networkOf(g);
    auto learner = makeLearner(golden::configOf(g), net, 0);
    learner->setHook(hook);
    for (int64_t s = 0; s < g.integer("meta/steps"); ++s) {
        const std::string step = "step" + std::to_string(s);
        learner->step(net, g.tensor(step + "/input"), g.tensor(step + "/label"), false);
    }
    return net;
}

// A hook that only looks: what a reducer would do with nothing to reduce.
class PassThrough : public GradientHook {
  public:
    std::unique_ptr<PendingGradients> submit(size_t, LayerGradients&) override { return nullptr; }
};

} // namespace

class TestOptimizers : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    // ΔW ← −lr g + m ΔW; W ← W + ΔW − wd W; b likewise without decay; Y follows ΔW; Z ← Z − lr_r grad_Z.
    void referenceFormByHand_data() {
        QTest::addColumn<bool>("product");
        QTest::newRow("product form (fused GEMM)") << true;
        QTest::newRow("dense gradients") << false;
    }
    void referenceFormByHand() {
        QFETCH(bool, product);
        const double lr = 0.1, m = 0.5, wd = 0.01, lrZ = 0.03;
        Network net = oneLayer(1);
        at::Tensor W = d(net.layers[0].weight), b = d(net.layers[0].bias), Y = d(net.layers[0].weightFa),
                   Z = d(net.layers[0].weightR);
        at::Tensor dW = at::zeros_like(W), dB = at::zeros_like(b);
        auto optimizer = makeOptimizer("reference", settings(lr, m, wd));
        for (int s = 0; s < 3; ++s) {
            const Step step = randomStep(10 + s);
            apply(net, *optimizer, gradientsOf(step, product, true));
            const at::Tensor gW = d(step.delta).t().mm(d(step.input)), gB = d(step.delta).sum(0);
            dW = -lr * gW + m * dW;
            dB = -lr * gB + m * dB;
            Y = Y + dW - wd * Y;
            W = W + dW - wd * W;
            b = b + dB;
            Z = Z - lrZ * (-d(step.deltaZ).t().mm(d(step.inputZ)));
        }
        near(net.layers[0].weight, W, "W");
        near(net.layers[0].bias, b, "b");
        near(net.layers[0].weightFa, Y, "Y");
        near(net.layers[0].weightR, Z, "Z");
        near(optimizer->state().at("layer0.delta_weight"), dW, "ΔW");
        QVERIFY(!optimizer->state().count("layer0.delta_weight_fa")); // ΔY = ΔW: one buffer
    }

    // A zero (undefined) gradient: the reference form still applies momentum and decay; torch's SGD skips
    // the parameter, as it skips one whose .grad is None.
    void zeroGradient() {
        Network a = oneLayer(2), b = oneLayer(2);
        auto reference = makeOptimizer("reference", settings(0.1, 0.5, 0.01));
        auto sgd = makeOptimizer("sgd", settings(0.1, 0.5, 0.01));
        const Step step = randomStep(3);
        apply(a, *reference, gradientsOf(step, true, false));
        apply(b, *sgd, gradientsOf(step, false, false));
        const at::Tensor wa = a.layers[0].weight.clone(),
                         dWa = reference->state().at("layer0.delta_weight").clone();
        const at::Tensor wb = b.layers[0].weight.clone();
        apply(a, *reference, LayerGradients{});
        apply(b, *sgd, LayerGradients{});
        near(a.layers[0].weight, wa + 0.5 * dWa - 0.01 * wa, "momentum and decay without a gradient");
        QVERIFY(at::equal(b.layers[0].weight, wb));
    }

    // torch.optim.SGD: g = grad + wd θ; buf = g, then m buf + g; θ ← θ − lr buf, Y with a buffer of its own.
    void torchSgdByHand() {
        const double lr = 0.05, m = 0.9, wd = 1e-3;
        Network net = oneLayer(4);
        at::Tensor W = d(net.layers[0].weight), b = d(net.layers[0].bias), Y = d(net.layers[0].weightFa);
        at::Tensor bufW, bufB, bufY;
        auto optimizer = makeOptimizer("sgd", settings(lr, m, wd));
        for (int s = 0; s < 3; ++s) {
            const Step step = randomStep(20 + s);
            apply(net, *optimizer, gradientsOf(step, s % 2 == 0, true));
            const at::Tensor gW = d(step.delta).t().mm(d(step.input)) + wd * W;
            const at::Tensor gY = d(step.delta).t().mm(d(step.input)) + wd * Y;
            const at::Tensor gB = d(step.delta).sum(0) + wd * b;
            bufW = s == 0 ? gW : m * bufW + gW;
            bufY = s == 0 ? gY : m * bufY + gY;
            bufB = s == 0 ? gB : m * bufB + gB;
            W = W - lr * bufW;
            Y = Y - lr * bufY;
            b = b - lr * bufB;
        }
        near(net.layers[0].weight, W, "W");
        near(net.layers[0].weightFa, Y, "Y");
        near(net.layers[0].bias, b, "b");
        near(optimizer->state().at("layer0.delta_weight_fa"), bufY, "Y's own buffer");
    }

    // torch.optim.Adam as m̂ / (√v̂ + ε) with m̂ = m/(1 − β1ᵗ), v̂ = v/(1 − β2ᵗ) (torch folds the corrections
    // into its step; the same number).
    void adamByHand() {
        const double lr = 0.01, beta1 = 0.9, beta2 = 0.99, eps = 0.1;
        Network net = oneLayer(5);
        at::Tensor W = d(net.layers[0].weight), b = d(net.layers[0].bias);
        at::Tensor mW = at::zeros_like(W), vW = at::zeros_like(W), mB = at::zeros_like(b),
                   vB = at::zeros_like(b);
        auto optimizer = makeOptimizer("adam", settings(lr, 0.9, 0.0));
        for (int t = 1; t <= 3; ++t) {
            const Step step = randomStep(30 + t);
            apply(net, *optimizer, gradientsOf(step, true, false));
            const at::Tensor gW = d(step.delta).t().mm(d(step.input)), gB = d(step.delta).sum(0);
            mW = beta1 * mW + (1 - beta1) * gW;
            vW = beta2 * vW + (1 - beta2) * gW * gW;
            mB = beta1 * mB + (1 - beta1) * gB;
            vB = beta2 * vB + (1 - beta2) * gB * gB;
            const double c1 = 1 - std::pow(beta1, t), c2 = 1 - std::pow(beta2, t);
            W = W - lr * (mW / c1) / ((vW / c2).sqrt() + eps);
            b = b - lr * (mB / c1) / ((vB / c2).sqrt() + eps);
        }
        near(net.layers[0].weight, W, "W");
        near(net.layers[0].bias, b, "b");
        QCOMPARE(optimizer->state().at("layer0.step_weight").item<double>(), 3.0);
    }

    // lr × factor^⌊(epoch − 1) / step⌋ (the reference's lr₀·0.1^⌊epoch/30⌋ with 0-based epochs).
    void learningRateSchedule() {
        QCOMPARE(learningRateScale(1, 0, 0.1), 1.0);
        QCOMPARE(learningRateScale(500, 0, 0.1), 1.0);
        QCOMPARE(learningRateScale(30, 30, 0.1), 1.0);
        QVERIFY(std::abs(learningRateScale(31, 30, 0.1) - 0.1) < 1e-15);
        QVERIFY(std::abs(learningRateScale(61, 30, 0.1) - 0.01) < 1e-15);
        QVERIFY(std::abs(learningRateScale(5, 2, 0.5) - 0.25) < 1e-15);
        // The scale multiplies every group's rate.
        Network a = oneLayer(6), b = oneLayer(6);
        auto full = makeOptimizer("sgd", settings(0.1, 0.0, 0.0));
        auto scaled = makeOptimizer("sgd", settings(1.0, 0.0, 0.0));
        scaled->setLearningRateScale(0.1);
        apply(a, *full, gradientsOf(randomStep(7), false, false));
        apply(b, *scaled, gradientsOf(randomStep(7), false, false));
        near(a.layers[0].weight, b.layers[0].weight, "W", 1e-6);
    }

    // Layer by layer as the rule finishes it (burstprop: top-down), the hook sees the gradients before any
    // update, and the optimizer waits on what it returned just before updating that layer.
    void hookSitsBetweenRuleAndOptimizer() {
        struct Pending : PendingGradients {
            std::function<void()> onWait;
            void wait() override { onWait(); }
        };
        struct Recorder : GradientHook {
            Network* net = nullptr;
            std::vector<at::Tensor> before;
            std::vector<size_t> order;
            std::vector<size_t> waited;
            std::unique_ptr<PendingGradients> submit(size_t index, LayerGradients& g) override {
                order.push_back(index);
                EXPECT_TRUE(g.weight.dense.defined() && !g.weight.isProduct()); // formed for the hook
                auto pending = std::make_unique<Pending>();
                pending->onWait = [this, index] {
                    // Not updated yet when the optimizer waits for this layer.
                    EXPECT_TRUE(at::equal(net->layers[index].weight, before[index]));
                    waited.push_back(index);
                };
                return pending;
            }
            static void EXPECT_TRUE(bool ok) {
                if (!ok)
                    throw std::runtime_error("hook expectation failed");
            }
        };
        RunConfig c = defaultConfig(DatasetKind::Mnist);
        c.hiddenWidths = {12, 8};
        at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(8);
        Network net = buildNetwork(c, 1, 28, gen);
        auto learner = makeLearner(c, net, 0);
        Recorder hook;
        hook.net = &net;
        for (const Layer& l : net.layers)
            hook.before.push_back(l.weight.clone());
        learner->setHook(&hook);
        learner->step(net, at::randn({4, 1, 28, 28}, gen), at::randint(10, {4}, gen, at::kLong), false);
        QCOMPARE(hook.order, (std::vector<size_t>{2, 1, 0}));
        QCOMPARE(hook.waited, (std::vector<size_t>{2, 1, 0}));
        for (size_t i = 0; i < net.layers.size(); ++i)
            QVERIFY(!at::equal(net.layers[i].weight, hook.before[i]));
    }

    // The fused path (gradient GEMM straight into ΔW, no hook) and the path a hook takes (gradients formed,
    // then ΔW ← m ΔW − lr g) agree within the golden tolerances, on the golden cases themselves.
    void fusedAndHookedPathsAgree_data() {
        QTest::addColumn<QString>("file");
        QTest::newRow("fc3_recurrent") << "fc3_recurrent.pt";
        QTest::newRow("mnist_conv") << "mnist_conv.pt";
        QTest::newRow("fc1_demo_fa_learning") << "fc1_demo_fa_learning.pt";
    }
    void fusedAndHookedPathsAgree() {
        QFETCH(QString, file);
        const golden::GoldenFile g((test::goldenDir() + "/" + file).toStdString());
        PassThrough passThrough;
        const Network fused = replayWithHook(g, nullptr);
        const Network hooked = replayWithHook(g, &passThrough);
        double between = 0.0, worst = 0.0;
        for (size_t i = 0; i < fused.layers.size(); ++i)
            for (const auto& [name, t] : std::vector<std::pair<std::string, at::Tensor>>{
                     {"weight", fused.layers[i].weight}, {"bias", fused.layers[i].bias}}) {
                const at::Tensor& other = name == "weight" ? hooked.layers[i].weight : hooked.layers[i].bias;
                const at::Tensor recorded = g.tensor(golden::layerKey("final", int64_t(i), name));
                between = std::max(between, test::relativeError(t, other));
                worst =
                    std::max({worst, test::relativeError(t, recorded), test::relativeError(other, recorded)});
            }
        qInfo("fused vs hooked: %.3g; worst against the recording: %.3g", between, worst);
        QVERIFY(between < 1e-5);
        QVERIFY(worst < 2e-3);
    }

    // State from a checkpoint must fit the network: a wrong shape or an unknown parameter is named.
    void stateIsCheckedAgainstTheNetwork() {
        Network net = oneLayer(9);
        auto a = makeOptimizer("sgd", settings(0.1, 0.9, 0.0));
        apply(net, *a, gradientsOf(randomStep(1), true, true));
        auto b = makeOptimizer("sgd", settings(0.1, 0.9, 0.0));
        b->loadState(a->state(), net, "test.ckpt");
        QCOMPARE(b->state().size(), a->state().size());
        std::map<std::string, at::Tensor> wrong = a->state();
        wrong["layer0.delta_weight"] = at::zeros({4, 3});
        QString message;
        try {
            b->loadState(wrong, net, "test.ckpt");
        } catch (const std::exception& e) {
            message = e.what();
        }
        QVERIFY2(message.contains("test.ckpt") && message.contains("layer0.delta_weight") &&
                     message.contains("4×3"),
                 qPrintable(message));
        wrong = a->state();
        wrong["layer3.delta_weight"] = at::zeros({3, 4});
        try {
            b->loadState(wrong, net, "test.ckpt");
            message.clear();
        } catch (const std::exception& e) {
            message = e.what();
        }
        QVERIFY2(message.contains("layer3.delta_weight names no layer"), qPrintable(message));
    }
};

QTEST_GUILESS_MAIN(TestOptimizers)
#include "tst_optimizers.moc"

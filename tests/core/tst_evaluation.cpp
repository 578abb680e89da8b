// evaluate(): loss, error and the classes a network never predicts, on networks whose every output is
// known: one output layer with zero weights, so that the biases alone decide e = sigmoid(bias).
#include "core/metrics/evaluation.h"
#include "support/test_support.h"
#include <QtTest>
#include <cmath>

using namespace bp;

namespace {

// A 4-pixel input, one output layer over 4 classes whose outputs are sigmoid(biases) for every image.
Network constantNetwork(const std::vector<float>& biases) {
    Network net;
    net.inputChannels = 1;
    net.inputSize = 2;
    net.classes = int64_t(biases.size());
    Layer out;
    out.kind = LayerKind::Output;
    out.weight = at::zeros({net.classes, 4});
    out.bias = at::tensor(biases, at::kFloat);
    net.layers.push_back(out);
    return net;
}

} // namespace

class TestEvaluation : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void figures_data() {
        QTest::addColumn<QVector<float>>("biases");
        QTest::addColumn<QVector<int64_t>>("labels");
        QTest::addColumn<double>("error");
        QTest::addColumn<int>("silent");
        // Always class 0: classes 1 and 2 occur but are never predicted; class 3 does not occur.
        QTest::newRow("one class predicted")
            << QVector<float>{5, 0, 0, 0} << QVector<int64_t>{0, 1, 2, 1, 0} << 60.0 << 2;
        QTest::newRow("the only class present")
            << QVector<float>{0, 0, 5, 0} << QVector<int64_t>{2, 2, 2} << 0.0 << 0;
        QTest::newRow("absent classes do not count")
            << QVector<float>{0, 5, 0, 0} << QVector<int64_t>{1, 1, 3} << 100.0 / 3.0 << 1;
    }

    void figures() {
        QFETCH(QVector<float>, biases);
        QFETCH(QVector<int64_t>, labels);
        QFETCH(double, error);
        QFETCH(int, silent);
        const Network net = constantNetwork(std::vector<float>(biases.begin(), biases.end()));
        const int64_t n = labels.size();
        const at::Tensor images = at::rand({n, 1, 2, 2});
        const at::Tensor targets = at::tensor(std::vector<int64_t>(labels.begin(), labels.end()), at::kLong);
        for (const int64_t batch : {int64_t{1}, int64_t{2}, n}) { // the same figures whatever the batching
            const Evaluation r = evaluate(net, images, targets, batch);
            QCOMPARE(r.examples, n);
            QVERIFY2(std::abs(r.error - error) < 1e-9, qPrintable(QString::number(r.error)));
            QCOMPARE(r.silentClasses, silent);
            // MSE over examples and classes of e = sigmoid(bias) against one-hot targets.
            double squared = 0.0;
            for (int64_t label : labels)
                for (int c = 0; c < biases.size(); ++c) {
                    const double e = 1.0 / (1.0 + std::exp(-double(biases[c])));
                    squared += (e - (c == label ? 1.0 : 0.0)) * (e - (c == label ? 1.0 : 0.0));
                }
            QVERIFY(std::abs(r.loss - squared / double(n * biases.size())) < 1e-6);
        }
    }

    // Top-5 of 7 classes on known outputs (a softmax output: linear units, cross-entropy); ranks by hand.
    void topFiveOnKnownOutputs_data() {
        QTest::addColumn<QVector<int64_t>>("labels");
        QTest::addColumn<double>("top1");
        QTest::addColumn<double>("top5");
        // Outputs e = biases 6, 5, 4, 3, 2, 1, 0: classes 0–4 are the top five, 5 and 6 are not.
        QTest::newRow("all in the top five") << QVector<int64_t>{0, 1, 2, 3, 4} << 80.0 << 0.0;
        QTest::newRow("ranks 6 and 7 miss") << QVector<int64_t>{5, 6, 4, 0} << 75.0 << 50.0;
        QTest::newRow("right") << QVector<int64_t>{0} << 0.0 << 0.0;
    }
    void topFiveOnKnownOutputs() {
        QFETCH(QVector<int64_t>, labels);
        QFETCH(double, top1);
        QFETCH(double, top5);
        Network net = constantNetwork({6, 5, 4, 3, 2, 1, 0});
        net.output = OutputKind::Softmax;
        net.layers.back().activation = Activation::Identity;
        const int64_t n = labels.size();
        const at::Tensor targets = at::tensor(std::vector<int64_t>(labels.begin(), labels.end()), at::kLong);
        const Evaluation r = evaluate(net, at::rand({n, 1, 2, 2}), targets, 2);
        QVERIFY2(std::abs(r.error - top1) < 1e-9, qPrintable(QString::number(r.error)));
        QVERIFY2(std::abs(r.top5Error - top5) < 1e-9, qPrintable(QString::number(r.top5Error)));
        // Cross-entropy: log Σ exp(b) − b_label, averaged.
        double logSum = 0.0;
        for (int c = 0; c <= 6; ++c)
            logSum += std::exp(double(6 - c));
        double expected = 0.0;
        for (int64_t label : labels)
            expected += std::log(logSum) - double(6 - label);
        QVERIFY(std::abs(r.loss - expected / double(n)) < 1e-5);
        // With three classes top-5 means top-3: always right.
        Network small = constantNetwork({1, 2, 3});
        small.output = OutputKind::Softmax;
        small.layers.back().activation = Activation::Identity;
        QCOMPARE(evaluate(small, at::rand({2, 1, 2, 2}), at::tensor(std::vector<int64_t>{0, 1}, at::kLong), 2)
                     .top5Error,
                 0.0);
    }

    // The confusion matrix of a network whose prediction is known for every image: weights 10·I over the
    // 4 pixels, so the brightest pixel is the predicted class. Counts by (label, pixel lit), whatever the
    // batching, and they agree with the evaluation's error and silent classes.
    void confusionOnKnownOutputs() {
        Network net = constantNetwork({0, 0, 0, 0});
        net.layers.back().weight = 10.0 * at::eye(4);
        const std::vector<int64_t> labels{0, 0, 1, 1, 1, 2, 3, 3};
        const std::vector<int64_t> lit{0, 1, 1, 1, 0, 1, 3, 1}; // class 2 is never predicted
        const int64_t n = int64_t(labels.size());
        at::Tensor images = at::zeros({n, 4});
        for (int64_t i = 0; i < n; ++i)
            images[i][lit[size_t(i)]] = 1.0;
        images = images.reshape({n, 1, 2, 2});
        data::InMemorySource source({images, at::tensor(labels, at::kLong)}, {1, 2, 4});
        for (const int64_t batch : {int64_t{1}, int64_t{3}, n}) {
            ConfusionMatrix m(4);
            const Evaluation r = evaluate(net, source, batch, &m);
            const int64_t expected[4][4] = {{1, 1, 0, 0}, {1, 2, 0, 0}, {0, 1, 0, 0}, {0, 1, 0, 1}};
            for (int t = 0; t < 4; ++t)
                for (int p = 0; p < 4; ++p)
                    QCOMPARE(m.count(t, p), expected[t][p]);
            QCOMPARE(m.total(), n);
            QVERIFY(std::abs(m.error() - r.error) < 1e-9);
            QVERIFY(std::abs(r.error - 50.0) < 1e-9);
            QCOMPARE(r.silentClasses, 1);
            QCOMPARE(*m.classError(2), 100.0);
        }
    }
};

QTEST_GUILESS_MAIN(TestEvaluation)
#include "tst_evaluation.moc"

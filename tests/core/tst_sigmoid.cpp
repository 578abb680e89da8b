// The vectorised CPU sigmoid against a float64 reference: accuracy as ATen's own sigmoid (relative error
// below 2.5e-7 over the whole float range the networks produce), NaN kept (divergence is still seen),
// saturation at ±inf, tensors the kernel does not take (non-contiguous, double) handed to ATen, and
// tensors above ATen's grain split over threads without changing a single element.
#include "core/nn/sigmoid.h"
#include <ATen/Parallel.h>
#include <QtTest>
#include <cmath>
#include <limits>

class TestSigmoid : public QObject {
    Q_OBJECT

    static double maxRelativeError(const at::Tensor& got, const at::Tensor& input) {
        const at::Tensor ref = at::sigmoid(input.to(at::kDouble));
        // Relative, less the absolute spacing of subnormal floats (1.4e-45), which no float result beats.
        const at::Tensor error = ((got.to(at::kDouble) - ref).abs() - 1.5e-45).clamp_min(0.0);
        return (error / ref.abs().clamp_min(1e-300)).max().item<double>();
    }

  private Q_SLOTS:
    void matchesReference_data() {
        QTest::addColumn<double>("low");
        QTest::addColumn<double>("high");
        QTest::addColumn<qint64>("count");
        QTest::newRow("around zero") << -1.0 << 1.0 << qint64(100001);
        QTest::newRow("pre-activations") << -20.0 << 20.0 << qint64(400001);
        QTest::newRow("saturating, subnormal results") << -110.0 << 110.0 << qint64(220001);
        QTest::newRow("odd length (vector tail)") << -5.0 << 5.0 << qint64(37);
        QTest::newRow("one element") << 0.5 << 0.5 << qint64(1);
    }
    void matchesReference() {
        QFETCH(double, low);
        QFETCH(double, high);
        QFETCH(qint64, count);
        const at::Tensor input = at::linspace(low, high, count);
        at::Tensor t = input.clone();
        bp::sigmoidInPlace(t);
        QVERIFY2(maxRelativeError(t, input) < 2.5e-7,
                 qPrintable(QString::number(maxRelativeError(t, input))));
    }

    void specialValues() {
        const float inf = std::numeric_limits<float>::infinity();
        at::Tensor t = at::tensor({std::nanf(""), inf, -inf, 0.0f, 88.0f, -87.0f});
        bp::sigmoidInPlace(t);
        QVERIFY(std::isnan(t[0].item<float>()));
        QCOMPARE(t[1].item<float>(), 1.0f);
        QCOMPARE(t[2].item<float>(), 0.0f);
        QCOMPARE(t[3].item<float>(), 0.5f);
        QCOMPARE(t[4].item<float>(), 1.0f);
        QVERIFY(std::abs(t[5].item<float>() / 1.6458115e-38f - 1.0f) < 1e-5f);
    }

    void tensorsTheKernelDoesNotTakeGoToATen_data() {
        QTest::addColumn<bool>("transposed");
        QTest::addColumn<bool>("doublePrecision");
        QTest::newRow("non-contiguous") << true << false;
        QTest::newRow("float64") << false << true;
    }
    void tensorsTheKernelDoesNotTakeGoToATen() {
        QFETCH(bool, transposed);
        QFETCH(bool, doublePrecision);
        at::Tensor input = at::randn({40, 30}).mul_(10);
        if (doublePrecision)
            input = input.to(at::kDouble);
        at::Tensor t = transposed ? input.clone().t() : input.clone();
        QVERIFY(!bp::fusableOnCpu(t));
        bp::sigmoidInPlace(t);
        const at::Tensor expected = at::sigmoid(transposed ? input.t() : input);
        QVERIFY(at::equal(t, expected));
    }

    void tensorsInAutogradGoToATen() {
        // The kernel writes through a raw pointer; a tensor autograd records must go through ATen, so
        // that the gradient stays right.
        const at::Tensor x = at::randn({4, 5}).requires_grad_(true);
        at::Tensor h = x * 2.0;
        QVERIFY(!bp::fusableOnCpu(h));
        bp::sigmoidInPlace(h);
        h.sum().backward();
        const at::Tensor s = at::sigmoid(x.detach() * 2.0);
        QVERIFY(at::allclose(x.grad(), 2.0 * s * (1.0 - s), 1e-5, 1e-6));
    }

    void largeTensorsSplitOverThreadsGiveTheSameElements() {
        const int before = at::get_num_threads();
        const at::Tensor input = at::randn({1000, 300}).mul_(8); // 300k elements: several chunks
        at::Tensor one = input.clone(), two = input.clone();
        at::set_num_threads(1);
        bp::sigmoidInPlace(one);
        at::set_num_threads(2);
        bp::sigmoidInPlace(two);
        at::set_num_threads(before);
        QVERIFY(at::equal(one, two));
        QVERIFY(maxRelativeError(two, input) < 2.5e-7);
    }

    void agreesWithATen() {
        // Same inputs through ATen's sigmoid: the two differ by rounding only.
        const at::Tensor input = at::randn({64, 500}).mul_(6);
        at::Tensor t = input.clone();
        bp::sigmoidInPlace(t);
        QVERIFY(((t - at::sigmoid(input)).abs() / at::sigmoid(input)).max().item<double>() < 5e-7);
    }
};

QTEST_GUILESS_MAIN(TestSigmoid)
#include "tst_sigmoid.moc"

// The skinny a·bᵀ (+ bias) kernel of the forward pass and the recurrent term: every element within the
// rounding bound of its summation order against float64, for shapes that exercise every tile and tail
// (rows of a not a multiple of 4, rows of b not a multiple of 6, K not a multiple of 16, one of each);
// the same bits at 1, 2 and 4 threads; NaN kept; and what it does not take (float64, transposed views,
// autograd, batches above kSkinnyRows, a thread that keeps subnormals) handed to ATen with ATen's own
// result. The tests hold a FlushDenormals, as the trainer does while it trains.
#include "core/nn/denormals.h"
#include "core/nn/skinny_gemm.h"
#include <ATen/Parallel.h>
#include <QtTest>
#include <cmath>
#include <memory>

using bp::matmulTransposed;

class TestSkinnyGemm : public QObject {
    Q_OBJECT
    int threadsBefore_ = 1;
    std::unique_ptr<bp::FlushDenormals> flush_;

    // Largest ratio of an element's error to its bound. Lane-wise sums of ⌈K/16⌉ terms, then 4 levels of
    // lane additions and the bias: (⌈K/16⌉ + 6) roundings of at most 2⁻²⁴ each, relative to Σ|a||b| + |bias|.
    static double worstErrorOverBound(const at::Tensor& got, const at::Tensor& a, const at::Tensor& b,
                                      const at::Tensor& bias) {
        const at::Tensor a64 = a.to(at::kDouble), b64 = b.to(at::kDouble);
        at::Tensor ref = a64.mm(b64.t());
        at::Tensor scale = a64.abs().mm(b64.abs().t());
        if (bias.defined()) {
            ref = ref + bias.to(at::kDouble);
            scale = scale + bias.to(at::kDouble).abs();
        }
        const double roundings = static_cast<double>((a.size(1) + 15) / 16 + 6);
        const at::Tensor bound = scale * (roundings * std::ldexp(1.0, -24)) + 1e-38;
        return ((got.to(at::kDouble) - ref).abs() / bound).max().item<double>();
    }

  private Q_SLOTS:
    void initTestCase() {
        threadsBefore_ = at::get_num_threads();
        flush_ = std::make_unique<bp::FlushDenormals>();
        qInfo("AVX-512 kernel %s",
              bp::skinnyKernelAvailable() ? "available" : "not available: ATen path tested");
    }
    void cleanupTestCase() {
        flush_.reset();
        at::set_num_threads(threadsBefore_);
    }

    void withinRoundingOfFloat64_data() {
        QTest::addColumn<qint64>("rows");    // of a: the batch
        QTest::addColumn<qint64>("inner");   // K
        QTest::addColumn<qint64>("outputs"); // rows of b
        QTest::addColumn<bool>("withBias");
        auto add = [](const char* name, qint64 m, qint64 k, qint64 n) {
            QTest::newRow(name) << m << k << n << true;
            QTest::newRow((QByteArray(name) + ", no bias").constData()) << m << k << n << false;
        };
        add("forward 32 x 784 -> 500", 32, 784, 500);
        add("forward 32 x 500 -> 500", 32, 500, 500);
        add("output 32 x 500 -> 10", 32, 500, 10);
        add("one of each", 1, 1, 1);
        add("row and column tails 7 x 17 -> 13", 7, 17, 13);
        add("K below one vector 5 x 15 -> 6", 5, 15, 6);
        add("K one vector 4 x 16 -> 12", 4, 16, 12);
        add("largest batch 48 x 100 -> 31", bp::kSkinnyRows, 100, 31);
    }
    void withinRoundingOfFloat64() {
        QFETCH(qint64, rows);
        QFETCH(qint64, inner);
        QFETCH(qint64, outputs);
        QFETCH(bool, withBias);
        at::manual_seed(11);
        const at::Tensor a = at::randn({rows, inner});
        const at::Tensor b = at::randn({outputs, inner}).mul_(0.05);
        const at::Tensor bias = withBias ? at::randn({outputs}) : at::Tensor();
        QCOMPARE(bp::skinnyKernelTakes(a, b, bias), bp::skinnyKernelAvailable());
        const at::Tensor c = matmulTransposed(a, b, bias);
        QCOMPARE(c.sizes(), (at::IntArrayRef{rows, outputs}));
        QCOMPARE(c.scalar_type(), at::kFloat);
        const double ratio = worstErrorOverBound(c, a, b, bias);
        QVERIFY2(ratio <= 1.0, qPrintable(QStringLiteral("error %1 × its bound").arg(ratio)));
        // Against the formulation CUDA and float64 take (ATen), within the two bounds together.
        const at::Tensor aten = matmulTransposed(a, b, bias, bp::KernelPath::TensorOps);
        QVERIFY(worstErrorOverBound(aten, a, b, bias) <= 1.0);
    }

    void sameBitsWhateverTheThreads_data() {
        QTest::addColumn<qint64>("outputs");
        QTest::newRow("500 outputs (84 tiles)") << qint64(500);
        QTest::newRow("13 outputs (a tail tile)") << qint64(13);
    }
    void sameBitsWhateverTheThreads() {
        QFETCH(qint64, outputs);
        at::manual_seed(3);
        const at::Tensor a = at::randn({32, 784});
        const at::Tensor b = at::randn({outputs, 784});
        const at::Tensor bias = at::randn({outputs});
        at::set_num_threads(1);
        flush_->applyToTeam();
        QCOMPARE(bp::skinnyKernelTakes(a, b, bias), bp::skinnyKernelAvailable());
        const at::Tensor one = matmulTransposed(a, b, bias);
        for (int threads : {2, 4}) {
            at::set_num_threads(threads);
            flush_->applyToTeam();
            QVERIFY2(at::equal(matmulTransposed(a, b, bias), one), qPrintable(QString::number(threads)));
        }
        at::set_num_threads(threadsBefore_);
    }

    void nanPropagates() {
        at::Tensor a = at::ones({5, 40});
        a[3][17] = std::numeric_limits<float>::quiet_NaN();
        const at::Tensor c = matmulTransposed(a, at::ones({9, 40}), at::zeros({9}));
        QVERIFY(at::isnan(c[3]).all().item<bool>());
        QVERIFY(!at::isnan(c[2]).any().item<bool>());
        QCOMPARE(c[2][0].item<float>(), 40.0f);
    }

    void otherTensorsGoToATen_data() {
        QTest::addColumn<QString>("kind");
        QTest::newRow("a thread that keeps subnormals") << "ieee";
        QTest::newRow("float64") << "double";
        QTest::newRow("b a transposed view") << "view";
        QTest::newRow("batch above kSkinnyRows") << "large";
    }
    void otherTensorsGoToATen() {
        QFETCH(QString, kind);
        at::manual_seed(5);
        at::Tensor a = at::randn({kind == "large" ? bp::kSkinnyRows + 1 : 8, 24});
        at::Tensor b = kind == "view" ? at::randn({24, 10}).t() : at::randn({10, 24});
        at::Tensor bias = at::randn({10});
        if (kind == "double") {
            a = a.to(at::kDouble);
            b = b.to(at::kDouble);
            bias = bias.to(at::kDouble);
        }
        if (kind == "ieee")
            flush_.reset();
        QVERIFY(!bp::skinnyKernelTakes(a, b, bias));
        const at::Tensor c = matmulTransposed(a, b, bias);
        const at::Tensor aten = at::addmm(bias, a, b.t());
        if (kind == "ieee")
            flush_ = std::make_unique<bp::FlushDenormals>();
        QCOMPARE(c.scalar_type(), a.scalar_type());
        QVERIFY(at::equal(c, aten));
    }

    void autogradStillWorks() {
        const at::Tensor a = at::randn({4, 20}).set_requires_grad(true);
        const at::Tensor b = at::randn({3, 20}).set_requires_grad(true);
        const at::Tensor bias = at::zeros({3}).set_requires_grad(true);
        matmulTransposed(a, b, bias).sum().backward();
        // d/db of Σ a·bᵀ: every row of b gets the column sums of a; the bias one per row of a.
        QVERIFY(at::allclose(b.grad(), a.detach().sum(0).expand({3, 20})));
        QVERIFY(at::allclose(bias.grad(), at::full({3}, 4.0)));
    }
};

QTEST_GUILESS_MAIN(TestSkinnyGemm)
#include "tst_skinny_gemm.moc"

// Burstprop's fused elementwise kernels (CPU) against the same formulas in ATen operations, the form CUDA
// runs: hidden layers with and without recurrent input, keeping u or not, fully connected and conv-shaped,
// and the output layer (loss, correct count, bursts, deltas; ties in the arg-max resolved as ATen does).
#include "core/rules/burst_signals.h"
#include <QtTest>

using bp::KernelPath;

namespace {

double relativeError(const at::Tensor& a, const at::Tensor& b) {
    return ((a.to(at::kDouble) - b.to(at::kDouble)).norm() / b.to(at::kDouble).norm().clamp_min(1e-30))
        .item<double>();
}

std::vector<int64_t> shapeWithBatch(int64_t batch, const std::vector<int64_t>& rest) {
    std::vector<int64_t> s{batch};
    s.insert(s.end(), rest.begin(), rest.end());
    return s;
}

} // namespace

class TestBurstSignals : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void hiddenLayerMatchesTensorOps_data() {
        QTest::addColumn<qint64>("batch");
        QTest::addColumn<QList<qint64>>("unitShape");
        QTest::addColumn<bool>("recurrent");
        QTest::addColumn<bool>("wantU");
        for (bool recurrent : {false, true})
            for (bool wantU : {false, true}) {
                const QByteArray tag =
                    QByteArray(recurrent ? "recurrent" : "no recurrence") + (wantU ? ", u kept" : "");
                QTest::newRow(("32 x 500, " + tag).constData())
                    << qint64(32) << QList<qint64>{500} << recurrent << wantU;
                QTest::newRow(("3 x 7, " + tag).constData())
                    << qint64(3) << QList<qint64>{7} << recurrent << wantU;
                QTest::newRow(("1 x 1, " + tag).constData())
                    << qint64(1) << QList<qint64>{1} << recurrent << wantU;
            }
        // Conv layers have no recurrent input; 2 x 8 x 13 x 13 per example.
        QTest::newRow("conv 4 x 8 x 13 x 13") << qint64(4) << QList<qint64>{8, 13, 13} << false << false;
        // Above ATen's grain (32k elements): the pass is split into chunks.
        QTest::newRow("256 x 500, recurrent, u kept") << qint64(256) << QList<qint64>{500} << true << true;
    }
    void hiddenLayerMatchesTensorOps() {
        QFETCH(qint64, batch);
        QFETCH(QList<qint64>, unitShape);
        QFETCH(bool, recurrent);
        QFETCH(bool, wantU);
        const std::vector<int64_t> units(unitShape.begin(), unitShape.end());
        at::manual_seed(qHash(QByteArray(QTest::currentDataTag())));
        const at::Tensor e = at::rand(shapeWithBatch(batch, units));
        std::vector<int64_t> twice = shapeWithBatch(batch, units);
        twice.insert(twice.begin(), 2);
        const at::Tensor f = at::randn(twice).mul_(3);
        at::Tensor r;
        if (recurrent) {
            const at::Tensor bPre = bp::recurrentDrive(f[0], e);
            const at::Tensor bPreOps = bp::recurrentDrive(f[0], e, KernelPath::TensorOps);
            QVERIFY(relativeError(bPre, bPreOps) < 1e-6);
            r = bPre.mm(at::rand({units[0], units[0]}).sub_(0.5).mul_(0.2).t());
        }
        const bp::HiddenSignals fused = bp::hiddenSignals(f, e, r, wantU);
        const bp::HiddenSignals ops = bp::hiddenSignals(f, e, r, wantU, KernelPath::TensorOps);
        QCOMPARE(fused.bursts.sizes(), f.sizes());
        QCOMPARE(fused.delta.sizes(), e.sizes());
        QVERIFY(relativeError(fused.bursts, ops.bursts) < 1e-6);
        // delta = b − b_t: two rounded numbers whose difference may nearly cancel (a 1 × 1 layer has one
        // such unit and nothing to average it with), so its error is measured against their size.
        const double deltaError = (fused.delta - ops.delta).to(at::kDouble).norm().item<double>();
        const double burstSize = (ops.bursts[0].norm() + ops.bursts[1].norm()).item<double>();
        QVERIFY2(deltaError < 1e-6 * burstSize, qPrintable(QString::number(deltaError / burstSize)));
        QCOMPARE(fused.u.defined(), wantU);
        if (wantU)
            QVERIFY(relativeError(fused.u, ops.u) < 1e-6);
        // The formula itself, spelled out once more in float64 for one element.
        const at::Tensor f64 = f.to(at::kDouble), e64 = e.to(at::kDouble);
        at::Tensor u = f64 * (1.0 - e64);
        if (recurrent)
            u = u - r.to(at::kDouble);
        const at::Tensor b = at::sigmoid(u) * e64;
        // A difference of two rounded numbers: its error is bounded by their size, not by the difference's
        // (one unit whose b and b_t nearly cancel would fail a relative test on the difference).
        const double error = (fused.delta.to(at::kDouble) - (b[0] - b[1])).norm().item<double>();
        QVERIFY2(error < 1e-6 * (b[0].norm() + b[1].norm()).item<double>(),
                 qPrintable(QString::number(error)));
    }

    void reluLayerMatchesTensorOps_data() {
        QTest::addColumn<QList<qint64>>("shape");
        QTest::addColumn<double>("kappa");
        QTest::newRow("conv 3 x 8 x 13 x 13") << QList<qint64>{3, 8, 13, 13} << 1.0;
        QTest::newRow("conv7 below a softmax, kappa 1e-5") << QList<qint64>{4, 16, 1, 1} << 1e-5;
        QTest::newRow("above ATen's grain") << QList<qint64>{8, 48, 30, 30} << 1e-3;
    }
    void reluLayerMatchesTensorOps() {
        QFETCH(QList<qint64>, shape);
        QFETCH(double, kappa);
        at::manual_seed(qHash(QByteArray(QTest::currentDataTag())));
        const std::vector<int64_t> sizes(shape.begin(), shape.end());
        const at::Tensor e = at::relu(at::randn(sizes)); // half the units silent
        std::vector<int64_t> twice = sizes;
        twice.insert(twice.begin(), 2);
        at::Tensor f = at::randn(twice).mul_(1e-3);
        f[1].add_(f[0]); // f_t close to f, as the teaching signal makes it
        const bp::HiddenSignals fused = bp::reluHiddenSignals(f, e, kappa);
        const bp::HiddenSignals ops = bp::reluHiddenSignals(f, e, kappa, KernelPath::TensorOps);
        QVERIFY(relativeError(fused.bursts, ops.bursts) < 1e-6);
        const double deltaError = (fused.delta - ops.delta).to(at::kDouble).norm().item<double>();
        QVERIFY2(deltaError <= 1e-6 * ops.bursts.norm().item<double>(),
                 qPrintable(QString::number(deltaError)));
        // Silent units send nothing.
        QCOMPARE(fused.bursts.mul(e.eq(0).unsqueeze(0)).abs().max().item<float>(), 0.0f);
    }

    void outputLayerMatchesTensorOps_data() {
        QTest::addColumn<qint64>("batch");
        QTest::addColumn<bool>("wantDeltaBp");
        QTest::newRow("32, delta_bp") << qint64(32) << true;
        QTest::newRow("32") << qint64(32) << false;
        QTest::newRow("1, delta_bp") << qint64(1) << true;
    }
    void outputLayerMatchesTensorOps() {
        QFETCH(qint64, batch);
        QFETCH(bool, wantDeltaBp);
        const at::Tensor e = at::rand({batch, 10});
        const at::Tensor labels = at::randint(0, 10, {batch}, at::kLong);
        const bp::OutputSignals fused = bp::outputSignals(e, labels, 0.2, wantDeltaBp);
        const bp::OutputSignals ops = bp::outputSignals(e, labels, 0.2, wantDeltaBp, KernelPath::TensorOps);
        QVERIFY(std::abs(fused.loss - ops.loss) < 1e-6 * ops.loss);
        QCOMPARE(fused.correct, ops.correct);
        QVERIFY(relativeError(fused.bursts, ops.bursts) < 1e-6);
        QVERIFY(relativeError(fused.delta, ops.delta) < 1e-6);
        QCOMPARE(fused.deltaBp.defined(), wantDeltaBp);
        if (wantDeltaBp)
            QVERIFY(relativeError(fused.deltaBp, ops.deltaBp) < 1e-6);
    }

    void outputLayerByHand() {
        // Two examples, three classes, p_b = 0.2. Row 0: label 1, e = (0.5, 0.5, 0.25): a tie for the
        // largest e, which arg-max gives to the first (class 0): wrong. Row 1: label 2, e = (0, 0.5, 1):
        // right.
        const at::Tensor e = at::tensor({0.5f, 0.5f, 0.25f, 0.0f, 0.5f, 1.0f}).view({2, 3});
        const at::Tensor labels = at::tensor({int64_t{1}, int64_t{2}});
        for (KernelPath path : {KernelPath::Auto, KernelPath::TensorOps}) {
            const bp::OutputSignals s = bp::outputSignals(e, labels, 0.2, true, path);
            // Squared errors: .25 .25 .0625 | 0 .25 0 → mean 0.8125 / 6.
            QVERIFY(std::abs(s.loss - 0.8125 / 6.0) < 1e-7);
            QCOMPARE(s.correct, int64_t{1});
            // Row 0, class 1 (target 1, e = 0.5): b = 0.1, b_t = 0.2·(0.5·0.5 + 1)·0.5 = 0.125.
            QVERIFY(std::abs(s.bursts[0][0][1].item<float>() - 0.1f) < 1e-7f);
            QVERIFY(std::abs(s.bursts[1][0][1].item<float>() - 0.125f) < 1e-7f);
            QVERIFY(std::abs(s.delta[0][1].item<float>() + 0.025f) < 1e-7f);
            // delta_bp = −(t − e) e (1 − e) = −0.125 there; class 2 of row 0 (t = 0, e = .25): +0.046875.
            QVERIFY(std::abs(s.deltaBp[0][1].item<float>() + 0.125f) < 1e-7f);
            QVERIFY(std::abs(s.deltaBp[0][2].item<float>() - 0.046875f) < 1e-7f);
        }
    }
};

QTEST_GUILESS_MAIN(TestBurstSignals)
#include "tst_burst_signals.moc"

// Signal histograms (core/metrics/signal_histogram.h): binning against hand-computed counts, silent units and
// classes, and a burstprop step on a tiny network that fills every layer's histograms.
#include "core/metrics/signal_histogram.h"
#include "core/setup/defaults.h"
#include "core/setup/learner.h"
#include "core/setup/network_for_config.h"
#include <ATen/CPUGeneratorImpl.h>
#include <QtTest>
#include <numeric>

using namespace bp;

Q_DECLARE_METATYPE(std::vector<double>)
Q_DECLARE_METATYPE(std::vector<int64_t>)

namespace {

int64_t total(const std::vector<int64_t>& counts) {
    return std::accumulate(counts.begin(), counts.end(), int64_t(0));
}

} // namespace

class TestSignalHistogram : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void binning_data() {
        QTest::addColumn<std::vector<double>>("values");
        QTest::addColumn<double>("low");
        QTest::addColumn<double>("high");
        QTest::addColumn<int>("bins");
        QTest::addColumn<std::vector<int64_t>>("expected");
        // Bin i covers [low + i·w, low + (i + 1)·w); high itself falls in the last bin.
        QTest::addRow("quarters") << std::vector<double>{0.0, 0.1, 0.25, 0.3, 0.5, 0.74, 0.75, 1.0} << 0.0
                                  << 1.0 << 4 << std::vector<int64_t>{2, 2, 2, 2};
        QTest::addRow("outside and NaN left out") << std::vector<double>{-0.5, 0.2, 1.5, std::nan(""), 0.9}
                                                  << 0.0 << 1.0 << 2 << std::vector<int64_t>{1, 1};
        QTest::addRow("negative range") << std::vector<double>{-2.0, -1.5, -1.0, 0.0, 1.0, 2.0} << -2.0 << 2.0
                                        << 4 << std::vector<int64_t>{2, 1, 1, 2};
        QTest::addRow("empty") << std::vector<double>{} << 0.0 << 1.0 << 3 << std::vector<int64_t>{0, 0, 0};
    }
    void binning() {
        QFETCH(std::vector<double>, values);
        QFETCH(double, low);
        QFETCH(double, high);
        QFETCH(int, bins);
        QFETCH(std::vector<int64_t>, expected);
        const at::Tensor t = at::tensor(values, at::kFloat);
        QCOMPARE(binCounts(t, low, high, bins), expected);
    }

    // Rates and probabilities on [0, 1]; deltas over their own min..max; a ReLU layer's rates up to their
    // max.
    void ranges() {
        const at::Tensor d = at::tensor({-1.0, 0.0, 0.5, 3.0}, at::kFloat).reshape({2, 2});
        const SignalHistogram delta = signalHistogram(d, "delta", 1, 4);
        QCOMPARE(delta.low, -1.0);
        QCOMPARE(delta.high, 3.0);
        QCOMPARE(delta.counts, (std::vector<int64_t>{1, 2, 0, 1}));
        QCOMPARE(delta.units, int64_t(2));
        QCOMPARE(delta.layer, 1);
        const SignalHistogram flat = signalHistogram(at::full({3, 2}, 0.25), "delta", 0, 4);
        QCOMPARE(flat.low, -0.25);
        QCOMPARE(flat.high, 0.75);
        QCOMPARE(total(flat.counts), int64_t(6));
        const SignalHistogram p = signalHistogram(at::tensor({0.1, 0.2, 0.9}), "p", 0, 10);
        QCOMPARE(p.low, 0.0);
        QCOMPARE(p.high, 1.0);
        QCOMPARE(p.counts, (std::vector<int64_t>{0, 1, 1, 0, 0, 0, 0, 0, 0, 1}));
        const SignalHistogram relu = signalHistogram(at::tensor({0.0, 0.5, 3.0}), "event_rate", 0, 3);
        QCOMPARE(relu.high, 3.0);
        QCOMPARE(relu.counts, (std::vector<int64_t>{2, 0, 1}));
    }

    void silentUnitsAndClasses() {
        // Unit 1 stays below 0.001 for both examples; unit 2 fires for one of them.
        const at::Tensor e = at::tensor({0.5, 0.0005, 0.0, 0.4, 0.0, 0.7}).reshape({2, 3});
        QCOMPARE(silentUnits(e), int64_t(1));
        // Classes 0 and 2 are the largest output of some example; 1 and 3 of none.
        const at::Tensor out = at::tensor({0.9, 0.1, 0.0, 0.0, 0.1, 0.2, 0.7, 0.0}).reshape({2, 4});
        QCOMPARE(silentClasses(out), int64_t(2));
    }

    // A burstprop step that measures fills every layer's event rate, p, p_t and delta histograms, each
    // counting units × examples; the sigmoid output's p is the baseline p_b for every unit.
    void burstpropStepFillsHistograms() {
        RunConfig c = defaultConfig(DatasetKind::Mnist, "burstprop");
        c.hiddenWidths = {12, 7};
        c.pBaseline = 0.25; // the middle of bin 7, away from b / e's rounding at a bin edge
        at::Generator g = at::make_generator<at::CPUGeneratorImpl>(3);
        Network net = buildNetwork(c, 1, 28, g);
        auto learner = makeLearner(c, net, 0);
        const int64_t n = 9;
        const at::Tensor x = at::randn({n, 1, 28, 28}, g);
        const at::Tensor y = at::randint(10, {n}, g, at::kLong);

        const StepResult plain = learner->step(net, x, y, false);
        QVERIFY(plain.signals.empty()); // nothing kept on steps that do not measure
        const StepResult r = learner->step(net, x, y, true);
        QCOMPARE(r.signals.size(), size_t(3));
        const std::vector<SignalHistogram> hs = signalHistograms(r.signals);
        QCOMPARE(hs.size(), size_t(12));
        const int64_t units[] = {12, 7, 10};
        for (const SignalHistogram& h : hs) {
            const QString what = QString("layer %1 %2").arg(h.layer).arg(QString::fromStdString(h.quantity));
            QVERIFY2(h.counts.size() == size_t(kSignalBins), qPrintable(what));
            QVERIFY2(h.units == units[h.layer], qPrintable(what));
            QVERIFY2(total(h.counts) == units[h.layer] * n, qPrintable(what));
            QVERIFY2(h.high > h.low, qPrintable(what));
            QVERIFY2((h.quantity == "event_rate") == (h.silentUnits >= 0), qPrintable(what));
            QVERIFY2((h.quantity == "event_rate" && h.layer == 2) == (h.silentClasses >= 0),
                     qPrintable(what));
            if (h.quantity != "delta") {
                QCOMPARE(h.low, 0.0);
                QCOMPARE(h.high, 1.0);
            }
        }
        QCOMPARE(hs[0].quantity, std::string("event_rate"));
        QCOMPARE(hs[1].quantity, std::string("p"));
        QCOMPARE(hs[2].quantity, std::string("p_t"));
        QCOMPARE(hs[3].quantity, std::string("delta"));
        // The output's p = p_b: every value in p_b's bin.
        const SignalHistogram& outputP = hs[9];
        QCOMPARE(outputP.layer, 2);
        QCOMPARE(outputP.quantity, std::string("p"));
        const auto bin = static_cast<size_t>(c.pBaseline * kSignalBins);
        QCOMPARE(outputP.counts[bin], 10 * n);
        // p and p_t from the bursts agree with b / e on the hidden layers: in (0, 1).
        QVERIFY(r.signals[0].p.min().item<double>() > 0.0);
        QVERIFY(r.signals[0].pT.max().item<double>() < 1.0);
        QVERIFY(hs[8].silentClasses >= 0 && hs[8].silentClasses <= 10);
    }

    // Feedback alignment has no bursts: event rates and deltas only.
    void feedbackAlignmentHasNoBursts() {
        RunConfig c = defaultConfig(DatasetKind::Mnist, "feedback-alignment");
        c.hiddenWidths = {6};
        at::Generator g = at::make_generator<at::CPUGeneratorImpl>(4);
        Network net = buildNetwork(c, 1, 28, g);
        auto learner = makeLearner(c, net, 0);
        const StepResult r =
            learner->step(net, at::randn({4, 1, 28, 28}, g), at::randint(10, {4}, g, at::kLong), true);
        const std::vector<SignalHistogram> hs = signalHistograms(r.signals);
        QCOMPARE(hs.size(), size_t(4));
        QCOMPARE(hs[1].quantity, std::string("delta"));
        QCOMPARE(total(hs[2].counts), int64_t(40));
    }
};

QTEST_APPLESS_MAIN(TestSignalHistogram)
#include "tst_signal_histogram.moc"

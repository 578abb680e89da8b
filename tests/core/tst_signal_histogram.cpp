// Signal histograms (core/metrics/signal_histogram.h): binning against hand-computed counts, silent units and
// classes, and a burstprop step on a tiny network that fills every layer's histograms.
#include "core/checkpoint/checkpoint.h"
#include "core/metrics/signal_histogram.h"
#include "core/rules/rule_registry.h"
#include "core/setup/defaults.h"
#include "core/setup/learner.h"
#include "core/setup/network_for_config.h"
#include "core/train/trainer.h"
#include "support/test_support.h"
#include <ATen/CPUGeneratorImpl.h>
#include <QTemporaryDir>
#include <QtTest>
#include <map>
#include <numeric>
#include <set>

using namespace bp;

Q_DECLARE_METATYPE(std::vector<double>)
Q_DECLARE_METATYPE(std::vector<int64_t>)

namespace {

int64_t total(const std::vector<int64_t>& counts) {
    return std::accumulate(counts.begin(), counts.end(), int64_t(0));
}

// What each rule histograms per layer.
std::vector<std::string> quantitiesOf(const std::string& rule) {
    if (rule == "burstprop")
        return {"event_rate", "p", "p_t", "delta"};
    return {"event_rate", "delta"};
}

// Checks one measurement's histograms: every layer of units has each of the rule's quantities once, each
// counting units × examples.
void checkMeasurement(const std::vector<SignalHistogram>& hs, const std::vector<int64_t>& units,
                      int64_t examples, const std::vector<std::string>& quantities, const QString& where) {
    std::map<std::pair<int, std::string>, int> seen;
    for (const SignalHistogram& h : hs) {
        const QString what =
            where + QString(" layer %1 %2").arg(h.layer).arg(QString::fromStdString(h.quantity));
        QVERIFY2(h.layer >= 0 && size_t(h.layer) < units.size(), qPrintable(what));
        QVERIFY2(h.units == units[size_t(h.layer)], qPrintable(what));
        QVERIFY2(total(h.counts) == units[size_t(h.layer)] * examples, qPrintable(what));
        ++seen[{h.layer, h.quantity}];
    }
    for (size_t layer = 0; layer < units.size(); ++layer)
        for (const std::string& q : quantities) {
            const int times = seen[std::make_pair(int(layer), q)];
            QVERIFY2(times == 1,
                     qPrintable(where +
                                QString(" layer %1 %2 missing").arg(layer).arg(QString::fromStdString(q))));
        }
    QCOMPARE(hs.size(), units.size() * quantities.size());
}

#ifndef Q_MOC_RUN // moc reads `signals` as its keyword
struct SignalLog : TrainingObserver {
    std::vector<SignalHistogram> epochZero;
    std::map<int64_t, std::vector<SignalHistogram>> batches; // by step
    void onBatch(const BatchReport& r) override {
        if (!r.signals.empty())
            batches[r.step] = r.signals;
    }
    void onEpoch(const EpochReport& r) override {
        if (r.epoch == 0)
            epochZero = r.signals;
    }
};
#endif

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

    // Every rule's measuring step fills every layer's histograms: event rates and its update signal
    // (burstprop also p and p_t), each counting units × examples.
    void everyRuleFillsHistograms_data() {
        QTest::addColumn<QString>("rule");
        QTest::addColumn<int>("perturbation");
        for (const RuleInfo* rule : ruleRegistry())
            QTest::newRow(rule->name.c_str())
                << QString::fromStdString(rule->name) << int(PerturbationMode::AllLayers);
        QTest::newRow("node-perturbation layer by layer")
            << "node-perturbation" << int(PerturbationMode::LayerByLayer);
    }
    void everyRuleFillsHistograms() {
        QFETCH(QString, rule);
        QFETCH(int, perturbation);
        RunConfig c = defaultConfig(DatasetKind::Mnist, rule.toStdString());
        c.hiddenWidths = {5, 4};
        c.perturbation = PerturbationMode(perturbation);
        at::Generator g = at::make_generator<at::CPUGeneratorImpl>(5);
        Network net = buildNetwork(c, 1, 28, g);
        auto learner = makeLearner(c, net, 0);
        const int64_t n = 6;
        const at::Tensor x = at::randn({n, 1, 28, 28}, g);
        const at::Tensor y = at::randint(10, {n}, g, at::kLong);
        QVERIFY(learner->step(net, x, y, false).signals.empty());
        const StepResult r = learner->step(net, x, y, true);
        QCOMPARE(r.signals.size(), size_t(3));
        checkMeasurement(signalHistograms(r.signals), {5, 4, 10}, n, quantitiesOf(rule.toStdString()), rule);
        for (const StepResult::LayerSignals& l : r.signals) { // the layer's outputs, in the sigmoid's range
            QVERIFY(l.e.defined() && l.delta.defined());
            QVERIFY(l.e.min().item<double>() >= 0.0);
            QVERIFY(l.e.max().item<double>() <= 1.0);
            QVERIFY(l.delta.abs().sum().item<double>() > 0.0);
        }
    }

    // A run records histograms from epoch 0 (the untrained network, on the first batch) and at every
    // measuring step (the first batch of an epoch and every angle_interval-th), for every rule; the epoch-0
    // probe leaves the run as it was (node perturbation's noise generator included): the same weights as a
    // run without it.
    void runsRecordFromEpochZero_data() {
        QTest::addColumn<QString>("rule");
        for (const RuleInfo* rule : ruleRegistry())
            QTest::newRow(rule->name.c_str()) << QString::fromStdString(rule->name);
    }
    void runsRecordFromEpochZero() {
        QFETCH(QString, rule);
        RunConfig c = defaultConfig(DatasetKind::Mnist, rule.toStdString());
        c.hiddenWidths = {6};
        c.epochs = 1;
        c.batchSize = 10;
        c.angleInterval = 3;
        c.threads = 1;
        c.seed = 4;
        QTemporaryDir dir;
        auto train = [&](TrainingObserver* observer, const QString& name) {
            Trainer trainer(c, observer);
            trainer.setData(test::prototypeData(40, 10, 2));
            trainer.setCheckpointing({dir.filePath(name).toStdString(), 0});
            const RunStatus status = trainer.run();
            if (status != RunStatus::Completed)
                qWarning() << QString::fromStdString(trainer.message());
            return *loadCheckpoint(
                        Trainer::checkpointPath(dir.filePath(name).toStdString(), CheckpointKind::Latest))
                        .tensor("layer0.weight");
        };
        SignalLog log;
        const at::Tensor observed = train(&log, "observed");
        const std::vector<std::string> quantities = quantitiesOf(rule.toStdString());
        checkMeasurement(log.epochZero, {6, 10}, 10, quantities, rule + " epoch 0");
        std::set<int64_t> steps;
        for (const auto& [step, hs] : log.batches) {
            steps.insert(step);
            checkMeasurement(hs, {6, 10}, 10, quantities, rule + QString(" step %1").arg(step));
        }
        QCOMPARE(steps, (std::set<int64_t>{1, 3}));
        QVERIFY(at::equal(observed, train(nullptr, "unobserved")));
    }
};

QTEST_APPLESS_MAIN(TestSignalHistogram)
#include "tst_signal_histogram.moc"

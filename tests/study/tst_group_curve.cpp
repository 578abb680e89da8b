// A group's curve: the mean and band over the epochs every member reached, for each band; and the words
// that tell groups apart.
#include "core/study/group_curve.h"
#include "core/study/group_label.h"
#include <QtTest>
#include <cmath>

using namespace bp::study;

namespace {

// Three runs: the first reaches epoch 2, the second stops after epoch 1, the third has no finite epoch 1.
// Only epoch 0 ({10, 12, 14}) is common to all.
const std::vector<std::vector<EpochValue>> kMembers = {
    {{0, 10}, {1, 8}, {2, 6}}, {{0, 12}, {1, 10}}, {{0, 14}, {1, std::nan("")}, {2, 5}}};

} // namespace

class TestGroupCurve : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void bands() {
        const auto std = aggregateCurves(kMembers, Band::Std);
        QCOMPARE(std.size(), size_t(1));
        QCOMPARE(std[0].epoch, 0);
        QCOMPARE(std[0].n, size_t(3));
        QCOMPARE(std[0].mean, 12.0);
        QCOMPARE(std[0].low, 10.0);
        QCOMPARE(std[0].high, 14.0);
        const auto minMax = aggregateCurves({{{0, 1}, {1, 2}}, {{0, 5}, {1, 3}}}, Band::MinMax);
        QCOMPARE(minMax.size(), size_t(2));
        QCOMPARE(minMax[1].mean, 2.5);
        QCOMPARE(minMax[1].low, 2.0);
        QCOMPARE(minMax[1].high, 3.0);
        const BootstrapOptions options{10000, 0.95, 7};
        const auto boot = aggregateCurves(kMembers, Band::Bootstrap, options);
        const Interval expected = bootstrapMean({10, 12, 14}, options);
        QCOMPARE(boot[0].low, expected.low);
        QCOMPARE(boot[0].high, expected.high);
        // Three runs: a resample of three equal values is likely enough (1/27) to reach the 2.5 % quantile.
        QVERIFY(boot[0].low >= 10.0 && boot[0].low < 12.0 && boot[0].high > 12.0 && boot[0].high <= 14.0);
    }

    // One run: no spread to show, the band collapses onto the mean.
    void singleRun() {
        for (Band band : {Band::Std, Band::MinMax, Band::Bootstrap}) {
            const auto one = aggregateCurves({{{0, 3}, {1, 4}}}, band);
            QCOMPARE(one.size(), size_t(2));
            QCOMPARE(one[1].low, 4.0);
            QCOMPARE(one[1].high, 4.0);
        }
        QVERIFY(aggregateCurves({}, Band::Std).empty());
    }

    void descriptions() {
        const std::vector<RunGroup> groups = {{R"({"rule":"backprop","a":1,"b":"x"})", {0}},
                                              {R"({"rule":"backprop","a":2,"b":"x","c":true})", {1}}};
        const auto d = groupDescriptions(groups);
        QCOMPARE(d.size(), size_t(2));
        QCOMPARE(d[0], std::string("a=1"));
        QCOMPARE(d[1], std::string("a=2, c=true"));
        QCOMPARE(groupDescriptions({groups[0]}).front(), std::string());
        QCOMPARE(groupName(1), std::string("G2"));
    }
};

QTEST_APPLESS_MAIN(TestGroupCurve)
#include "tst_group_curve.moc"

// Group statistics: summaries, Welch's t-test against values computed independently, the percentile
// bootstrap's intervals and the verdict in words.
#include "core/study/statistics.h"
#include <QtTest>
#include <cmath>

using namespace bp::study;

namespace {

bool near(double a, double b, double relative) {
    return std::fabs(a - b) <= relative * std::fabs(b);
}

} // namespace

class TestStatistics : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    // By hand: {2, 4, 4, 4, 5, 5, 7, 9} has mean 5 and squared deviations summing to 32, so the sample
    // std is sqrt(32 / 7).
    void summaryOfValues() {
        const Summary s = summary({2, 4, 4, 4, 5, 5, 7, 9});
        QCOMPARE(s.n, size_t(8));
        QCOMPARE(*s.mean, 5.0);
        QVERIFY(near(*s.std, std::sqrt(32.0 / 7.0), 1e-14));
        QCOMPARE(*s.min, 2.0);
        QCOMPARE(*s.max, 9.0);
    }

    // One run has a mean but no spread; none has neither. Nothing is NaN.
    void summaryOfFewValues() {
        const Summary one = summary({0.25});
        QCOMPARE(one.n, size_t(1));
        QCOMPARE(*one.mean, 0.25);
        QVERIFY(!one.std);
        QCOMPARE(*one.min, 0.25);
        const Summary none = summary({});
        QCOMPARE(none.n, size_t(0));
        QVERIFY(!none.mean && !none.std && !none.min && !none.max);
        QVERIFY(!mean({}));
        QVERIFY(!sampleStd({1.0}));
    }

    // Reference values: t and the Welch–Satterthwaite df from the formulas, and the two-sided p as the
    // regularized incomplete beta I_{ν/(ν+t²)}(ν/2, 1/2), all evaluated with mpmath 1.2.1 (Debian
    // python3-mpmath) at 30 significant digits by tests/study/welch_reference.py (scipy is not installed
    // here): an implementation independent of Boost.Math. The first two rows are the examples of Wikipedia's
    // "Welch's t-test" article, whose published rounded results they reproduce (t = −2.46, ν = 24.99, p =
    // 0.021; t = −1.57, ν = 9.90, p = 0.149).
    void welchAgainstReference_data() {
        QTest::addColumn<QVector<double>>("a");
        QTest::addColumn<QVector<double>>("b");
        QTest::addColumn<double>("t");
        QTest::addColumn<double>("df");
        QTest::addColumn<double>("p");
        QTest::addRow("wikipedia example 1")
            << QVector<double>{27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1,
                               21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4}
            << QVector<double>{27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0,
                               24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4}
            << -2.4553563982860051 << 24.988529290231414 << 0.021378001462867032;
        QTest::addRow("wikipedia example 2")
            << QVector<double>{17.2, 20.9, 22.6, 18.1, 21.7, 21.4, 23.5, 24.2, 14.7, 21.8}
            << QVector<double>{21.5, 22.8, 21.0, 23.0, 21.6, 23.6, 22.5, 20.7, 23.4, 21.8,
                               20.7, 21.7, 21.5, 22.5, 23.6, 21.5, 22.5, 23.5, 21.5, 21.8}
            << -1.5654335235985052 << 9.9047412486508289 << 0.14884169660532799;
        QTest::addRow("test errors of seeds")
            << QVector<double>{0.171, 0.168, 0.262, 0.331, 0.175}
            << QVector<double>{0.181, 0.190, 0.178, 0.185} << 1.1602590514758806 << 4.050874113694406
            << 0.30972360987920562;
        QTest::addRow("two runs each, fractional df")
            << QVector<double>{1.0, 2.0} << QVector<double>{4.0, 7.0} << -2.5298221281347035
            << 1.2195121951219512 << 0.20190845807082161;
    }
    void welchAgainstReference() {
        QFETCH(QVector<double>, a);
        QFETCH(QVector<double>, b);
        QFETCH(double, t);
        QFETCH(double, df);
        QFETCH(double, p);
        const WelchTest w = welchTTest({a.begin(), a.end()}, {b.begin(), b.end()});
        QVERIFY2(w.valid, w.message.c_str());
        QVERIFY2(near(w.t, t, 1e-12), QByteArray::number(w.t, 'g', 17));
        QVERIFY2(near(w.df, df, 1e-12), QByteArray::number(w.df, 'g', 17));
        QVERIFY2(near(w.p, p, 1e-9), QByteArray::number(w.p, 'g', 17));
        // Swapping the groups flips t and keeps p.
        const WelchTest swapped = welchTTest({b.begin(), b.end()}, {a.begin(), a.end()});
        QVERIFY(near(swapped.t, -t, 1e-12));
        QVERIFY(near(swapped.p, p, 1e-9));
    }

    void welchNeedsTwoRunsAndSpread() {
        const WelchTest one = welchTTest({0.2}, {0.1, 0.3});
        QVERIFY(!one.valid);
        QVERIFY2(one.message.find("at least 2 runs") != std::string::npos, one.message.c_str());
        QVERIFY(!welchTTest({}, {}).valid);
        const WelchTest flat = welchTTest({0.2, 0.2}, {0.3, 0.3});
        QVERIFY(!flat.valid);
        QVERIFY2(flat.message.find("neither group varies") != std::string::npos, flat.message.c_str());
        // One group without spread is fine: its variance only drops out of the formula.
        QVERIFY(welchTTest({0.2, 0.2, 0.2}, {0.25, 0.3, 0.35}).valid);
    }

    // By hand: resampling {0, 1} twice gives means 0, 0.5 and 1 with probabilities 1/4, 1/2 and 1/4, so
    // with 10,000 resamples the 2.5 % and 97.5 % quantiles are 0 and 1. A constant group gives a point.
    void bootstrapByHand() {
        const Interval two = bootstrapMean({0.0, 1.0});
        QVERIFY2(two.valid, two.message.c_str());
        QCOMPARE(two.estimate, 0.5);
        QCOMPARE(two.low, 0.0);
        QCOMPARE(two.high, 1.0);
        QCOMPARE(two.resamples, 10000);
        const Interval constant = bootstrapMean({3.0, 3.0, 3.0});
        QCOMPARE(constant.low, 3.0);
        QCOMPARE(constant.high, 3.0);
        // {0, 1} − {0, 0}: the same distribution as the first.
        const Interval difference = bootstrapMeanDifference({0.0, 1.0}, {0.0, 0.0});
        QCOMPARE(difference.low, 0.0);
        QCOMPARE(difference.high, 1.0);
    }

    // For many runs the percentile interval of a mean is close to the normal one, mean ± 1.96·s/√n.
    void bootstrapMatchesNormalApproximation() {
        std::vector<double> values;
        for (int i = 0; i < 200; ++i)
            values.push_back(std::fmod(i * 0.618034, 1.0)); // spread evenly over [0, 1)
        const double m = *mean(values);
        const double halfWidth = 1.96 * *sampleStd(values) / std::sqrt(200.0);
        const Interval interval = bootstrapMean(values);
        QVERIFY(std::fabs(interval.low - (m - halfWidth)) < 0.1 * halfWidth);
        QVERIFY(std::fabs(interval.high - (m + halfWidth)) < 0.1 * halfWidth);
    }

    void bootstrapIsDeterministic() {
        const std::vector<double> a{0.171, 0.168, 0.262, 0.331, 0.175, 0.21};
        const std::vector<double> b{0.181, 0.190, 0.178, 0.185, 0.2};
        const Interval first = bootstrapMeanDifference(a, b);
        const Interval again = bootstrapMeanDifference(a, b);
        QCOMPARE(first.low, again.low);
        QCOMPARE(first.high, again.high);
        BootstrapOptions other;
        other.seed = 2;
        const Interval otherSeed = bootstrapMeanDifference(a, b, other);
        QVERIFY(otherSeed.low != first.low || otherSeed.high != first.high);
        QVERIFY(first.low <= first.estimate && first.estimate <= first.high);
    }

    void wellSeparatedGroupsDiffer() {
        const std::vector<double> a{0.30, 0.31, 0.29, 0.32, 0.30, 0.28, 0.31, 0.30};
        const std::vector<double> b{0.17, 0.18, 0.16, 0.17, 0.19, 0.17, 0.16, 0.18};
        const Interval d = bootstrapMeanDifference(a, b);
        const double truth = *mean(a) - *mean(b);
        QVERIFY(d.low < truth && truth < d.high);
        QVERIFY(d.low > 0.0);
        QVERIFY(!d.containsZero());
        const Comparison c = compareGroups(a, b, "burstprop", "backprop");
        QVERIFY(!c.fewRuns);
        QVERIFY(c.welch.valid && c.welch.p < 1e-6);
        QVERIFY2(c.verdict.find("burstprop − backprop = 0.129") == 0, c.verdict.c_str());
        QVERIFY2(c.verdict.find("excludes zero") != std::string::npos, c.verdict.c_str());
        QVERIFY2(c.verdict.find("Caution") == std::string::npos, c.verdict.c_str());
    }

    void identicalGroupsDoNot() {
        const std::vector<double> a{0.171, 0.168, 0.262, 0.331, 0.175, 0.21};
        const Interval d = bootstrapMeanDifference(a, a);
        QCOMPARE(d.estimate, 0.0);
        QVERIFY(d.containsZero());
        const Comparison c = compareGroups(a, a);
        QVERIFY(c.welch.valid);
        QCOMPARE(c.welch.p, 1.0);
        QVERIFY2(c.verdict.find("contains zero") != std::string::npos, c.verdict.c_str());
    }

    void fewRunsAreFlagged() {
        const Comparison c = compareGroups({0.17, 0.25, 0.3}, {0.2, 0.21, 0.19, 0.22, 0.2, 0.18}, "A", "B");
        QVERIFY(c.fewRuns);
        QVERIFY2(c.verdict.find("Caution: A has only 3 runs") != std::string::npos, c.verdict.c_str());
        QVERIFY2(c.verdict.find("too narrow to trust") != std::string::npos, c.verdict.c_str());
    }

    // One run or none: no interval, no test, a message instead of NaN.
    void tooFewRunsForAnInterval() {
        const Interval one = bootstrapMean({0.2});
        QVERIFY(!one.valid);
        QVERIFY2(one.message.find("at least 2 runs") != std::string::npos, one.message.c_str());
        QVERIFY(!one.containsZero());
        QVERIFY(!bootstrapMean({}).valid);
        QVERIFY(!bootstrapMeanDifference({0.1, 0.2}, {0.3}).valid);

        const Comparison c = compareGroups({0.2}, {}, "A", "B");
        QVERIFY(!c.welch.valid && !c.difference.valid);
        QCOMPARE(c.a.n, size_t(1));
        QVERIFY(!c.b.mean);
        QVERIFY2(c.verdict.find("No comparison of A and B") == 0, c.verdict.c_str());
        QVERIFY2(c.verdict.find("A has only 1 run and B has no runs") != std::string::npos,
                 c.verdict.c_str());
        QVERIFY(c.verdict.find("nan") == std::string::npos);
    }

    void badOptionsAreRefused() {
        BootstrapOptions options;
        options.resamples = 1;
        QVERIFY(!bootstrapMean({0.1, 0.2}, options).valid);
        options = {};
        options.level = 1.0;
        QVERIFY(!bootstrapMean({0.1, 0.2}, options).valid);
    }
};

QTEST_GUILESS_MAIN(TestStatistics)
#include "tst_statistics.moc"

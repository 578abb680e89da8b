// Per-pixel min/max reduction and LTTB, on hand-computed cases and a million-point curve.
#include "ui/plots/reduction.h"
#include <QtTest>
#include <algorithm>
#include <cmath>

using bp::ui::CurvePoints;
using bp::ui::lttb;
using bp::ui::reduceMinMax;

namespace {

CurvePoints tenPoints() {
    CurvePoints c;
    c.y = {5, 1, 7, 3, 9, 2, 8, 4, 6, 0};
    for (int i = 0; i < c.y.size(); ++i)
        c.x << i;
    return c;
}

} // namespace

class TestReduction : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void handComputedBuckets_data() {
        QTest::addColumn<double>("lower");
        QTest::addColumn<double>("upper");
        QTest::addColumn<int>("pixels");
        QTest::addColumn<QVector<double>>("expectedX");
        // Columns x∈[0,5) and [5,10): first/min/max/last = i0/i1/i4/i4 and i5/i9/i6/i9.
        QTest::addRow("two columns") << 0.0 << 10.0 << 2 << QVector<double>{0, 1, 4, 5, 6, 9};
        // One column over x∈[2,7]: first i2 (7), max i4 (9), min i5 (2), last i7 (4); neighbours i1 and i8.
        QTest::addRow("one column, neighbours") << 2.0 << 7.0 << 1 << QVector<double>{1, 2, 4, 5, 7, 8};
        // More columns than points: everything stays.
        QTest::addRow("every point") << 0.0 << 9.0 << 100 << QVector<double>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        // Entirely right of the data: only the last point, as the left neighbour.
        QTest::addRow("past the end") << 20.0 << 30.0 << 5 << QVector<double>{9};
        QTest::addRow("empty range") << 3.0 << 3.0 << 5 << QVector<double>{};
    }
    void handComputedBuckets() {
        QFETCH(double, lower);
        QFETCH(double, upper);
        QFETCH(int, pixels);
        QFETCH(QVector<double>, expectedX);
        const CurvePoints curve = tenPoints();
        const CurvePoints out = reduceMinMax(curve, lower, upper, pixels);
        QCOMPARE(out.x, expectedX);
        for (int i = 0; i < out.size(); ++i)
            QCOMPARE(out.y[i], curve.y[int(out.x[i])]); // pairs stay together
    }

    void spikeSurvivesAMillionPoints() {
        const int n = 1000000, spikeAt = 612345;
        CurvePoints c;
        c.x.resize(n);
        c.y.resize(n);
        for (int i = 0; i < n; ++i) {
            c.x[i] = i;
            c.y[i] = std::sin(i * 0.001) * 0.1;
        }
        c.y[spikeAt] = 50.0;
        c.y[spikeAt + 7] = -50.0;
        const int pixels = 800;
        const CurvePoints out = reduceMinMax(c, 0, n - 1, pixels);
        QVERIFY2(out.size() <= 4 * pixels + 2, qPrintable(QString::number(out.size())));
        QVERIFY(std::is_sorted(out.x.cbegin(), out.x.cend()));
        QCOMPARE(*std::max_element(out.y.cbegin(), out.y.cend()), 50.0);
        QCOMPARE(*std::min_element(out.y.cbegin(), out.y.cend()), -50.0);
        QVERIFY(out.x.contains(spikeAt));
        QCOMPARE(out.x.first(), 0.0);
        QCOMPARE(out.x.last(), double(n - 1));
    }

    void logColumnsAreEvenInLogX() {
        // y = x over 1 … 10⁶ on a 6-pixel log axis: one column per decade, so each keeps its first and last.
        CurvePoints c;
        for (int i = 1; i <= 1000000; ++i) {
            c.x << i;
            c.y << i;
        }
        const CurvePoints out = reduceMinMax(c, 1.0, 1e6, 6, true);
        QVERIFY2(out.size() <= 4 * 6 + 2 && out.size() >= 10, qPrintable(QString::number(out.size())));
        QCOMPARE(out.x.first(), 1.0);
        QCOMPARE(out.x.last(), 1e6);
        // A linear bucketing would put 1 … 166666 in one column; here the first decades keep their ends.
        QVERIFY(out.x.contains(1.0) && out.x.contains(1e6));
        QVERIFY(std::count_if(out.x.cbegin(), out.x.cend(), [](double x) { return x < 1000; }) >= 4);
        QVERIFY(reduceMinMax(c, 0.0, 10.0, 6, true).x.isEmpty()); // a log axis cannot start at 0
    }

    void lttbHandComputed() {
        // n = 5, 3 points: one bucket of i1..i3 between the first and the last. The triangle with (0,0) and
        // the last point (4,0) is largest for the peak at i2.
        CurvePoints c;
        c.x = {0, 1, 2, 3, 4};
        c.y = {0, 0, 10, 0, 0};
        const CurvePoints out = lttb(c, 3);
        QCOMPARE(out.x, (QVector<double>{0, 2, 4}));
        QCOMPARE(out.y, (QVector<double>{0, 10, 0}));
    }

    void lttbKeepsEndsAndCount_data() {
        QTest::addColumn<int>("n");
        QTest::addColumn<int>("count");
        QTest::addColumn<int>("expected");
        QTest::addRow("10k to 500") << 10000 << 500 << 500;
        QTest::addRow("1M to 1000") << 1000000 << 1000 << 1000;
        QTest::addRow("count above n") << 100 << 500 << 100;
        QTest::addRow("count below 3") << 100 << 2 << 100;
        QTest::addRow("n - 1") << 50 << 49 << 49;
    }
    void lttbKeepsEndsAndCount() {
        QFETCH(int, n);
        QFETCH(int, count);
        QFETCH(int, expected);
        CurvePoints c;
        for (int i = 0; i < n; ++i) {
            c.x << i * 0.5;
            c.y << std::cos(i * 0.01) + (i == n / 3 ? 9.0 : 0.0);
        }
        const CurvePoints out = lttb(c, count);
        QCOMPARE(out.size(), expected);
        QCOMPARE(out.x.first(), c.x.first());
        QCOMPARE(out.x.last(), c.x.last());
        QVERIFY(std::is_sorted(out.x.cbegin(), out.x.cend()));
        QVERIFY(std::adjacent_find(out.x.cbegin(), out.x.cend()) == out.x.cend()); // no point twice
        QVERIFY(out.y.contains(c.y[n / 3])); // the spike is the largest triangle of its bucket
    }
};

QTEST_APPLESS_MAIN(TestReduction)
#include "tst_reduction.moc"

// TensorBoard's debiased EMA, checked against values worked out by hand.
#include "ui/plots/smoothing.h"
#include <QtTest>
#include <cmath>
#include <limits>

using bp::ui::debiasedEma;

namespace {
const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

bool sameValue(double a, double b) {
    if (std::isnan(a) || std::isnan(b))
        return std::isnan(a) && std::isnan(b);
    if (std::isinf(a) || std::isinf(b))
        return a == b;
    return std::abs(a - b) < 1e-4;
}
} // namespace

class TestSmoothing : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void handComputed_data() {
        QTest::addColumn<QVector<double>>("values");
        QTest::addColumn<double>("weight");
        QTest::addColumn<QVector<double>>("expected");
        // last = 0.5, 0.5/0.5 = 1; last = 1.25, 1.25/0.75 = 1.6667; last = 2.125, 2.125/0.875 = 2.4286
        QTest::addRow("1,2,3 w=0.5") << QVector<double>{1, 2, 3} << 0.5
                                     << QVector<double>{1, 1.66667, 2.42857};
        // last = 0, 0/0.5 = 0; last = 5, 5/0.75 = 6.6667
        QTest::addRow("0,10 w=0.5") << QVector<double>{0, 10} << 0.5 << QVector<double>{0, 6.66667};
        // The first shown value is the first input whatever the weight: the debiasing removes the zero start.
        QTest::addRow("first value kept") << QVector<double>{4} << 0.99 << QVector<double>{4};
        QTest::addRow("constant stays constant")
            << QVector<double>{2, 2, 2, 2} << 0.9 << QVector<double>{2, 2, 2, 2};
        // last = 0.1·10 = 1 → 1/0.1 = 10; last = 0.9 + 0 = 0.9 → 0.9/0.19 = 4.7368
        QTest::addRow("10,0 w=0.9") << QVector<double>{10, 0} << 0.9 << QVector<double>{10, 4.73684};
        QTest::addRow("w=0 returns the input")
            << QVector<double>{3, -1, 7} << 0.0 << QVector<double>{3, -1, 7};
        QTest::addRow("negative w returns the input")
            << QVector<double>{3, -1} << -0.5 << QVector<double>{3, -1};
        QTest::addRow("empty") << QVector<double>{} << 0.6 << QVector<double>{};
    }
    void handComputed() {
        QFETCH(QVector<double>, values);
        QFETCH(double, weight);
        QFETCH(QVector<double>, expected);
        const QVector<double> shown = debiasedEma(values, weight);
        QCOMPARE(shown.size(), expected.size());
        for (int i = 0; i < shown.size(); ++i)
            QVERIFY2(
                sameValue(shown[i], expected[i]),
                qPrintable(QStringLiteral("at %1: %2, expected %3").arg(i).arg(shown[i]).arg(expected[i])));
    }

    void nonFiniteValuesPassThrough_data() {
        QTest::addColumn<QVector<double>>("values");
        QTest::addColumn<QVector<double>>("expected");
        // The NaN neither shows smoothed nor enters the average: the 3 is the second averaged value,
        // last = 0.25 + 1.5 = 1.75, 1.75/0.75 = 2.3333.
        QTest::addRow("NaN") << QVector<double>{1, kNaN, 3} << QVector<double>{1, kNaN, 2.33333};
        QTest::addRow("+inf") << QVector<double>{1, kInf, 3} << QVector<double>{1, kInf, 2.33333};
        QTest::addRow("-inf first") << QVector<double>{-kInf, 1, 2} << QVector<double>{-kInf, 1, 1.66667};
        QTest::addRow("all NaN") << QVector<double>{kNaN, kNaN} << QVector<double>{kNaN, kNaN};
    }
    void nonFiniteValuesPassThrough() {
        QFETCH(QVector<double>, values);
        QFETCH(QVector<double>, expected);
        const QVector<double> shown = debiasedEma(values, 0.5);
        QCOMPARE(shown.size(), expected.size());
        for (int i = 0; i < shown.size(); ++i)
            QVERIFY2(sameValue(shown[i], expected[i]),
                     qPrintable(QStringLiteral("at %1: %2").arg(i).arg(shown[i])));
    }

    void heavySmoothingStaysBounded() {
        // At w = 0.999 over many points the output stays within the inputs' range (no blow-up from wⁿ).
        QVector<double> values;
        for (int i = 0; i < 100000; ++i)
            values << (i % 2 ? 1.0 : -1.0);
        const QVector<double> shown = debiasedEma(values, 0.999);
        for (double v : shown)
            QVERIFY(v >= -1.0 && v <= 1.0);
        QVERIFY(std::abs(shown.last()) < 0.01); // converges on the mean
    }
};

QTEST_APPLESS_MAIN(TestSmoothing)
#include "tst_smoothing.moc"

// ConfusionMatrix: exact counts by (true, predicted) class, row and column sums, per-class error (none for a
// class that never occurs), the overall error, batches given as tensors, and the CSV layout.
#include "core/metrics/confusion.h"
#include "core/util/error.h"
#include <QtTest>
#include <cmath>

using namespace bp;

namespace {

using Pairs = QVector<QPair<int, int>>; // (true, predicted) per example

at::Tensor column(const Pairs& pairs, bool predicted) {
    std::vector<int64_t> v;
    for (const auto& [t, p] : pairs)
        v.push_back(predicted ? p : t);
    return at::tensor(v, at::kLong);
}

} // namespace

class TestConfusion : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void counts_data() {
        QTest::addColumn<int>("classes");
        QTest::addColumn<Pairs>("pairs");
        QTest::addColumn<QVector<qint64>>("expected");   // row-major counts
        QTest::addColumn<QVector<double>>("classError"); // percent; -1: the class never occurs
        QTest::addColumn<double>("error");
        QTest::newRow("all right") << 3 << Pairs{{0, 0}, {1, 1}, {2, 2}, {2, 2}}
                                   << QVector<qint64>{1, 0, 0, 0, 1, 0, 0, 0, 2} << QVector<double>{0, 0, 0}
                                   << 0.0;
        // Class 2 never occurs; it is predicted once.
        QTest::newRow("a class never present")
            << 3 << Pairs{{0, 0}, {0, 2}, {1, 1}, {1, 0}, {1, 1}, {0, 0}}
            << QVector<qint64>{2, 0, 1, 1, 2, 0, 0, 0, 0} << QVector<double>{100.0 / 3.0, 100.0 / 3.0, -1}
            << 100.0 / 3.0;
        QTest::newRow("always wrong") << 2 << Pairs{{0, 1}, {1, 0}, {1, 0}} << QVector<qint64>{0, 1, 2, 0}
                                      << QVector<double>{100, 100} << 100.0;
        QTest::newRow("empty") << 2 << Pairs{} << QVector<qint64>{0, 0, 0, 0} << QVector<double>{-1, -1}
                               << 0.0;
    }

    void counts() {
        QFETCH(int, classes);
        QFETCH(Pairs, pairs);
        QFETCH(QVector<qint64>, expected);
        QFETCH(QVector<double>, classError);
        QFETCH(double, error);
        ConfusionMatrix one(classes), batch(classes), halves(classes);
        for (const auto& [t, p] : pairs)
            one.add(t, p);
        batch.add(column(pairs, false), column(pairs, true));
        const int64_t half = pairs.size() / 2;
        const Pairs first = pairs.mid(0, half), second = pairs.mid(half);
        halves.add(column(first, false), column(first, true));
        halves.add(column(second, false), column(second, true));
        for (const ConfusionMatrix* m : {&one, &batch, &halves}) {
            QCOMPARE(m->classes(), classes);
            QCOMPARE(m->total(), int64_t(pairs.size()));
            int64_t diagonal = 0;
            for (int t = 0; t < classes; ++t) {
                int64_t row = 0;
                for (int p = 0; p < classes; ++p) {
                    QCOMPARE(m->count(t, p), int64_t(expected[t * classes + p]));
                    row += expected[t * classes + p];
                }
                QCOMPARE(m->present(t), row);
                diagonal += expected[t * classes + t];
                const std::optional<double> e = m->classError(t);
                if (classError[t] < 0)
                    QVERIFY(!e);
                else
                    QVERIFY2(e && std::abs(*e - classError[t]) < 1e-12, qPrintable(QString::number(t)));
            }
            for (int p = 0; p < classes; ++p) {
                int64_t col = 0;
                for (int t = 0; t < classes; ++t)
                    col += expected[t * classes + p];
                QCOMPARE(m->predictedAs(p), col);
            }
            QCOMPARE(m->correct(), diagonal);
            QVERIFY(std::abs(m->error() - error) < 1e-12);
        }
    }

    void weightedAndOutOfRange() {
        ConfusionMatrix m(2);
        m.add(1, 0, 5);
        QCOMPARE(m.count(1, 0), int64_t(5));
        QCOMPARE(m.total(), int64_t(5));
        QVERIFY_THROWS_EXCEPTION(Error, m.add(2, 0));
        QVERIFY_THROWS_EXCEPTION(Error, m.add(0, -1));
        QVERIFY_THROWS_EXCEPTION(Error, m.count(0, 2));
        QVERIFY_THROWS_EXCEPTION(Error, m.add(at::zeros({3}, at::kLong), at::zeros({2}, at::kLong)));
        // Labels in a batch outside the classes count as the nearest one (as evaluation's per-class sums).
        m.add(at::tensor(std::vector<int64_t>{7, -1}), at::tensor(std::vector<int64_t>{1, 0}));
        QCOMPARE(m.count(1, 1), int64_t(1));
        QCOMPARE(m.count(0, 0), int64_t(1));
    }

    void csv() {
        ConfusionMatrix m(3);
        m.add(0, 0, 4);
        m.add(0, 1);
        m.add(2, 1, 2);
        QCOMPARE(QString::fromStdString(m.csv()), QString("true\\predicted,0,1,2\n"
                                                          "0,4,1,0\n"
                                                          "1,0,0,0\n"
                                                          "2,0,2,0\n"));
        QCOMPARE(QString::fromStdString(m.csv({"a", "b", "c"})), QString("true\\predicted,a,b,c\n"
                                                                         "a,4,1,0\n"
                                                                         "b,0,0,0\n"
                                                                         "c,0,2,0\n"));
    }
};

QTEST_APPLESS_MAIN(TestConfusion)
#include "tst_confusion.moc"

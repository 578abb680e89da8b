// The thread tuner's decisions on step times given by hand: probe every core, probe one, keep the faster.
#include "core/train/thread_tuner.h"
#include <QtTest>

using bp::ThreadTuner;

class TestThreadTuner : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void choosesTheFasterCount_data() {
        QTest::addColumn<double>("manySeconds");
        QTest::addColumn<double>("oneSeconds");
        QTest::addColumn<int>("chosen");
        QTest::newRow("quiet machine: every core") << 0.002 << 0.0035 << 4;
        QTest::newRow("contended: one thread") << 0.06 << 0.004 << 1;
        QTest::newRow("one barely faster: every core") << 0.0040 << 0.0038 << 4;
    }
    void choosesTheFasterCount() {
        QFETCH(double, manySeconds);
        QFETCH(double, oneSeconds);
        QFETCH(int, chosen);
        ThreadTuner tuner(4, 100, 8);
        QCOMPARE(tuner.threadsForNextStep(), 4);
        for (int i = 0; i < 8; ++i) {
            QCOMPARE(tuner.threadsForNextStep(), 4);
            tuner.recordStep(i == 3 ? 1.0 : manySeconds, false); // one outlier does not move the median
        }
        tuner.recordStep(9.0, true); // a step that measured angles: not counted
        for (int i = 0; i < 8; ++i) {
            QCOMPARE(tuner.threadsForNextStep(), 1);
            tuner.recordStep(oneSeconds, false);
        }
        QCOMPARE(tuner.choices(), 1);
        QCOMPARE(tuner.threadsForNextStep(), chosen);
        // It keeps the choice for the period, then probes again with every core.
        for (int i = 0; i < 100; ++i) {
            QCOMPARE(tuner.threadsForNextStep(), chosen);
            tuner.recordStep(0.01, false);
        }
        QCOMPARE(tuner.threadsForNextStep(), 4);
    }

    void singleCoreNeverProbes() {
        ThreadTuner tuner(1, 10, 2);
        for (int i = 0; i < 50; ++i) {
            QCOMPARE(tuner.threadsForNextStep(), 1);
            tuner.recordStep(0.01, false);
        }
        QCOMPARE(tuner.choices(), 0);
    }
};

QTEST_GUILESS_MAIN(TestThreadTuner)
#include "tst_thread_tuner.moc"

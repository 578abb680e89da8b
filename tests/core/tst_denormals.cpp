// FlushDenormals: while one is held, subnormal floats read and written as zero on the calling thread and
// on every thread of the OpenMP team that runs ATen's parallel work (a tensor large enough to be split
// over the team comes out all zeros); after it, IEEE behaviour again on all of them; and a team that grew
// meanwhile gets the mode with applyToTeam().
#include "core/nn/denormals.h"
#include <ATen/Parallel.h>
#include <QtTest>
#include <limits>

using bp::FlushDenormals;

class TestDenormals : public QObject {
    Q_OBJECT
    int threadsBefore_ = 1;

    // 2^18 subnormals (ATen splits an elementwise product above 32,768 elements), times one.
    static at::Tensor subnormalsTimesOne() {
        const at::Tensor tiny = at::full({1 << 18}, std::numeric_limits<float>::denorm_min() * 1000.0f);
        return tiny * at::ones_like(tiny);
    }
    static bool isZero(const at::Tensor& t) { return t.eq(0).all().item<bool>(); }
    static bool allSubnormal(const at::Tensor& t) {
        return (t.gt(0) & t.lt(std::numeric_limits<float>::min())).all().item<bool>();
    }

  private Q_SLOTS:
    void initTestCase() {
#if !defined(__x86_64__) && !defined(__i386__)
        QSKIP("FlushDenormals acts only on x86 (MXCSR)");
#endif
        threadsBefore_ = at::get_num_threads();
    }
    void cleanupTestCase() {
        at::set_num_threads(threadsBefore_);
    }

    void flushesOnEveryThreadWhileHeld_data() {
        QTest::addColumn<int>("threads");
        QTest::newRow("1 thread") << 1;
        QTest::newRow("2 threads") << 2;
        QTest::newRow("4 threads") << 4;
    }
    void flushesOnEveryThreadWhileHeld() {
        QFETCH(int, threads);
        at::set_num_threads(threads);
        QVERIFY(!FlushDenormals::activeOnTeam());
        QVERIFY(allSubnormal(subnormalsTimesOne()));
        {
            FlushDenormals flush;
            QVERIFY(FlushDenormals::activeOnTeam());
            QVERIFY(isZero(subnormalsTimesOne()));
            volatile float tiny = std::numeric_limits<float>::min() / 8.0f; // on this thread, outside ATen
            QCOMPARE(tiny * 1.0f, 0.0f);
        }
        QVERIFY(!FlushDenormals::activeOnTeam());
        QVERIFY(allSubnormal(subnormalsTimesOne()));
    }

    void aTeamThatGrewIsCoveredAfterApplyToTeam() {
        at::set_num_threads(1);
        FlushDenormals flush;
        at::set_num_threads(4);
        flush.applyToTeam();
        QVERIFY(FlushDenormals::activeOnTeam());
        QVERIFY(isZero(subnormalsTimesOne()));
    }

    void normalNumbersAreUntouched() {
        at::set_num_threads(2);
        const at::Tensor x = at::randn({100000});
        FlushDenormals flush;
        QVERIFY(at::equal(x * 3.0f, x.mul(3.0f)));
        QCOMPARE((at::full({4}, std::numeric_limits<float>::min()) * 1.0f)[0].item<float>(),
                 std::numeric_limits<float>::min());
    }
};

QTEST_GUILESS_MAIN(TestDenormals)
#include "tst_denormals.moc"

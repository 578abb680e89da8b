// Benchmark (label benchmark, not run by CI): the total training speed of a sweep of the 1-hidden-layer
// network (--hidden-widths 100) on MNIST-format data written here, 1 run at a time × 2 threads against 2 at a
// time × 1 thread. Prints both: ctest -R sweep_benchmark -V
#include "core/store/run_store.h"
#include "support/test_support.h"
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

using namespace bp;
using test::describe;

namespace {

constexpr int kTrainExamples = 20000;
constexpr int kRuns = 4;

} // namespace

class TestSweepBenchmark : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString binary_, dataDir_;

    // Runs the sweep and returns its training examples per second of wall-clock time (process starts, data
    // loading and evaluation included), and the mean of its runs' own training speed.
    std::pair<double, double> sweepSpeed(const QString& name, int parallel, int threads) {
        const QString db = tmp_.filePath(name + ".sqlite");
        QElapsedTimer timer;
        timer.start();
        const test::ProcessResult r = test::runProcess(
            binary_,
            {"sweep", "--grid", "hidden_lr=0.05,0.1,0.2,0.4", "--parallel", QString::number(parallel),
             "--threads", QString::number(threads), "--dataset", "mnist", "--data-dir", dataDir_,
             "--hidden-widths", "100", "-n_epochs", "1", "--db", db},
            600000);
        const double seconds = double(timer.nsecsElapsed()) * 1e-9;
        if (r.exitCode != 0)
            qFatal("%s", qPrintable(describe(r)));
        RunStore store(db.toStdString());
        double runSpeed = 0.0;
        int n = 0;
        for (const RunRecord& run : store.runsOfSweep(1)) {
            const std::vector<MetricPoint> speed = store.readMetrics(run.id, "examples_per_second");
            for (const MetricPoint& p : speed)
                runSpeed += p.value;
            n += int(speed.size());
        }
        return {double(kRuns) * kTrainExamples / seconds, n > 0 ? runSpeed / n : 0.0};
    }

  private Q_SLOTS:
    void initTestCase() {
        const QString missing = test::prepareTrainerTest(tmp_, &binary_, &dataDir_, kTrainExamples, 2000);
        QVERIFY2(missing.isEmpty(), qPrintable(missing));
    }

    void oneAtATimeAgainstTwo() {
        const auto [serial, serialRun] = sweepSpeed("serial", 1, 2);
        const auto [parallel, parallelRun] = sweepSpeed("parallel", 2, 1);
        qInfo("sweep of %d runs, 784-100-10 network, %d training examples each, %d cores:", kRuns,
              kTrainExamples, QThread::idealThreadCount());
        qInfo("  1 at a time x 2 threads: %.0f examples/s in total (each run trains at %.0f examples/s)",
              serial, serialRun);
        qInfo("  2 at a time x 1 thread:  %.0f examples/s in total (each run trains at %.0f examples/s)",
              parallel, parallelRun);
        QVERIFY(serial > 0 && parallel > 0);
    }
};

QTEST_GUILESS_MAIN(TestSweepBenchmark)
#include "tst_sweep_benchmark.moc"

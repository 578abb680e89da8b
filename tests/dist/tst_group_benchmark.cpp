// Benchmark (label benchmark, not run by CI): the default MNIST-format network (784-500-500-500-10,
// burstprop, batch 32) on real Fashion-MNIST images, one epoch of 20,000, trained by 1 process × 2 threads
// against 2 processes × 1 thread over Gloo (--nproc 2), alternated three times; prints each run's training
// examples/s (the epoch's own figure) and, for the group, the share of rank 0's time spent waiting for
// gradient sums. ctest -R group_benchmark -V
#include "core/store/run_store.h"
#include "support/test_support.h"
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>

using namespace bp;
using test::describe;

class TestGroupBenchmark : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString binary_;
    std::string fashion_;
    int round_ = 0;

    // One run; returns its epoch's examples/s and rank 0's communication message ("" for one process).
    std::pair<double, QString> trainOnce(const QStringList& how) {
        const QString db = tmp_.filePath(QString("r%1.sqlite").arg(round_++));
        const test::ProcessResult r =
            test::runProcess(binary_,
                             QStringList{"--data-dir", QString::fromStdString(fashion_), "-n_epochs", "1",
                                         "--train-limit", "20000", "--db", db, "--no-progress"} +
                                 how,
                             600000);
        if (r.exitCode != 0)
            qFatal("%s", qPrintable(describe(r)));
        RunStore store(db.toStdString());
        const RunRecord run = store.listRuns().at(0);
        const std::vector<MetricPoint> speed = store.readMetrics(run.id, "examples_per_second");
        QString waited;
        for (const RunMessage& m : store.messages(run.id))
            if (QString::fromStdString(m.text).contains("waited"))
                waited = QString::fromStdString(m.text);
        return {speed.empty() ? 0.0 : speed.back().value, waited};
    }

  private Q_SLOTS:
    void initTestCase() {
        binary_ = test::trainerBinary();
        fashion_ = test::fashionMnistDir();
        if (binary_.isEmpty() || fashion_.empty())
            QSKIP("needs BURSTPROP_TRAIN_BIN (run through CTest) and Debian's dataset-fashion-mnist");
        QVERIFY(tmp_.isValid());
    }

    void oneProcessAgainstTwo() {
        std::vector<double> one, two;
        for (int i = 0; i < 3; ++i) {
            one.push_back(trainOnce({"--threads", "2"}).first);
            const auto [speed, waited] = trainOnce({"--nproc", "2", "--threads", "1"});
            two.push_back(speed);
            qInfo("round %d: 1 process x 2 threads %.0f ex/s; 2 processes x 1 thread %.0f ex/s (%s)", i + 1,
                  one.back(), two.back(), qPrintable(waited));
        }
        std::sort(one.begin(), one.end());
        std::sort(two.begin(), two.end());
        qInfo("median: 1 x 2 threads %.0f ex/s, 2 x 1 thread %.0f ex/s, ratio %.2f", one[1], two[1],
              two[1] / one[1]);
    }
};

QTEST_GUILESS_MAIN(TestGroupBenchmark)
#include "tst_group_benchmark.moc"

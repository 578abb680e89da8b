// Prints the training speed of the default MNIST configuration: burstprop-train --benchmark with two
// threads and with one, beside the same step written the way the paper's PyTorch reference computes it
// (reference_speed.py, when python3 with torch is installed), in alternating rounds because a shared
// machine's speed drifts from one minute to the next; the speed-up is taken within each round. A benchmark:
// it checks that every figure was produced, not how large it is (README, "Speed").
#include "support/test_support.h"
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <cstdio>
#include <map>
#include <vector>

using namespace bp;

namespace {

constexpr int kRounds = 5;
constexpr int kSteps = 1500;
constexpr int kTimeoutMs = 300000;

// The examples_per_second=<x> figure a benchmark prints last, or -1 when it printed none.
double examplesPerSecond(const test::ProcessResult& r) {
    static const QRegularExpression figure(QStringLiteral("examples_per_second=([0-9.]+)"));
    QRegularExpressionMatch last;
    for (auto it = figure.globalMatch(r.out); it.hasNext();)
        last = it.next();
    return last.hasMatch() ? last.captured(1).toDouble() : -1.0;
}

bool pythonHasTorch() {
    const test::ProcessResult r = test::runProcess(test::kSystemPython, {"-c", "import torch"}, 60000);
    return r.exitStatus == QProcess::NormalExit && r.exitCode == 0;
}

} // namespace

class TestTrainingBenchmark : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void defaultConfiguration() {
        const QString binary = test::trainerBinary();
        QVERIFY2(!binary.isEmpty(), "BURSTPROP_TRAIN_BIN is not set (run the test through CTest)");
        // Speed does not depend on the pixels: the real Fashion-MNIST when installed, else images written
        // here.
        QTemporaryDir tmp;
        QStringList data;
        if (test::fashionMnistDir().empty()) {
            QVERIFY(test::writeBarDataset(tmp.path(), QStringLiteral("train"), 2048, 1));
            QVERIFY(test::writeBarDataset(tmp.path(), QStringLiteral("t10k"), 256, 2));
            data = {"--dataset", "mnist", "--data-dir", tmp.path(), "--no-download"};
        } else {
            data = {"--data-dir", QString::fromStdString(test::fashionMnistDir())};
        }
        const QString script = QStringLiteral(REFERENCE_SPEED_SCRIPT);
        const bool reference = pythonHasTorch();
        if (!reference)
            std::printf("/usr/bin/python3 with torch (Debian: python3-torch) is not installed: the "
                        "reference-style step is not timed\n");

        const QString two = QStringLiteral("burstprop-train, 2 thread(s)");
        const QString one = QStringLiteral("burstprop-train, 1 thread(s)");
        const QString ref = QStringLiteral("reference-style PyTorch step, 2 threads");
        std::map<QString, std::vector<double>> figures;
        auto runTrainer = [&](int threads) {
            const test::ProcessResult r =
                test::runProcess(binary,
                                 data + QStringList{"--benchmark", QString::number(kSteps), "--threads",
                                                    QString::number(threads)},
                                 kTimeoutMs);
            const double rate = examplesPerSecond(r);
            figures[threads == 2 ? two : one].push_back(rate);
            return rate > 0 ? QString() : test::describe(r);
        };
        // Each round: two threads, the reference-style step right after it (the two compared), one thread.
        std::vector<double> ratios;
        for (int round = 0; round < kRounds; ++round) {
            QString failure = runTrainer(2);
            QVERIFY2(failure.isEmpty(), qPrintable(failure));
            if (reference) {
                const test::ProcessResult r = test::runProcess(
                    test::kSystemPython, {script, QString::number(kSteps / 2), "2"}, kTimeoutMs);
                const double rate = examplesPerSecond(r);
                QVERIFY2(rate > 0, qPrintable(test::describe(r)));
                figures[ref].push_back(rate);
                ratios.push_back(figures[two].back() / rate);
            }
            failure = runTrainer(1);
            QVERIFY2(failure.isEmpty(), qPrintable(failure));
        }

        std::printf("\nDefault MNIST configuration (784-500-500-500-10, burstprop, learned recurrent input, "
                    "batch 32),"
                    " %d rounds\n%-44s %10s %10s %10s\n",
                    kRounds, "run", "lowest", "median", "highest");
        for (auto& [name, rates] : figures) {
            std::sort(rates.begin(), rates.end());
            std::printf("%-44s %10.0f %10.0f %10.0f\n", qPrintable(name), rates.front(),
                        rates[rates.size() / 2], rates.back());
        }
        if (!ratios.empty()) {
            std::sort(ratios.begin(), ratios.end());
            std::printf(
                "speed-up over the reference-style step in the same round: %.2fx to %.2fx, median %.2fx\n",
                ratios.front(), ratios.back(), ratios[ratios.size() / 2]);
        }
        std::fflush(stdout);
    }

    // The ImageNet net's step (batch 32, 224 × 224, the paper's channels, 1000 classes, learned feedback
    // weights) against layers_imagenet.py's autograd Functions on the same machine, in alternating rounds.
    void imagenetNetwork() {
        const QString binary = test::trainerBinary();
        QVERIFY2(!binary.isEmpty(), "BURSTPROP_TRAIN_BIN is not set (run the test through CTest)");
        const bool reference = pythonHasTorch();
        constexpr int kImagenetRounds = 3, kImagenetSteps = 6;
        std::vector<double> ours, theirs, ratios, convolutionShare;
        static const QRegularExpression share(QStringLiteral("convolution_fraction=([0-9.]+)"));
        for (int round = 0; round < kImagenetRounds; ++round) {
            const test::ProcessResult r =
                test::runProcess(binary,
                                 {"--dataset", "imagenet", "--benchmark", QString::number(kImagenetSteps),
                                  "-batch_size", "32", "--threads", "2", "--no-db"},
                                 kTimeoutMs);
            ours.push_back(examplesPerSecond(r));
            QVERIFY2(ours.back() > 0, qPrintable(test::describe(r)));
            if (!reference)
                continue;
            const test::ProcessResult p = test::runProcess(
                test::kSystemPython,
                {QStringLiteral(REFERENCE_IMAGENET_SPEED_SCRIPT), QString::number(kImagenetSteps), "2", "32"},
                kTimeoutMs);
            theirs.push_back(examplesPerSecond(p));
            QVERIFY2(theirs.back() > 0, qPrintable(test::describe(p)));
            ratios.push_back(ours.back() / theirs.back());
            const QRegularExpressionMatch m = share.match(p.out);
            if (m.hasMatch())
                convolutionShare.push_back(m.captured(1).toDouble());
        }
        auto median = [](std::vector<double> v) {
            std::sort(v.begin(), v.end());
            return v.empty() ? 0.0 : v[v.size() / 2];
        };
        std::printf("\nImageNet net (batch 32, 224 x 224, 48-48-96-96-192-192-384-1000, burstprop, learned "
                    "feedback), 2 threads, %d rounds\n",
                    kImagenetRounds);
        std::printf("burstprop-train: median %.1f examples/s\n", median(ours));
        if (reference)
            std::printf(
                "reference-style step (layers_imagenet.py): median %.1f examples/s, its convolutions %.0f "
                "%% of its step\nspeed-up in the same round: median %.2fx\n",
                median(theirs), 100 * median(convolutionShare), median(ratios));
        std::fflush(stdout);
    }
};

QTEST_GUILESS_MAIN(TestTrainingBenchmark)
#include "core/setup/defaults.h"
#include "tst_training_benchmark.moc"

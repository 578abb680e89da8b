// While the default MNIST-format run trains in the explorer: the longest stall of the GUI thread's event
// loop, and the training speed next to the same configuration trained by the CLI (burstprop-train, its own
// process, recording into a run store as by default). Prints figures; never fails on timing (this
// machine's speed swings with its neighbours).
#include "core/config/hyperparameters.h"
#include "core/events/observer.h"
#include "core/setup/defaults.h"
#include "core/store/run_store.h"
#include "support/test_support.h"
#include "ui/form/run_form.h"
#include "ui/window/main_window.h"
#include "ui/window/train_page.h"
#include <QElapsedTimer>
#include <QPushButton>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <numeric>
#include <sys/resource.h>
#include <vector>

using namespace bp;

namespace {

constexpr int kRounds = 4;

// The last examples/s the trainer recorded for the one run of a fresh store, or -1 (both the CLI and the
// explorer record the same metric, so the two figures come from the same code).
double recordedSpeed(RunStore& store) {
    const std::vector<RunRecord> runs = store.listRuns();
    if (runs.size() != 1)
        return -1.0;
    const std::vector<MetricPoint> speed = store.readMetrics(runs.front().id, "examples_per_second");
    return speed.empty() ? -1.0 : speed.back().value;
}

// CPU seconds this thread (the GUI thread) has used so far.
double threadCpuSeconds() {
    rusage usage{};
    getrusage(RUSAGE_THREAD, &usage);
    return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

QString range(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return QStringLiteral("%1 - %2").arg(v.front(), 0, 'f', 0).arg(v.back(), 0, 'f', 0);
}

// One epoch by burstprop-train as a user runs it (its own process, recording into a run store); appends
// the examples/s it recorded.
bool runCli(const QString& cli, const std::string& data, const QString& base, std::vector<double>& speeds) {
    const QString db = base + QStringLiteral(".sqlite");
    const test::ProcessResult r =
        test::runProcess(cli,
                         {"--data-dir", QString::fromStdString(data), "--db", db, "--threads", "1",
                          "-n_epochs", "1", "--json", base + QStringLiteral("-results")},
                         600000);
    if (r.exitStatus != QProcess::NormalExit || r.exitCode != 0) {
        qWarning("%s", qPrintable(test::describe(r)));
        return false;
    }
    RunStore store(db.toStdString());
    speeds.push_back(recordedSpeed(store));
    return speeds.back() > 0;
}

} // namespace

class TestExplorerBenchmark : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void trainingInTheExplorer() {
        const std::string data = test::fashionMnistDir();
        if (data.empty())
            QSKIP("Fashion-MNIST is not installed (dataset-fashion-mnist)");
        const QString cli = test::trainerBinary();
        QVERIFY2(!cli.isEmpty(), "BURSTPROP_TRAIN_BIN is not set (run the test through CTest)");
        RunConfig config = defaultConfig(DatasetKind::FashionMnist);
        config.dataDir = data;
        config.epochs = 1;
        // One training thread in both, so the GUI thread has a core of its own and neither figure depends on
        // the host's placement of the two vCPUs (see the README's Speed section).
        config.threads = 1;

        QTemporaryDir dir;
        std::vector<double> cliSpeeds, guiSpeeds;
        double longestGap = 0.0, longestDrain = 0.0, guiCpu = 0.0, guiWall = 0.0;
        // Alternating rounds, the CLI first in even rounds and the explorer first in odd ones: a shared
        // machine's speed drifts from one minute to the next, and each round's two runs are compared.
        for (int round = 0; round < kRounds; ++round) {
            for (int turn = 0; turn < 2; ++turn) {
                if ((turn == 0) == (round % 2 == 0)) {
                    QVERIFY(runCli(cli, data, dir.filePath(QStringLiteral("cli%1").arg(round)), cliSpeeds));
                    continue;
                }
                ui::MainWindow window(dir.filePath(QStringLiteral("gui%1.sqlite").arg(round)));
                window.form()->setConfig(config);
                window.show();
                QVERIFY(window.launchButton()->isEnabled());
                QElapsedTimer sinceTick;
                QTimer ticker;
                ticker.setInterval(5);
                QObject::connect(&ticker, &QTimer::timeout, [&] {
                    longestGap = std::max(longestGap, sinceTick.nsecsElapsed() / 1e6);
                    sinceTick.restart();
                });
                const double cpuBefore = threadCpuSeconds();
                QElapsedTimer wall;
                wall.start();
                window.launch();
                sinceTick.start();
                ticker.start();
                QTRY_VERIFY_WITH_TIMEOUT(window.lastStatus() && isFinal(*window.lastStatus()), 600000);
                ticker.stop();
                guiCpu += threadCpuSeconds() - cpuBefore;
                guiWall += static_cast<double>(wall.elapsed()) / 1000.0;
                QCOMPARE(test::statusName(*window.lastStatus()), QStringLiteral("completed"));
                guiSpeeds.push_back(recordedSpeed(*window.store()));
                QVERIFY(guiSpeeds.back() > 0);
                longestDrain = std::max(longestDrain, window.trainPage()->longestDrainMs());
            }
        }
        std::vector<double> ratios;
        QString perRound;
        for (int round = 0; round < kRounds; ++round) {
            ratios.push_back(100.0 * guiSpeeds[round] / cliSpeeds[round]);
            perRound += QStringLiteral("%1%2").arg(round ? ", " : "").arg(ratios.back(), 0, 'f', 1);
        }
        const double cliMean = std::accumulate(cliSpeeds.begin(), cliSpeeds.end(), 0.0) / kRounds;
        const double guiMean = std::accumulate(guiSpeeds.begin(), guiSpeeds.end(), 0.0) / kRounds;
        qInfo(
            "one epoch of Fashion-MNIST, default network, 1 training thread, %d alternating rounds: explorer "
            "(plotting live) %s examples/s, CLI %s examples/s; explorer/CLI per round %s %%, median %.1f %%, "
            "of the means %.1f %% (target >= 95 %%); longest event-loop stall %.1f ms (target < 50 ms), "
            "longest "
            "drain of the training reports %.1f ms; the GUI thread busy %.1f %% of the time (its 5 ms ticker "
            "included)",
            kRounds, qPrintable(range(guiSpeeds)), qPrintable(range(cliSpeeds)), qPrintable(perRound),
            median(ratios), 100.0 * guiMean / cliMean, longestGap, longestDrain, 100.0 * guiCpu / guiWall);
    }
};

QTEST_MAIN(TestExplorerBenchmark)
#include "tst_explorer_benchmark.moc"

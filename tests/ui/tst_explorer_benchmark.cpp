// While the default MNIST-format run trains in the explorer: the longest stall of the GUI thread's event
// loop, and the training speed next to the same configuration trained by the CLI (burstprop-train, its own
// process, recording into a run store as by default). Prints figures; never fails on timing (this
// machine's speed swings with its neighbours).
#include "core/config/hyperparameters.h"
#include "core/store/run_store.h"
#include "core/train/observer.h"
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
#include <vector>

using namespace bp;

namespace {

constexpr int kRounds = 2;

// The last examples/s the trainer recorded for the one run of a fresh store, or -1 (both the CLI and the
// explorer record the same metric, so the two figures come from the same code).
double recordedSpeed(RunStore& store) {
    const std::vector<RunRecord> runs = store.listRuns();
    if (runs.size() != 1)
        return -1.0;
    const std::vector<MetricPoint> speed = store.readMetrics(runs.front().id, "examples_per_second");
    return speed.empty() ? -1.0 : speed.back().value;
}

QString range(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return QStringLiteral("%1 - %2").arg(v.front(), 0, 'f', 0).arg(v.back(), 0, 'f', 0);
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
        double longestGap = 0.0, longestDrain = 0.0;
        // Alternating rounds: a shared machine's speed drifts from one minute to the next.
        for (int round = 0; round < kRounds; ++round) {
            // The CLI as a user runs it: its own process, recording into a run store.
            const QString cliDb = dir.filePath(QStringLiteral("cli%1.sqlite").arg(round));
            const test::ProcessResult r =
                test::runProcess(cli,
                                 {"--data-dir", QString::fromStdString(data), "--db", cliDb, "--threads", "1",
                                  "-n_epochs", "1", "--json", dir.filePath(QStringLiteral("cli-results%1").arg(round))},
                                 600000);
            QVERIFY2(r.exitStatus == QProcess::NormalExit && r.exitCode == 0, qPrintable(test::describe(r)));
            RunStore cliStore(cliDb.toStdString());
            cliSpeeds.push_back(recordedSpeed(cliStore));
            QVERIFY(cliSpeeds.back() > 0);

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
            window.launch();
            sinceTick.start();
            ticker.start();
            QTRY_VERIFY_WITH_TIMEOUT(window.lastStatus() && isFinal(*window.lastStatus()), 600000);
            ticker.stop();
            QCOMPARE(test::statusName(*window.lastStatus()), QStringLiteral("completed"));
            guiSpeeds.push_back(recordedSpeed(*window.store()));
            QVERIFY(guiSpeeds.back() > 0);
            longestDrain = std::max(longestDrain, window.trainPage()->longestDrainMs());
        }
        const double cliMean = std::accumulate(cliSpeeds.begin(), cliSpeeds.end(), 0.0) / kRounds;
        const double guiMean = std::accumulate(guiSpeeds.begin(), guiSpeeds.end(), 0.0) / kRounds;
        qInfo("one epoch of Fashion-MNIST, default network, 1 training thread, %d alternating rounds: explorer "
              "(plotting live) %s examples/s, CLI %s examples/s; explorer/CLI %.1f %% (means); longest event-loop "
              "stall %.1f ms (target < 50 ms), longest drain of the training reports %.1f ms",
              kRounds, qPrintable(range(guiSpeeds)), qPrintable(range(cliSpeeds)), 100.0 * guiMean / cliMean,
              longestGap, longestDrain);
    }
};

QTEST_MAIN(TestExplorerBenchmark)
#include "tst_explorer_benchmark.moc"

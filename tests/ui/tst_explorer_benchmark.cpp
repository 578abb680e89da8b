// While the default MNIST-format run trains in the explorer: the longest stall of the GUI thread's event
// loop, and the training speed next to the same configuration trained without a GUI. Prints figures; never
// fails on timing (this machine's speed swings with its neighbours).
#include "core/config/hyperparameters.h"
#include "core/store/run_store.h"
#include "core/train/trainer.h"
#include "support/test_support.h"
#include "ui/form/run_form.h"
#include "ui/window/main_window.h"
#include "ui/window/train_page.h"
#include <QElapsedTimer>
#include <QLineEdit>
#include <QPushButton>
#include <QTemporaryDir>
#include <QtTest>

using namespace bp;

class TestExplorerBenchmark : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void trainingInTheExplorer() {
        const std::string data = test::fashionMnistDir();
        if (data.empty())
            QSKIP("Fashion-MNIST is not installed (dataset-fashion-mnist)");
        RunConfig config = defaultConfig(DatasetKind::FashionMnist);
        config.dataDir = data;
        config.epochs = 1;
        config.trainLimit = 16000;
        // One training thread in both, so the GUI thread has a core of its own and neither figure depends on
        // the host's placement of the two vCPUs (see the README's Speed section).
        config.threads = 1;

        // As the CLI trains: the same run through Trainer::run() on this thread, its own examples/s.
        struct LastRate : TrainingObserver {
            double examplesPerSecond = 0.0;
            void onBatch(const BatchReport& r) override { examplesPerSecond = r.examplesPerSecond; }
        } cliRate;
        Trainer plain(config, &cliRate);
        QCOMPARE(test::statusName(plain.run()), QStringLiteral("completed"));
        const double plainSpeed = cliRate.examplesPerSecond;

        QTemporaryDir dir;
        ui::MainWindow window(dir.filePath(QStringLiteral("bench.sqlite")));
        window.form()->setConfig(config);
        window.show();
        QVERIFY(window.launchButton()->isEnabled());
        QElapsedTimer sinceTick;
        double longestGap = 0.0;
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
        const std::vector<MetricPoint> speed =
            window.store()->readMetrics(window.trainPage()->currentRunId(), "examples_per_second");
        QVERIFY(!speed.empty());
        const double guiSpeed = speed.back().value;
        qInfo("explorer: %.0f examples/s while plotting live, as the CLI trains it %.0f examples/s (%.1f %%); longest "
              "event-loop stall %.1f ms (target < 50 ms), longest drain of the training reports %.1f ms",
              guiSpeed, plainSpeed, 100.0 * guiSpeed / plainSpeed, longestGap, window.trainPage()->longestDrainMs());
    }
};

QTEST_MAIN(TestExplorerBenchmark)
#include "tst_explorer_benchmark.moc"

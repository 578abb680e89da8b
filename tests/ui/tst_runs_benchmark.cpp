// Speed of the runs page on a store of 2,000 runs: opening, scrolling to the end (lazy pages) and a refresh,
// with the longest single stall of the event loop. Prints figures; never fails on timing.
#include "core/config/hyperparameters.h"
#include "core/setup/defaults.h"
#include "core/store/run_store.h"
#include "ui/runs/runs_table_model.h"
#include "ui/runs/runs_view.h"
#include <QElapsedTimer>
#include <QScrollBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

using namespace bp;

class TestRunsBenchmark : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void twoThousandRuns() {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("big.sqlite")).toStdString();
        {
            RunStore store(path);
            for (int i = 0; i < 2000; ++i) {
                const int64_t id =
                    store.createRun(defaultConfig(DatasetKind::Mnist), "run " + std::to_string(i));
                store.appendMetrics(id, {{"weight_angle/2", 1, 100, 1.7e9, 60.0 + i % 30},
                                         {"delta_angle/1", 1, 100, 1.7e9, 40.0 + i % 20}});
            }
        }
        QElapsedTimer clock;
        clock.start();
        RunStore store(path);
        ui::RunsView view;
        view.resize(1400, 900);
        view.setStore(&store);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QCoreApplication::processEvents();
        const double openMs = clock.nsecsElapsed() / 1e6;

        // Scroll page by page to the end, timing every step (each may fetch a page and read angles).
        double longest = 0.0, total = 0.0;
        int steps = 0;
        QScrollBar* bar = view.table()->verticalScrollBar();
        while (bar->value() < bar->maximum() || view.model()->canFetchMore({})) {
            QElapsedTimer step;
            step.start();
            bar->setValue(bar->value() + bar->pageStep());
            QCoreApplication::processEvents();
            const double ms = step.nsecsElapsed() / 1e6;
            longest = std::max(longest, ms);
            total += ms;
            if (++steps > 2000)
                break;
        }
        QCOMPARE(view.model()->rowCount(), 2000);
        QElapsedTimer refresh;
        refresh.start();
        view.model()->refresh();
        const double refreshMs = refresh.nsecsElapsed() / 1e6;
        qInfo("runs page, 2000 runs: open %.1f ms; scroll to the end %d steps, %.1f ms in all, longest step "
              "%.1f ms (target < 100 ms); refresh of all loaded rows %.1f ms",
              openMs, steps, total, longest, refreshMs);
    }
};

QTEST_MAIN(TestRunsBenchmark)
#include "tst_runs_benchmark.moc"

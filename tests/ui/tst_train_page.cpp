// The Train page as a newcomer meets it, through the real window (QT_QPA_PLATFORM=offscreen): shortcuts
// that keep working, presets that load when chosen, and views that show the run's latest state when they
// are opened after it ended. Small MNIST-format data the test writes; a run database per window.
#include "core/setup/defaults.h"
#include "core/store/run_store.h"
#include "support/explorer_window.h"
#include "support/test_support.h"
#include "ui/form/preset_bar.h"
#include "ui/form/run_form.h"
#include "ui/plots/angle_heatmap.h"
#include "ui/plots/metric_plot.h"
#include "ui/plots/qcustomplot_include.h"
#include "ui/plots/series_data.h"
#include "ui/plots/weight_scatter.h"
#include "ui/training/run_queue.h"
#include "ui/window/main_window.h"
#include "ui/window/run_plots.h"
#include "ui/window/train_page.h"
#include <QAbstractButton>
#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QPushButton>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

using namespace bp;

namespace {

QTabWidget* plotTabs(ui::MainWindow& w) {
    return w.trainPage()->plots()->findChild<QTabWidget*>();
}

} // namespace

class TestTrainPage : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString dataDir_;
    int windows_ = 0;

    std::unique_ptr<ui::MainWindow> makeWindow(int epochs, const QString& widths = QStringLiteral("32,16")) {
        auto w = test::smallRunWindow(tmp_.filePath(QStringLiteral("runs-%1.sqlite").arg(++windows_)),
                                      dataDir_, epochs, widths);
        w->show();
        w->activateWindow();
        return w;
    }

  private Q_SLOTS:
    void initTestCase() {
        QVERIFY(tmp_.isValid());
        dataDir_ = tmp_.filePath(QStringLiteral("data"));
        QVERIFY(test::writeSmallDataset(dataDir_));
    }

    // Renaming a button ("Launch after this run", "Resume") used to drop its shortcut after one use.
    void shortcutsWorkEveryTime() {
        auto w = makeWindow(1000);
        QVERIFY(QTest::qWaitForWindowActive(w.get()));
        ui::TrainPage* page = w->trainPage();
        for (int i = 0; i < 3; ++i)
            QTest::keyClick(w.get(), Qt::Key_Return, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(page->isTraining(), 10000);
        QCOMPARE(page->queue()->count(), 2); // the first launched, the next two "after this run"
        for (int i = 0; i < 3; ++i) {
            QTest::keyClick(w.get(), Qt::Key_P, Qt::ControlModifier);
            QCOMPARE(page->pauseButton()->text(),
                     i % 2 == 0 ? QStringLiteral("Resume") : QStringLiteral("Pause"));
        }
        QTRY_VERIFY_WITH_TIMEOUT(page->lastStatus() == RunStatus::Paused, 10000);
        QVERIFY2(page->statusText().contains(QStringLiteral("paused")) &&
                     page->statusText().contains(QStringLiteral("Ctrl+P resumes")),
                 qPrintable(page->statusText()));
        page->queue()->clear();
        QTest::keyClick(w.get(), Qt::Key_Period, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(!page->isTraining(), 30000);
        QCOMPARE(test::statusName(*page->lastStatus()), QStringLiteral("stopped"));

        // The Run menu shows each action with its shortcut.
        QMenu* run = nullptr;
        for (QAction* a : w->menuBar()->actions())
            if (a->text() == QStringLiteral("&Run"))
                run = a->menu();
        QVERIFY(run);
        QStringList shortcuts;
        for (QAction* a : run->actions())
            if (!a->shortcut().isEmpty())
                shortcuts << a->shortcut().toString(QKeySequence::PortableText);
        for (const char* key : {"Ctrl+Return", "Ctrl+Shift+Return", "Ctrl+P", "Ctrl+."})
            QVERIFY2(shortcuts.contains(QLatin1String(key)), qPrintable(shortcuts.join(',')));
        // A Help menu: the shortcuts, the documentation, about.
        QMenu* help = nullptr;
        for (QAction* a : w->menuBar()->actions())
            if (a->text() == QStringLiteral("&Help"))
                help = a->menu();
        QVERIFY(help);
        QStringList entries;
        for (QAction* a : help->actions())
            entries << a->text().remove(QLatin1Char('&'));
        QCOMPARE(entries, (QStringList{"Keyboard shortcuts", "Documentation", "About Burstprop Explorer"}));
    }

    // Choosing a preset loads it: Launch then trains the preset, not what the form showed before; Undo
    // brings the previous settings back.
    void chosenPresetIsWhatLaunches() {
        auto w = makeWindow(3);
        ui::PresetBar* bar = w->trainPage()->presetBar();
        QComboBox* box = bar->presetBox();
        const int smoke = box->findData(QStringLiteral("Smoke test (a few seconds)"));
        QVERIFY(smoke >= 0);
        box->setCurrentIndex(smoke - 1);
        box->setFocus();
        QTest::keyClick(box, Qt::Key_Down); // a user's choice, as from the popup
        QCOMPARE(bar->currentPresetName(), QStringLiteral("Smoke test (a few seconds)"));
        QCOMPARE(w->form()->numberField(QStringLiteral("n_epochs"))->text(), QStringLiteral("2"));
        QCOMPARE(w->form()->hiddenWidthsField()->text(), QStringLiteral("100"));
        QVERIFY(bar->undoButton()->isEnabled());

        QTest::mouseClick(bar->undoButton(), Qt::LeftButton);
        QCOMPARE(w->form()->numberField(QStringLiteral("n_epochs"))->text(), QStringLiteral("3"));
        QCOMPARE(w->form()->hiddenWidthsField()->text(), QStringLiteral("32,16"));
        QVERIFY(!bar->undoButton()->isEnabled());

        // Over an invalid form: the preset still loads (fields it does not name take their defaults), and
        // the form is valid again.
        w->form()->numberField(QStringLiteral("momentum"))->setText(QStringLiteral("7"));
        QVERIFY(!w->form()->isValid());
        QTest::keyClick(box, Qt::Key_Up);
        QTest::keyClick(box, Qt::Key_Down);
        QVERIFY2(w->form()->isValid(), qPrintable(w->form()->errors().join('\n')));
        QCOMPARE(w->form()->config().epochs, 2);
        QCOMPARE(w->form()->config().trainLimit, 10000);

        // The form's data folder is the test's (the preset names only the dataset's defaults).
        RunConfig c = w->form()->config();
        c.dataset = DatasetKind::Mnist;
        c.dataDir = dataDir_.toStdString();
        c.trainLimit = 200;
        c.threads = 1;
        w->form()->setConfig(c);
        QTest::mouseClick(w->launchButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(w->lastStatus() == RunStatus::Completed, 60000);
        const RunRecord run = *w->store()->getRun(w->trainPage()->currentRunId());
        QCOMPARE(run.epochsDone, 2);
        const RunConfig trained = configFromJson(run.configJson);
        QCOMPARE(trained.hiddenWidths, std::vector<int>{100});
        QCOMPARE(trained.epochs, 2);
    }

    // A refusal shown by the preset bar goes once the form is right again.
    void presetErrorGoesWhenTheFormIsFixed() {
        auto w = makeWindow(1);
        ui::PresetBar* bar = w->trainPage()->presetBar();
        QVERIFY(!bar->saveCurrentAs(QStringLiteral("Demo notebook"))); // a built-in name: refused
        QVERIFY(bar->statusLabel()->isVisibleTo(bar));
        w->form()->numberField(QStringLiteral("momentum"))->setText(QStringLiteral("7"));
        w->form()->numberField(QStringLiteral("momentum"))->setText(QStringLiteral("0.5"));
        QVERIFY(w->form()->isValid());
        QVERIFY(!bar->statusLabel()->isVisibleTo(bar));
    }

    // The W-Y scatter opened after the run ended, its tab hidden all along, shows the final weights.
    void scatterOpenedAfterTheRunShowsTheFinalWeights() {
        auto w = makeWindow(3);
        QTest::mouseClick(w->launchButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(w->lastStatus() == RunStatus::Completed, 60000);
        // The status line ends with the run's result.
        QVERIFY2(w->statusText().contains(QStringLiteral("completed · test error")) &&
                     w->statusText().contains(QStringLiteral("after epoch 3")),
                 qPrintable(w->statusText()));
        ui::RunPlots* plots = w->trainPage()->plots();
        QTabWidget* tabs = plotTabs(*w);
        QVERIFY(tabs);
        tabs->setCurrentIndex(2); // W against Y
        QVERIFY(plots->weightsVisible());
        ui::WeightScatter* scatter = plots->weightScatter();
        const int layer = plots->scatterLayerBox()->currentData().toInt();
        QCOMPARE(layer, 2); // the output layer
        // The final weight angle of that layer as recorded at the last epoch.
        const int64_t id = w->trainPage()->currentRunId();
        const std::vector<MetricPoint> recorded = w->store()->readMetrics(id, "weight_angle/2");
        QVERIFY(!recorded.empty());
        QCOMPARE(recorded.back().epoch, 3);
        QVERIFY2(std::abs(scatter->currentAngle() - recorded.back().value) < 1e-3,
                 qPrintable(QStringLiteral("scatter %1° against %2° recorded")
                                .arg(scatter->currentAngle())
                                .arg(recorded.back().value)));
    }

    // One hidden layer (the smoke preset's network): the heatmaps have one full-height row and a column
    // per measurement, along the run's steps.
    void oneLayerHeatmapsSpanTheRun() {
        auto w = makeWindow(2, QStringLiteral("24"));
        QTest::mouseClick(w->launchButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(w->lastStatus() == RunStatus::Completed, 60000);
        plotTabs(*w)->setCurrentIndex(1);
        for (ui::AngleHeatmap* map :
             {w->trainPage()->plots()->weightHeatmap(), w->trainPage()->plots()->deltaHeatmap()}) {
            QCOMPARE(map->layerCount(), 1);
            QVERIFY2(map->columnCount() > 10, qPrintable(QString::number(map->columnCount())));
            map->replot();
            const QCPRange x = map->plot()->xAxis->range();
            QVERIFY2(x.lower < 1 && x.upper > 30,
                     qPrintable(QStringLiteral("%1 .. %2").arg(x.lower).arg(x.upper)));
            // The one row fills the axis: the colour map's value extent is the row's -0.5 .. 0.5.
            const QCPRange cells = map->colorMap()->data()->valueRange();
            const QCPRange y = map->plot()->yAxis->range();
            QCOMPARE(y.lower, -0.5);
            QCOMPARE(y.upper, 0.5);
            QCOMPARE(cells.lower, -0.5);
            QCOMPARE(cells.upper, 0.5);
        }
    }

    // The Loss and Error panels show every batch (faint), live and when the run is loaded from the store,
    // placed within their epoch on the epoch axis.
    void lossAndErrorShowEveryBatch() {
        auto w = makeWindow(2);
        QTest::mouseClick(w->launchButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(w->lastStatus() == RunStatus::Completed, 60000);
        const int64_t id = w->trainPage()->currentRunId();
        const std::vector<MetricPoint> recorded = w->store()->readMetrics(id, "batch_loss");
        QCOMPARE(int(recorded.size()), 2 * 20); // 640 images in batches of 32, two epochs
        auto batchSeries = [](ui::MetricPlot* plot) {
            for (int i = 0; i < plot->seriesCount(); ++i)
                if (plot->seriesName(i) == QStringLiteral("train, per batch"))
                    return i;
            return -1;
        };
        for (ui::MetricPlot* plot : {w->lossPlot(), w->errorPlot()}) {
            const int series = batchSeries(plot);
            QVERIFY(series >= 0);
            QCOMPARE(plot->pointCount(series), 40);
        }
        QCOMPARE(w->lossPlot()->seriesData(batchSeries(w->lossPlot()))->values().back(),
                 recorded.back().value);

        ui::RunPlots loaded;
        loaded.loadFromStore(*w->store(), id);
        const int series = batchSeries(loaded.lossPlot());
        QCOMPARE(loaded.lossPlot()->pointCount(series), 40);
        const ui::SeriesData* data = loaded.lossPlot()->seriesData(series);
        const QVector<double> epochs = data->xs(ui::XAxisMode::Epoch);
        QCOMPARE(epochs.front(), 1.0 / 20); // the first batch of epoch 1
        QCOMPARE(epochs.back(), 2.0);       // the last of epoch 2
    }

    // On a 1280 × 800 screen (the window fitted to it) every control of the Train page is on screen: the
    // buttons, the plot toolbar's X-axis choice, the status line. The form scrolls; its fields may not.
    void everyControlIsReachableOn1280x800() {
        const QRect screen(0, 0, 1280, 800);
        const QSize fitted = ui::MainWindow::initialSize(screen);
        QVERIFY(fitted.width() <= screen.width() && fitted.height() <= screen.height() - 30);
        auto w = makeWindow(1);
        w->resize(fitted);
        QTest::qWait(50);
        QVERIFY2(w->width() <= screen.width() && w->height() <= screen.height(),
                 qPrintable(QStringLiteral("the window is %1 × %2").arg(w->width()).arg(w->height())));
        const QRect inside = w->rect();
        QWidget* scroll = w->form()->parentWidget();
        int checked = 0;
        for (QWidget* control : w->trainPage()->findChildren<QWidget*>()) {
            const bool isControl = qobject_cast<QAbstractButton*>(control) ||
                                   qobject_cast<QComboBox*>(control) ||
                                   control == w->trainPage()->findChild<QLabel*>();
            if (!isControl || !control->isVisibleTo(w.get()) || scroll->isAncestorOf(control))
                continue;
            const QRect r(control->mapTo(w.get(), QPoint(0, 0)), control->size());
            QVERIFY2(inside.contains(r), qPrintable(QStringLiteral("%1 '%2' at %3,%4 %5×%6 is outside %7×%8")
                                                        .arg(control->metaObject()->className(),
                                                             control->property("text").toString())
                                                        .arg(r.x())
                                                        .arg(r.y())
                                                        .arg(r.width())
                                                        .arg(r.height())
                                                        .arg(inside.width())
                                                        .arg(inside.height())));
            ++checked;
        }
        QVERIFY(checked > 10);
        QLabel* status = nullptr;
        for (QLabel* l : w->trainPage()->findChildren<QLabel*>())
            if (l->text() == QStringLiteral("Ready"))
                status = l;
        QVERIFY(status);
        QVERIFY(inside.contains(QRect(status->mapTo(w.get(), QPoint(0, 0)), status->size())));
    }
};

QTEST_MAIN(TestTrainPage)
#include "tst_train_page.moc"

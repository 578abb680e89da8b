// The comparison view over a real database of three runs with known metrics: figures at the final, best and
// a chosen epoch, the overlaid curves (what they show said in titles and legends, epoch points never
// smoothed, legends clear of the data), the parallel coordinates, the figure export and the empty page's
// hint.
#include "core/config/run_config.h"
#include "core/setup/defaults.h"
#include "core/store/run_store.h"
#include "ui/compare/compare_view.h"
#include "ui/compare/hyperparameter_panel.h"
#include "ui/compare/hyperparameter_table_model.h"
#include "ui/compare/parallel_coordinates_data.h"
#include "ui/compare/parallel_coordinates_plot.h"
#include "ui/compare/run_figures_model.h"
#include "ui/plots/metric_plot.h"
#include "ui/plots/plot_toolbar.h"
#include "ui/plots/qcustomplot_include.h"
#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QtTest>

using namespace bp;
using namespace bp::ui;

namespace {

// Test error (%) of run r at epochs 0..3; run 2 stopped after epoch 2.
const QVector<QVector<double>> kTestError = {{90, 20, 15, 12}, {90, 10, 8, 9}, {90, 30, 25}};
const double kHiddenLr[] = {0.1, 0.2, 0.05};

// Epoch e ends at step 10·e; its 9 batches take steps 10·e − 9 .. 10·e − 1. Losses and angles follow simple
// formulas (the expected values below are worked out by hand from them). Each angle layer is also measured
// mid-epoch with a decoy value that an epoch figure must not pick up.
std::vector<MetricSample> runMetrics(int r) {
    std::vector<MetricSample> out;
    for (int e = 0; e < kTestError[r].size(); ++e) {
        const int64_t step = 10 * e;
        const double wall = 1.7e9 + double(step);
        const double trainLoss = 2.0 - 0.5 * e + 0.1 * r;
        out.push_back({"train_loss", e, step, wall, trainLoss});
        out.push_back({"train_error", e, step, wall, kTestError[r][e] - 2});
        out.push_back({"test_loss", e, step, wall, trainLoss + 0.05});
        out.push_back({"test_error", e, step, wall, kTestError[r][e]});
        if (r == 2) // recorded by this version only: the older runs r0 and r1 have none
            out.push_back({"test_silent_classes", e, step, wall, e == 0 ? 8.0 : 3.0 - e});
        // Keyed by the layer's index in the network: weight angles of layers 1 and 2, delta angles of 0
        // and 1.
        for (int i = 0; i < 2; ++i) {
            const std::string weight = "weight_angle/" + std::to_string(i + 1);
            const std::string delta = "delta_angle/" + std::to_string(i);
            out.push_back({weight, e, step, wall, 80.0 - 10 * e + 4 * i + r});
            out.push_back({delta, e, step, wall, 60.0 - 5 * e + 2 * i + r});
            if (e > 0) {
                out.push_back({weight, e, step - 5, wall - 5, 45.0});
                out.push_back({delta, e, step - 5, wall - 5, 45.0});
            }
        }
        for (int b = 1; e > 0 && b <= 9; ++b) {
            out.push_back({"batch_loss", e, step - 10 + b, wall - 10 + b, trainLoss + 0.01 * b});
            out.push_back({"batch_error", e, step - 10 + b, wall - 10 + b, 50.0 - b});
        }
    }
    return out;
}

double cell(const RunFiguresModel& m, int row, int column) {
    const QVariant v = m.data(m.index(row, column), RunFiguresModel::ValueRole);
    return v.isValid() ? v.toDouble() : std::nan("");
}

int seriesNamed(const MetricPlot* plot, const QString& name) {
    for (int s = 0; s < plot->seriesCount(); ++s)
        if (plot->seriesName(s) == name)
            return s;
    return -1;
}

QString titleOf(const MetricPlot* plot) {
    auto* title = qobject_cast<QCPTextElement*>(plot->plot()->plotLayout()->element(0, 0));
    return title ? title->text() : QString();
}

QStringList legendNames(const MetricPlot* plot) {
    QStringList names;
    QCPLegend* legend = plot->plot()->legend;
    for (int i = 0; i < legend->itemCount(); ++i)
        if (auto* item = qobject_cast<QCPPlottableLegendItem*>(legend->item(i)))
            names << item->plottable()->name();
    return names;
}

QVector<double> drawnValues(QCPGraph* graph) {
    QVector<double> out;
    for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd(); ++it)
        out << it->value;
    return out;
}

} // namespace

class TestCompareView : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::unique_ptr<RunStore> store_;
    QVector<int64_t> ids_;

  private Q_SLOTS:
    void initTestCase() {
        store_ = std::make_unique<RunStore>(dir_.filePath(QStringLiteral("runs.sqlite")).toStdString());
        for (int r = 0; r < 3; ++r) {
            RunConfig c = defaultConfig(DatasetKind::Mnist, "burstprop");
            c.hiddenLr = kHiddenLr[r];
            c.seed = uint64_t(r + 1);
            c.epochs = 3;
            c.hiddenWidths = {32, 16}; // layers 0, 1, 2: hidden 1, hidden 2, output
            const int64_t id = store_->createRun(c, "r" + std::to_string(r));
            store_->appendMetrics(id, runMetrics(r));
            ids_ << id;
        }
    }

    void figures_data() {
        QTest::addColumn<int>("mode");
        QTest::addColumn<int>("epoch");
        QTest::addColumn<int>("row");
        QTest::addColumn<int>("shownEpoch"); // -1: the run has no such epoch, every cell empty
        QTest::addColumn<double>("trainLoss");
        QTest::addColumn<double>("trainError");
        QTest::addColumn<double>("testLoss");
        QTest::addColumn<double>("testError");
        QTest::addColumn<double>("weightAngle"); // mean of the two layers at the epoch's step
        QTest::addColumn<double>("deltaAngle");
        const int final = int(RunFiguresModel::Mode::Final), best = int(RunFiguresModel::Mode::Best),
                  at = int(RunFiguresModel::Mode::AtEpoch);
        QTest::addRow("final r0") << final << 0 << 0 << 3 << 0.5 << 10.0 << 0.55 << 12.0 << 52.0 << 46.0;
        QTest::addRow("final r1") << final << 0 << 1 << 3 << 0.6 << 7.0 << 0.65 << 9.0 << 53.0 << 47.0;
        QTest::addRow("final r2 (stopped at 2)")
            << final << 0 << 2 << 2 << 1.2 << 23.0 << 1.25 << 25.0 << 64.0 << 53.0;
        QTest::addRow("best r0") << best << 0 << 0 << 3 << 0.5 << 10.0 << 0.55 << 12.0 << 52.0 << 46.0;
        QTest::addRow("best r1 (epoch 2)")
            << best << 0 << 1 << 2 << 1.1 << 6.0 << 1.15 << 8.0 << 63.0 << 52.0;
        QTest::addRow("best r2") << best << 0 << 2 << 2 << 1.2 << 23.0 << 1.25 << 25.0 << 64.0 << 53.0;
        QTest::addRow("epoch 1 r0") << at << 1 << 0 << 1 << 1.5 << 18.0 << 1.55 << 20.0 << 72.0 << 56.0;
        QTest::addRow("epoch 1 r2") << at << 1 << 2 << 1 << 1.7 << 28.0 << 1.75 << 30.0 << 74.0 << 58.0;
        QTest::addRow("epoch 0 r1") << at << 0 << 1 << 0 << 2.1 << 88.0 << 2.15 << 90.0 << 83.0 << 62.0;
        QTest::addRow("epoch 3 r2 (none)") << at << 3 << 2 << -1 << 0.0 << 0.0 << 0.0 << 0.0 << 0.0 << 0.0;
    }
    void figures() {
        QFETCH(int, mode);
        QFETCH(int, epoch);
        QFETCH(int, row);
        QFETCH(int, shownEpoch);
        CompareView view;
        view.setStore(store_.get());
        view.setRuns(ids_);
        RunFiguresModel* model = view.figuresModel();
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        // Through the tab's controls, as a user would
        view.figuresModeBox()->setCurrentIndex(view.figuresModeBox()->findData(mode));
        view.figuresEpochBox()->setValue(epoch);
        QCOMPARE(int(model->mode()), mode);
        QCOMPARE(view.figuresEpochBox()->isEnabled(), mode == int(RunFiguresModel::Mode::AtEpoch));
        QCOMPARE(view.figuresEpochBox()->maximum(), 3);
        QCOMPARE(model->headerData(row, Qt::Vertical).toString(),
                 QStringLiteral("#%1 r%2").arg(ids_[row]).arg(row));
        if (shownEpoch < 0) {
            for (int c = 0; c < RunFiguresModel::ColumnCount; ++c)
                QVERIFY(!model->data(model->index(row, c)).isValid());
            return;
        }
        QCOMPARE(cell(*model, row, RunFiguresModel::Epoch), double(shownEpoch));
        QCOMPARE(model->data(model->index(row, RunFiguresModel::Epoch)).toString(),
                 QString::number(shownEpoch));
        QFETCH(double, trainLoss);
        QFETCH(double, trainError);
        QFETCH(double, testLoss);
        QFETCH(double, testError);
        QFETCH(double, weightAngle);
        QFETCH(double, deltaAngle);
        QCOMPARE(cell(*model, row, RunFiguresModel::TrainLoss), trainLoss);
        QCOMPARE(cell(*model, row, RunFiguresModel::TrainError), trainError);
        QCOMPARE(cell(*model, row, RunFiguresModel::TestLoss), testLoss);
        QCOMPARE(cell(*model, row, RunFiguresModel::TestError), testError);
        QCOMPARE(cell(*model, row, RunFiguresModel::WeightAngle), weightAngle);
        QCOMPARE(cell(*model, row, RunFiguresModel::DeltaAngle), deltaAngle);
        QCOMPARE(model->data(model->index(row, RunFiguresModel::TestError)).toString(),
                 QString::number(testError, 'f', 2));
        // Silent classes: recorded for r2 only; the other runs' cells stay empty.
        const QVariant silent = model->data(model->index(row, RunFiguresModel::SilentClasses));
        if (row == 2)
            QCOMPARE(silent.toString(), QString::number(shownEpoch == 0 ? 8 : 3 - shownEpoch));
        else
            QVERIFY(!silent.isValid());
    }

    void plotsOverlayOneSeriesPerRun() {
        CompareView view;
        view.setStore(store_.get());
        view.setRuns(ids_);
        QVERIFY(view.lastError().isEmpty());
        const QList<MetricPlot*> plots = view.plots();
        QCOMPARE(plots.size(), 4);
        for (MetricPlot* plot : plots)
            QCOMPARE(plot->xAxisMode(), XAxisMode::Epoch);
        const int epochs[] = {4, 4, 3};
        for (int r = 0; r < 3; ++r) {
            const QString label = QStringLiteral("#%1 r%2").arg(ids_[r]).arg(r);
            // Loss and error: the per-epoch test values, and the batches (9 per trained epoch) faint behind.
            for (MetricPlot* plot : {plots[0], plots[1]}) {
                QCOMPARE(plot->seriesCount(), 6);
                const int epochSeries = seriesNamed(plot, label + QStringLiteral(" · test"));
                QVERIFY(epochSeries >= 0);
                QCOMPARE(plot->pointCount(epochSeries), epochs[r]);
                const int batchSeries = seriesNamed(plot, label + QStringLiteral(" · train (batch)"));
                QVERIFY(batchSeries >= 0);
                QCOMPARE(plot->pointCount(batchSeries), 9 * (epochs[r] - 1));
            }
            // Angles: the top layer (1), its epoch and mid-epoch measurements
            for (MetricPlot* plot : {plots[2], plots[3]}) {
                QCOMPARE(plot->seriesCount(), 3);
                // Named as on the Train page: the top weight angle is the output layer's, the top delta
                // angle the top hidden layer's.
                const int s = seriesNamed(plot, label + (plot == plots[2] ? QStringLiteral(" · output")
                                                                          : QStringLiteral(" · hidden 2")));
                QVERIFY(s >= 0);
                QCOMPARE(plot->pointCount(s), epochs[r] + (epochs[r] - 1));
            }
        }
        // The top layer's values at the epoch steps, for run 0 in epoch order: 80 − 10e + 4 + 0
        const MetricPlot* weight = plots[2];
        const SeriesData* data =
            weight->seriesData(seriesNamed(weight, QStringLiteral("#%1 r0 · output").arg(ids_[0])));
        QCOMPARE(data->values(), (QVector<double>{84, 45, 74, 45, 64, 45, 54}));
        // Batch steps drawn at fractional epochs: step 5 is half way through epoch 1
        QCOMPARE(data->xs(XAxisMode::Epoch), (QVector<double>{0, 0.5, 1, 1.5, 2, 2.5, 3}));
        QCOMPARE(data->xs(XAxisMode::Step), (QVector<double>{0, 5, 10, 15, 20, 25, 30}));
    }

    void parallelCoordinates() {
        CompareView view;
        view.setStore(store_.get());
        view.setRuns(ids_);
        ParallelCoordinatesPlot* plot = view.parallelPlot();
        QCOMPARE(plot->axisNames(), (QStringList{"hidden_lr", "seed", QString::fromUtf8(kFinalTestErrorAxis),
                                                 QString::fromUtf8(kFinalWeightAngleAxis)}));
        QCOMPARE(plot->lineCount(), 3);
        QVERIFY(plot->message().isEmpty());
        const ParallelCoordinates& data = plot->data();
        QCOMPARE(data.axes[0].min, 0.05);
        QCOMPARE(data.axes[0].max, 0.2);
        QCOMPARE(data.axes[2].min, 9.0);
        QCOMPARE(data.axes[2].max, 25.0);
        QCOMPARE(data.axes[3].min, 52.0);
        QCOMPARE(data.axes[3].max, 64.0);
        QCOMPARE(data.lines[2].values, (QVector<double>{0.05, 3, 25, 64}));

        // Hovering run 2's line at the last axis highlights it
        plot->resize(800, 400);
        const QPointF at = plot->pointOf(2, 3);
        QMouseEvent move(QEvent::MouseMove, at, plot->mapToGlobal(at), Qt::NoButton, Qt::NoButton,
                         Qt::NoModifier);
        QCoreApplication::sendEvent(plot, &move);
        QCOMPARE(plot->hoveredLine(), 2);
        QCOMPARE(plot->lineToolTip(2), QStringLiteral("#%1 r2: test error 25.00 %").arg(ids_[2]));
        QCOMPARE(plot->lineAt(QPointF(1, 1)), -1);
        QImage image(plot->size(), QImage::Format_ARGB32);
        plot->render(&image); // paints without failing

        view.setRuns({ids_[0]});
        QCOMPARE(plot->lineCount(), 0);
        QVERIFY(!plot->message().isEmpty());
        view.setRuns({});
        QCOMPARE(plot->lineCount(), 0);
        QVERIFY(!plot->message().isEmpty());
        plot->render(&image);
    }

    void differencesOnlyBoxDrivesTheTable() {
        CompareView view;
        view.setStore(store_.get());
        view.setRuns(ids_);
        HyperparameterTableModel* model = view.hyperparameterModel();
        QCOMPARE(model->columnCount(), 3);
        view.differencesOnlyBox()->setChecked(true);
        QStringList names;
        for (int r = 0; r < model->rowCount(); ++r)
            names << model->rowName(r);
        // Same status (queued), host, versions, device, threads and epochs ("0 / 3"): no fact differs.
        QCOMPARE(names, (QStringList{"hidden_lr", "seed"}));
    }

    void hyperparameterTableCopiesAndExports() {
        CompareView view;
        view.setStore(store_.get());
        view.setRuns(ids_);
        view.differencesOnlyBox()->setChecked(true);
        HyperparameterPanel* panel = view.hyperparameterPanel();
        const QString csv = QStringLiteral("parameter,#%1 r0,#%2 r1,#%3 r2\r\nhidden_lr,0.1,0.2,0.05\r\n"
                                           "seed,1,2,3\r\n")
                                .arg(ids_[0])
                                .arg(ids_[1])
                                .arg(ids_[2]);
        panel->findChild<QPushButton*>(QStringLiteral("copy_csv"))->click();
        QCOMPARE(QGuiApplication::clipboard()->text(), csv);
        panel->findChild<QPushButton*>(QStringLiteral("copy_md"))->click();
        QCOMPARE(QGuiApplication::clipboard()->text(), panel->tableText(QStringLiteral("md")));
        QVERIFY(panel->tableText(QStringLiteral("md")).startsWith(QStringLiteral("| parameter | #")));

        // Export chooses the format by the extension
        QString error;
        const QString tex = dir_.filePath(QStringLiteral("table.tex"));
        QVERIFY2(panel->exportTable(tex, &error), qPrintable(error));
        QFile file(tex);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(file.readAll()), panel->tableText(QStringLiteral("tex")));
        const QString bad = dir_.filePath(QStringLiteral("missing/table.csv"));
        QVERIFY(!panel->exportTable(bad, &error));
        QVERIFY(error.contains(bad));
    }

    void exportFiguresWritesPng() {
        CompareView view;
        view.setStore(store_.get());
        view.setRuns(ids_);
        const QString path = dir_.filePath(QStringLiteral("figures.png"));
        QString error;
        QVERIFY2(view.exportFigures(path, &error), qPrintable(error));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.read(8), QByteArray("\x89PNG\r\n\x1a\n", 8));
        QVERIFY(!view.exportFigures(dir_.filePath(QStringLiteral("figures.txt")), &error));
        QVERIFY(error.contains(QStringLiteral("figures.txt")));
    }

    // Which layer an angle is: the plots show each run's top layer (numbered in the legend), the figures
    // table and the parallel coordinates a mean over the layers, and say so.
    void anglesSayWhichLayer() {
        CompareView view;
        view.setStore(store_.get());
        view.setRuns(ids_);
        const QList<MetricPlot*> plots = view.plots();
        for (MetricPlot* plot : {plots[2], plots[3]})
            QVERIFY2(titleOf(plot).contains(QStringLiteral("top layer")), qPrintable(titleOf(plot)));
        QStringList weight, delta;
        for (int r = 0; r < 3; ++r) {
            weight << QStringLiteral("#%1 r%2 · output").arg(ids_[r]).arg(r);
            delta << QStringLiteral("#%1 r%2 · hidden 2").arg(ids_[r]).arg(r);
        }
        QCOMPARE(legendNames(plots[2]), weight);
        QCOMPARE(legendNames(plots[3]), delta);
        const RunFiguresModel* figures = view.figuresModel();
        for (int column : {int(RunFiguresModel::WeightAngle), int(RunFiguresModel::DeltaAngle)}) {
            const QString header = figures->headerData(column, Qt::Horizontal).toString();
            QVERIFY2(header.contains(QStringLiteral("layer mean")), qPrintable(header));
            const QString tip = figures->headerData(column, Qt::Horizontal, Qt::ToolTipRole).toString();
            QVERIFY2(tip.contains(QStringLiteral("averaged over the layers")) &&
                         tip.contains(QStringLiteral("top layer")),
                     qPrintable(tip));
        }
        QVERIFY(view.parallelPlot()->axisNames().last().contains(QStringLiteral("layer mean")));
    }

    // The loss and error panels say that the epoch points are test values and the faint ones training.
    void lossAndErrorSayTestOrTrain() {
        CompareView view;
        view.setStore(store_.get());
        view.setRuns(ids_);
        for (MetricPlot* plot : view.plots().mid(0, 2)) {
            const QString title = titleOf(plot);
            QVERIFY2(title.startsWith(QStringLiteral("Test")) && title.contains(QStringLiteral("training")),
                     qPrintable(title));
            const QStringList names = legendNames(plot);
            QCOMPARE(names.size(), 3); // the faint batch curves are not in the legend
            for (const QString& name : names)
                QVERIFY2(name.endsWith(QStringLiteral(" · test")), qPrintable(name));
            for (int s = 0; s < plot->seriesCount(); ++s)
                QVERIFY(plot->seriesName(s).endsWith(QStringLiteral(" · test")) ||
                        plot->seriesName(s).endsWith(QStringLiteral(" · train (batch)")));
        }
    }

    // At any smoothing the epoch points are drawn as recorded (the last one is the run's final test error);
    // the dense batch curves are smoothed.
    void smoothingLeavesEpochPointsAsRecorded() {
        CompareView view;
        view.setStore(store_.get());
        view.setRuns(ids_);
        MetricPlot* loss = view.plots()[0];
        MetricPlot* error = view.plots()[1];
        for (double weight : {0.0, 0.5, 0.9, 0.999}) {
            view.toolbar()->setSmoothing(weight);
            QCOMPARE(error->smoothing(), weight);
            for (int r = 0; r < 3; ++r) {
                const QString label = QStringLiteral("#%1 r%2").arg(ids_[r]).arg(r);
                const int test = seriesNamed(error, label + QStringLiteral(" · test"));
                QCOMPARE(drawnValues(error->curveGraph(test)), kTestError[r]);
                const int epochs = kTestError[r].size();
                QCOMPARE(drawnValues(loss->curveGraph(seriesNamed(loss, label + QStringLiteral(" · test"))))
                             .last(),
                         2.0 - 0.5 * (epochs - 1) + 0.1 * r + 0.05);
                const int batch = seriesNamed(error, label + QStringLiteral(" · train (batch)"));
                if (weight > 0.0) // smoothed, the raw values faint behind
                    QVERIFY(drawnValues(error->curveGraph(batch)) != drawnValues(error->rawGraph(batch)));
                else
                    QVERIFY(!error->rawGraph(batch)->visible());
            }
        }
    }

    // The legends sit below the axes, covering no data: on screen and in the exported figure.
    void legendsHideNoData() {
        CompareView view;
        view.resize(1400, 1000);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setStore(store_.get());
        view.setRuns(ids_);
        for (MetricPlot* plot : view.plots()) {
            QCustomPlot* p = plot->plot();
            p->replot(QCustomPlot::rpImmediateRefresh);
            QCOMPARE(legendNames(plot).size(), 3);
            QVERIFY(p->legend->visible());
            QVERIFY(!p->legend->outerRect().intersects(p->axisRect()->rect()));
            QVERIFY(p->rect().contains(p->legend->outerRect()));
        }
        int layouts = 0, overlaps = 0;
        for (MetricPlot* plot : view.plots()) {
            QCustomPlot* p = plot->plot();
            connect(p, &QCustomPlot::afterLayout, this, [&layouts, &overlaps, p] {
                ++layouts;
                overlaps += p->legend->outerRect().intersects(p->axisRect()->rect()) ? 1 : 0;
            });
        }
        QString error;
        QVERIFY2(view.exportFigures(dir_.filePath(QStringLiteral("legends.png")), &error), qPrintable(error));
        QVERIFY(layouts >= 4);
        QCOMPARE(overlaps, 0);
    }

    // Before anything is compared the page says how to compare runs; the hint goes once runs are shown.
    void emptyPageSaysHowToCompare() {
        CompareView view;
        view.resize(900, 700);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(view.isEmpty());
        QVERIFY(view.placeholder()->isVisible());
        const QString hint = view.placeholder()->text();
        QVERIFY2(hint.contains(QStringLiteral("Runs page")) && hint.contains(QStringLiteral("Compare")),
                 qPrintable(hint));
        QVERIFY(!view.plots().front()->isVisible());
        view.setStore(store_.get());
        QVERIFY(view.isEmpty());
        view.setRuns(ids_);
        QVERIFY(!view.isEmpty());
        QVERIFY(!view.placeholder()->isVisible());
        QVERIFY(view.plots().front()->isVisible());
        view.setRuns({9999}); // a run deleted since
        QVERIFY(view.isEmpty());
        view.setRuns(ids_);
        view.setStore(nullptr);
        QVERIFY(view.isEmpty());
    }

    void noStoreEmptiesTheView() {
        CompareView view;
        view.setStore(store_.get());
        view.setRuns(ids_);
        view.setStore(nullptr);
        QCOMPARE(view.hyperparameterModel()->columnCount(), 0);
        QCOMPARE(view.figuresModel()->rowCount(), 0);
        for (MetricPlot* plot : view.plots())
            QCOMPARE(plot->seriesCount(), 0);
    }
};

QTEST_MAIN(TestCompareView)
#include "tst_compare_view.moc"

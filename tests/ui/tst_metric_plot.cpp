// MetricPlot offscreen: smoothing (and series left unsmoothed), log axes, x-axis modes, the legend beside the
// data and its toggling, zoom re-reduction, hover.
#include "ui/plots/hover_readout.h"
#include "ui/plots/metric_plot.h"
#include "ui/plots/qcustomplot_include.h"
#include "ui/plots/smoothing.h"
#include <QtTest>
#include <cmath>
#include <memory>

using namespace bp::ui;

Q_DECLARE_METATYPE(bp::ui::XAxisMode)

namespace {

QVector<double> keys(QCPGraph* graph) {
    QVector<double> out;
    for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd(); ++it)
        out << it->key;
    return out;
}

QVector<double> values(QCPGraph* graph) {
    QVector<double> out;
    for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd(); ++it)
        out << it->value;
    return out;
}

int visibleGraphs(QCustomPlot* plot) {
    int count = 0;
    for (int i = 0; i < plot->graphCount(); ++i)
        count += plot->graph(i)->visible() ? 1 : 0;
    return count;
}

std::unique_ptr<MetricPlot> shownPlot() {
    auto plot = std::make_unique<MetricPlot>(QStringLiteral("Loss"), QStringLiteral("MSE"));
    plot->resize(640, 400);
    plot->show();
    if (!QTest::qWaitForWindowExposed(plot.get()))
        qWarning("window not exposed");
    return plot;
}

// A flat curve of n points at x = 0 … n − 1 with one spike.
int addSpikyCurve(MetricPlot& plot, int n, int spikeAt, double spike) {
    const int s = plot.addSeries(QStringLiteral("train"), Qt::blue);
    for (int i = 0; i < n; ++i)
        plot.addPoint(s, i, i == spikeAt ? spike : 1.0 + 0.01 * (i % 7));
    return s;
}

} // namespace

class TestMetricPlot : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void oldAddPointMeansEpoch() {
        auto plot = shownPlot();
        const int s = plot->addSeries(QStringLiteral("test"), Qt::red, false, true);
        plot->addPoint(s, 0, 0.5);
        plot->addPoint(s, 1, 0.25);
        plot->addPoint(s, 2, std::numeric_limits<double>::quiet_NaN()); // ignored, as before
        plot->replot();
        QCOMPARE(plot->pointCount(s), 2);
        QCOMPARE(keys(plot->curveGraph(s)), (QVector<double>{0, 1}));
        QCOMPARE(values(plot->curveGraph(s)), (QVector<double>{0.5, 0.25}));
        QCOMPARE(plot->plot()->xAxis->label(), QStringLiteral("epoch"));
        // layerSeries finds the series it made before.
        QCOMPARE(plot->layerSeries(QStringLiteral("layer"), 1, false),
                 plot->layerSeries(QStringLiteral("layer"), 1, false));
        QCOMPARE(plot->seriesCount(), 2);
    }

    void smoothingDrawsTwoGraphsPerSeries() {
        auto plot = shownPlot();
        const QVector<double> ys{1, 2, 3, 10, 4};
        const int a = plot->addSeries(QStringLiteral("a"), Qt::blue);
        const int b = plot->addSeries(QStringLiteral("b"), Qt::red);
        for (int i = 0; i < ys.size(); ++i) {
            plot->addPoint(a, i, ys[i]);
            plot->addPoint(b, i, -ys[i]);
        }
        plot->replot();
        QCOMPARE(visibleGraphs(plot->plot()), 2); // no smoothing: one curve each
        plot->setSmoothing(0.5);
        QCOMPARE(plot->smoothing(), 0.5);
        QCOMPARE(visibleGraphs(plot->plot()), 4);
        QVERIFY(plot->rawGraph(a)->visible() && plot->curveGraph(a)->visible());
        QCOMPARE(values(plot->rawGraph(a)), ys);     // raw drawn as recorded
        QCOMPARE(plot->seriesData(a)->values(), ys); // and stored unchanged
        QCOMPARE(values(plot->curveGraph(a)), debiasedEma(ys, 0.5));
        QCOMPARE(values(plot->curveGraph(a))[1], 1.0 * 0.25 / 0.75 + 1.0 * 1.0 / 0.75); // 1.6667 by hand
        // Same colour, raw fainter.
        QCOMPARE(plot->rawGraph(a)->pen().color().rgb(), plot->curveGraph(a)->pen().color().rgb());
        QVERIFY(plot->rawGraph(a)->pen().color().alpha() < plot->curveGraph(a)->pen().color().alpha());
        plot->setSmoothing(2.0); // clamped
        QCOMPARE(plot->smoothing(), 0.999);
        plot->setSmoothing(0.0);
        QCOMPARE(visibleGraphs(plot->plot()), 2);
        QCOMPARE(values(plot->curveGraph(b)), (QVector<double>{-1, -2, -3, -10, -4}));
    }

    // A sparse series opted out of smoothing is drawn as recorded at any smoothing, without a raw copy.
    void unsmoothedSeriesStaysRaw() {
        auto plot = shownPlot();
        const QVector<double> ys{90, 60, 45, 37};
        const int epochs = plot->addSeries(QStringLiteral("test"), Qt::red, false, true);
        const int batches = plot->addSeries(QStringLiteral("batch"), Qt::red, true);
        for (int i = 0; i < ys.size(); ++i) {
            plot->addPoint(epochs, i, ys[i]);
            plot->addPoint(batches, i, ys[i]);
        }
        QVERIFY(plot->isSeriesSmoothed(epochs));
        plot->setSeriesSmoothed(epochs, false);
        QVERIFY(!plot->isSeriesSmoothed(epochs));
        for (double weight : {0.5, 0.9, 0.999}) {
            plot->setSmoothing(weight);
            QCOMPARE(values(plot->curveGraph(epochs)), ys);
            QVERIFY(!plot->rawGraph(epochs)->visible());
            QCOMPARE(values(plot->curveGraph(batches)), debiasedEma(ys, weight));
            QVERIFY(plot->rawGraph(batches)->visible());
        }
        plot->setSeriesSmoothed(epochs, true);
        plot->replot();
        QCOMPARE(values(plot->curveGraph(epochs)), debiasedEma(ys, 0.999));
    }

    // The legend has a row of its own below the axes: it covers no curve, however many entries it has (they
    // wrap onto as many lines as needed) and however narrow the plot.
    void legendCoversNoData_data() {
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("entries");
        QTest::addRow("two entries") << 640 << 2;
        QTest::addRow("twelve entries") << 640 << 12;
        QTest::addRow("narrow") << 300 << 6;
    }
    void legendCoversNoData() {
        QFETCH(int, width);
        QFETCH(int, entries);
        auto plot = shownPlot();
        plot->resize(width, 400);
        for (int e = 0; e < entries; ++e) {
            const int s =
                plot->addSeries(QStringLiteral("#%1 a run with a long name · test").arg(e), Qt::blue);
            for (int i = 0; i < 10; ++i)
                plot->addPoint(s, i, i * e);
        }
        plot->replot();
        QCustomPlot* p = plot->plot();
        p->replot(QCustomPlot::rpImmediateRefresh);
        QVERIFY(p->legend->visible());
        QVERIFY2(!p->legend->outerRect().intersects(p->axisRect()->rect()),
                 qPrintable(QStringLiteral("legend %1,%2 %3x%4")
                                .arg(p->legend->outerRect().x())
                                .arg(p->legend->outerRect().y())
                                .arg(p->legend->outerRect().width())
                                .arg(p->legend->outerRect().height())));
        QVERIFY(p->legend->outerRect().top() >= p->axisRect()->rect().bottom());
        QVERIFY(p->rect().contains(p->legend->outerRect()));
        QVERIFY(p->axisRect()->rect().height() > 50); // the axes keep most of the room
        // Exported at another size, laid out again the same way.
        bool overlap = true;
        connect(p, &QCustomPlot::afterLayout, this,
                [&overlap, p] { overlap = p->legend->outerRect().intersects(p->axisRect()->rect()); });
        const QPixmap image = p->toPixmap(1000, 600);
        QCOMPARE(image.width(), 1000);
        QVERIFY(!overlap);
    }

    void logAxesSkipNonPositive() {
        auto plot = shownPlot();
        const int s = plot->addSeries(QStringLiteral("loss"), Qt::blue);
        const QVector<double> ys{0.0, 1.0, 10.0, -3.0, 100.0};
        for (int i = 0; i < ys.size(); ++i)
            plot->addPoint(s, i, ys[i]);
        plot->setLogY(true);
        QCOMPARE(plot->plot()->yAxis->scaleType(), QCPAxis::stLogarithmic);
        QVERIFY(plot->plot()->yAxis->ticker().dynamicCast<QCPAxisTickerLog>());
        QCOMPARE(values(plot->curveGraph(s)), (QVector<double>{1, 10, 100}));
        QVERIFY(plot->plot()->yAxis->range().lower > 0.0);
        plot->setLogX(true); // epoch 0 goes too (it held y = 0 anyway); x = 1, 2, 4 remain
        QCOMPARE(keys(plot->curveGraph(s)), (QVector<double>{1, 2, 4}));
        QVERIFY(plot->plot()->xAxis->range().lower > 0.0);
        plot->setLogY(false);
        QCOMPARE(values(plot->curveGraph(s)), (QVector<double>{1, 10, -3, 100}));
        plot->setLogX(false);
        QCOMPARE(plot->pointCount(s), 5);
        QCOMPARE(plot->curveGraph(s)->dataCount(), 5);
    }

    void xAxisModes_data() {
        QTest::addColumn<XAxisMode>("mode");
        QTest::addColumn<QVector<double>>("expectedX");
        QTest::addColumn<QString>("label");
        QTest::addRow("epoch") << XAxisMode::Epoch << QVector<double>{1, 2, 3} << "epoch";
        QTest::addRow("step") << XAxisMode::Step << QVector<double>{100, 200, 300} << "step";
        QTest::addRow("relative") << XAxisMode::RelativeTime << QVector<double>{0, 5, 12.5}
                                  << "relative time (s)";
        QTest::addRow("wall") << XAxisMode::WallTime << QVector<double>{1.7e9, 1.7e9 + 5, 1.7e9 + 12.5}
                              << "wall time";
    }
    void xAxisModes() {
        QFETCH(XAxisMode, mode);
        QFETCH(QVector<double>, expectedX);
        QFETCH(QString, label);
        auto plot = shownPlot();
        const int s = plot->addSeries(QStringLiteral("loss"), Qt::blue);
        const double walls[] = {1.7e9, 1.7e9 + 5, 1.7e9 + 12.5};
        for (int i = 0; i < 3; ++i)
            plot->addPoint(s, XPoint{double(i + 1), 100.0 * (i + 1), walls[i]}, 0.1 * i);
        plot->setXAxisMode(mode);
        plot->replot();
        QCOMPARE(plot->xAxisMode(), mode);
        QCOMPARE(keys(plot->curveGraph(s)), expectedX);
        QCOMPARE(plot->plot()->xAxis->label(), label);
        QCOMPARE(plot->plot()->xAxis->range().lower, expectedX.first()); // the view follows the new x
        QCOMPARE(plot->plot()->xAxis->range().upper, expectedX.last());
        QCOMPARE(bool(plot->plot()->xAxis->ticker().dynamicCast<QCPAxisTickerDateTime>()),
                 mode == XAxisMode::WallTime);
    }

    void pointsWithoutThatXAreLeftOut() {
        auto plot = shownPlot();
        const int s = plot->addSeries(QStringLiteral("loss"), Qt::blue);
        plot->addPoint(s, 1, 0.5);                    // epoch only
        plot->addPoint(s, XPoint{2, 20, 1000}, 0.25); // all three
        plot->setXAxisMode(XAxisMode::Step);
        QCOMPARE(keys(plot->curveGraph(s)), QVector<double>{20});
        QCOMPARE(plot->pointCount(s), 2);
    }

    void legendClickTogglesSeries() {
        auto plot = shownPlot();
        const int a = plot->addSeries(QStringLiteral("a"), Qt::blue);
        const int b = plot->addSeries(QStringLiteral("b"), Qt::red);
        for (int i = 0; i < 10; ++i) {
            plot->addPoint(a, i, i);
            plot->addPoint(b, i, 10 - i);
        }
        plot->setSmoothing(0.6);
        plot->replot();
        plot->plot()->replot(QCustomPlot::rpImmediateRefresh); // lays out the legend
        QCPPlottableLegendItem* item = plot->plot()->legend->itemWithPlottable(plot->curveGraph(b));
        QVERIFY(item);
        QSignalSpy toggled(plot.get(), &MetricPlot::seriesVisibilityChanged);
        const QPoint at = item->rect().center();
        QTest::mouseClick(plot->plot(), Qt::LeftButton, Qt::NoModifier, at);
        QCOMPARE(toggled.count(), 1);
        QCOMPARE(toggled.first().at(0).toInt(), b);
        QCOMPARE(toggled.first().at(1).toBool(), false);
        QVERIFY(!plot->isSeriesVisible(b));
        QVERIFY(!plot->curveGraph(b)->visible());
        QVERIFY(!plot->rawGraph(b)->visible()); // the faint raw curve goes with it
        QVERIFY(plot->curveGraph(a)->visible());
        QTest::qWait(QApplication::doubleClickInterval() + 50); // two clicks, not a double click
        QTest::mouseClick(plot->plot(), Qt::LeftButton, Qt::NoModifier, at);
        QCOMPARE(toggled.count(), 2);
        QVERIFY(plot->curveGraph(b)->visible() && plot->rawGraph(b)->visible());
    }

    // A run's faint batch curve goes with its legend entry (a companion series has no entry of its own).
    void hidingASeriesHidesItsCompanion() {
        auto plot = shownPlot();
        const int test = plot->addSeries(QStringLiteral("#1 run · test"), Qt::red, false, true);
        const int batch = plot->addSeries(QStringLiteral("#1 run · train (batch)"), Qt::red, true);
        plot->setSeriesCompanion(batch, test);
        const int layer =
            plot->layerSeries(2, QStringLiteral("output"), true); // batch values before the curve
        const int layerCurve = plot->layerSeries(2, QStringLiteral("output"), false);
        for (int i = 0; i < 10; ++i) {
            plot->addPoint(test, i, i);
            plot->addPoint(batch, i + 0.5, i);
            plot->addPoint(layer, i + 0.5, i);
            plot->addPoint(layerCurve, i, i);
        }
        plot->replot();
        plot->setSeriesVisible(test, false);
        QVERIFY(!plot->isSeriesVisible(batch) && !plot->curveGraph(batch)->visible());
        QVERIFY(plot->isSeriesVisible(layer));
        plot->setSeriesVisible(layerCurve, false);
        QVERIFY(!plot->curveGraph(layer)->visible());
        plot->setSeriesVisible(test, true);
        QVERIFY(plot->curveGraph(batch)->visible());
    }

    // Tick labels a person can read: wall time with seconds when the run spans minutes, log-scale labels
    // below 0.1, and no overlapping labels on a small plot.
    void wallTimeTicksShowSecondsForShortRuns() {
        auto plot = shownPlot();
        const int s = plot->addSeries(QStringLiteral("loss"), Qt::blue);
        for (int i = 0; i < 90; ++i)
            plot->addPoint(s, XPoint{i / 30.0, double(i), 1.7e9 + i}, 1.0 / (i + 1));
        plot->setXAxisMode(XAxisMode::WallTime);
        plot->replot();
        plot->plot()->replot(QCustomPlot::rpImmediateRefresh);
        const QVector<QString> labels = plot->plot()->xAxis->tickVectorLabels();
        QVERIFY(labels.size() >= 2);
        QSet<QString> distinct(labels.begin(), labels.end());
        QCOMPARE(distinct.size(), labels.size()); // every tick its own label
        for (const QString& label : labels)
            QVERIFY2(label.count(QLatin1Char(':')) == 2, qPrintable(label));
    }

    void logTicksAreLabelledBelowOneTenth() {
        auto plot = shownPlot();
        const int s = plot->addSeries(QStringLiteral("loss"), Qt::blue);
        for (int i = 0; i < 50; ++i)
            plot->addPoint(s, i, std::pow(10.0, -4.0 + 0.1 * i)); // 1e-4 … 1e1
        plot->setLogY(true);
        plot->replot();
        plot->plot()->replot(QCustomPlot::rpImmediateRefresh);
        const QVector<QString> labels = plot->plot()->yAxis->tickVectorLabels();
        QStringList shown;
        for (const QString& l : labels)
            shown << l;
        for (const char* expected : {"0.001", "0.01", "0.1"})
            QVERIFY2(shown.contains(QLatin1String(expected)), qPrintable(shown.join(QStringLiteral(" | "))));

        // Within one decade (no power of ten inside), evenly stepped values are labelled.
        plot->clear();
        const int narrow = plot->addSeries(QStringLiteral("loss"), Qt::blue);
        for (int i = 0; i < 50; ++i)
            plot->addPoint(narrow, i, 0.02 + 0.0015 * i); // 0.02 … 0.0935
        plot->resetView();
        plot->replot();
        plot->plot()->replot(QCustomPlot::rpImmediateRefresh);
        int inRange = 0;
        for (const double tick : plot->plot()->yAxis->tickVector())
            inRange += plot->plot()->yAxis->range().contains(tick) ? 1 : 0;
        QVERIFY2(inRange >= 2, qPrintable(QString::number(inRange)));
    }

    void smallPlotsKeepTickLabelsApart() {
        auto plot = std::make_unique<MetricPlot>(QStringLiteral("Loss"), QStringLiteral("MSE"));
        plot->resize(300, 200);
        plot->show();
        QVERIFY(QTest::qWaitForWindowExposed(plot.get()));
        const int s = plot->addSeries(QStringLiteral("loss"), Qt::blue);
        for (int i = 0; i <= 100000; i += 1000)
            plot->addPoint(s, XPoint{i / 1000.0, double(i), 1.7e9 + i}, 1.0);
        plot->setXAxisMode(XAxisMode::Step);
        plot->replot();
        plot->plot()->replot(QCustomPlot::rpImmediateRefresh);
        const QFontMetrics metrics(plot->plot()->xAxis->tickLabelFont());
        int width = 0;
        for (const QString& label : plot->plot()->xAxis->tickVectorLabels())
            width += metrics.horizontalAdvance(label) + 8;
        QVERIFY2(width < plot->plot()->xAxis->axisRect()->width(),
                 qPrintable(QStringLiteral("%1 px of labels on a %2 px axis")
                                .arg(width)
                                .arg(plot->plot()->xAxis->axisRect()->width())));
    }

    void zoomReReducesAndKeepsTheSpike() {
        auto plot = shownPlot();
        const int n = 200000, spikeAt = 150001;
        const int s = addSpikyCurve(*plot, n, spikeAt, 1000.0);
        plot->replot();
        const int bound = 4 * plot->plot()->width() + 2;
        QCOMPARE(plot->pointCount(s), n);
        QVERIFY2(plot->curveGraph(s)->dataCount() <= bound,
                 qPrintable(QString::number(plot->curveGraph(s)->dataCount())));
        QVERIFY(values(plot->curveGraph(s)).contains(1000.0));

        plot->plot()->xAxis->setRange(149000, 151000.5); // as a wheel zoom does
        QVector<double> drawn = keys(plot->curveGraph(s));
        QVERIFY(drawn.size() <= bound);
        QVERIFY(drawn.contains(double(spikeAt)));
        QVERIFY(drawn.first() < 149000 && drawn.last() > 151000.5); // one neighbour each side
        QVERIFY(drawn[1] >= 149000 && drawn[drawn.size() - 2] <= 151000.5);

        plot->plot()->xAxis->setRange(10, 20); // few points: every one drawn
        QCOMPARE(keys(plot->curveGraph(s)),
                 (QVector<double>{9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21}));
    }

    void wheelZoomsAndDoubleClickResets() {
        auto plot = shownPlot();
        const int s = addSpikyCurve(*plot, 50000, 25000, 99.0);
        plot->replot();
        plot->plot()->replot(QCustomPlot::rpImmediateRefresh);
        const QCPRange full = plot->plot()->xAxis->range();
        const QPointF centre = plot->plot()->axisRect()->rect().center();
        QWheelEvent wheel(centre, plot->plot()->mapToGlobal(centre), QPoint(), QPoint(0, 120 * 4),
                          Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(plot->plot(), &wheel);
        const QCPRange zoomed = plot->plot()->xAxis->range();
        QVERIFY2(zoomed.size() < full.size() * 0.9,
                 qPrintable(QStringLiteral("%1 vs %2").arg(zoomed.size()).arg(full.size())));
        QVERIFY(keys(plot->curveGraph(s)).first() >= zoomed.lower - full.size() / plot->plot()->width() * 8);
        // New data does not move the user's view.
        plot->addPoint(s, 60000, 1.0);
        plot->replot();
        QCOMPARE(plot->plot()->xAxis->range().lower, zoomed.lower);
        QCOMPARE(plot->plot()->xAxis->range().upper, zoomed.upper);
        QTest::mouseDClick(plot->plot(), Qt::LeftButton, Qt::NoModifier, centre.toPoint());
        QCOMPARE(plot->plot()->xAxis->range().lower, 0.0);
        QCOMPARE(plot->plot()->xAxis->range().upper, 60000.0);
    }

    void hoverShowsTheNearestPoint() {
        auto plot = shownPlot();
        const int s = plot->addSeries(QStringLiteral("test loss"), Qt::blue);
        plot->addPoint(s, 1, 0.5);
        plot->addPoint(s, 2, 0.25);
        plot->addPoint(s, 3, 0.125);
        plot->replot();
        plot->plot()->replot(QCustomPlot::rpImmediateRefresh);
        const QPointF at = plot->curveGraph(s)->coordsToPixels(2, 0.25);
        // A plain move event, no button held (QTest's mouseMove carries button state left by earlier tests).
        const QPointF near = at + QPointF(3, -2);
        QMouseEvent move(QEvent::MouseMove, near, plot->plot()->mapToGlobal(near), Qt::NoButton, Qt::NoButton,
                         Qt::NoModifier);
        QApplication::sendEvent(plot->plot(), &move);
        const QString text = plot->hoverReadout()->text();
        QVERIFY2(text.contains(QStringLiteral("test loss")) && text.contains(QStringLiteral("x = 2")) &&
                     text.contains(QStringLiteral("y = 0.25")),
                 qPrintable(text));
        QVERIFY(plot->hoverReadout()->showNearest(QPointF(-500, -500)).isEmpty()); // far from everything
        QVERIFY(plot->hoverReadout()->text().isEmpty());
    }

    void darkPaletteRethemes() {
        auto plot = shownPlot();
        QPalette dark;
        dark.setColor(QPalette::Base, QColor(30, 30, 30));
        dark.setColor(QPalette::Text, QColor(220, 220, 220));
        plot->setPalette(dark);
        QCOMPARE(plot->plot()->xAxis->tickLabelColor(), QColor(220, 220, 220));
        QCOMPARE(plot->plot()->legend->brush().color(), QColor(30, 30, 30));
    }

    void clearRemovesEverything() {
        auto plot = shownPlot();
        addSpikyCurve(*plot, 100, 5, 3.0);
        plot->clear();
        QCOMPARE(plot->seriesCount(), 0);
        QCOMPARE(plot->plot()->graphCount(), 0);
        QCOMPARE(plot->pointCount(0), 0);
        const int s = plot->addSeries(QStringLiteral("again"), Qt::blue);
        plot->addPoint(s, 1, 1);
        plot->replot();
        QCOMPARE(plot->curveGraph(s)->dataCount(), 1);
    }
};

QTEST_MAIN(TestMetricPlot)
#include "tst_metric_plot.moc"

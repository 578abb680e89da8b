// Speed of zooming a 1,000,000-point curve: range change, re-reduction from the full series and a
// replot. Prints figures; never fails on timing (target: under 50 ms a zoom).
#include "ui/plots/metric_plot.h"
#include "ui/plots/qcustomplot_include.h"
#include "ui/plots/reduction.h"
#include "ui/plots/smoothing.h"
#include "ui/plots/weight_scatter.h"
#include <QElapsedTimer>
#include <QtTest>
#include <algorithm>
#include <cmath>

using namespace bp::ui;

namespace {
constexpr int kPoints = 1000000;
constexpr int kSpikeAt = 777777;

double median(QVector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}
} // namespace

class TestPlotBenchmark : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void zoomOnAMillionPoints() {
        MetricPlot plot(QStringLiteral("Loss"), QStringLiteral("MSE"));
        plot.resize(1200, 500);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        const int s = plot.addSeries(QStringLiteral("train (batch)"), Qt::blue);
        for (int i = 0; i < kPoints; ++i)
            plot.addPoint(s, XPoint{i / 1000.0, double(i), 1.7e9 + i * 0.01},
                          i == kSpikeAt ? 40.0 : 2.0 * std::exp(-i / 2e5) + 0.05 * std::sin(i * 0.37));
        QElapsedTimer timer;
        timer.start();
        plot.replot();
        plot.plot()->replot(QCustomPlot::rpImmediateRefresh);
        qInfo("first fit + reduce + replot of %d points: %.1f ms (%d drawn)", kPoints,
              timer.nsecsElapsed() / 1e6, plot.curveGraph(s)->dataCount());

        QVector<double> zoomMs;
        QCPAxis* x = plot.plot()->xAxis;
        for (int z = 0; z < 20; ++z) {
            // Zoom in around the spike step by step, then out again, as a wheel would.
            const double half = 500.0 * std::pow(0.6, z < 10 ? z : 19 - z);
            timer.restart();
            x->setRange(kSpikeAt / 1000.0 - half, kSpikeAt / 1000.0 + half);
            plot.plot()->replot(QCustomPlot::rpImmediateRefresh);
            zoomMs << timer.nsecsElapsed() / 1e6;
            QVERIFY(plot.curveGraph(s)->data()->findBegin(kSpikeAt / 1000.0, false)->value == 40.0);
        }
        qInfo("zoom (range change + re-reduce + replot), %d points: median %.2f ms, max %.2f ms (target < 50 "
              "ms)",
              kPoints, median(zoomMs), *std::max_element(zoomMs.cbegin(), zoomMs.cend()));

        timer.restart();
        plot.setSmoothing(0.9);
        plot.plot()->replot(QCustomPlot::rpImmediateRefresh);
        qInfo("switching smoothing on (EMA of %d points + reduce + replot): %.1f ms", kPoints,
              timer.nsecsElapsed() / 1e6);
        QVector<double> smoothedZoomMs;
        for (int z = 0; z < 10; ++z) {
            timer.restart();
            x->setRange(z * 50.0, z * 50.0 + 400.0); // pan
            plot.plot()->replot(QCustomPlot::rpImmediateRefresh);
            smoothedZoomMs << timer.nsecsElapsed() / 1e6;
        }
        qInfo("pan with smoothing (two curves re-reduced): median %.2f ms", median(smoothedZoomMs));
    }

    void weightScatterRedraw() {
        // The W–Y scatter of the default network's largest layer (500 × 784 weights), both clouds full:
        // what the GUI thread draws when a run starts and whenever the current weights arrive.
        WeightScatter scatter;
        scatter.resize(600, 450);
        scatter.show();
        QVERIFY(QTest::qWaitForWindowExposed(&scatter));
        const at::Tensor w = at::randn({500, 784}).mul_(0.05), y = at::randn({500, 784});
        QElapsedTimer timer;
        timer.start();
        QVERIFY(scatter.setInitial(w, y));
        QVERIFY(scatter.setCurrent(w * 1.1, y));
        const double fill = timer.nsecsElapsed() / 1e6;
        QVector<double> drawMs;
        for (int i = 0; i < 10; ++i) {
            timer.restart();
            scatter.plot()->replot(QCustomPlot::rpImmediateRefresh);
            drawMs << timer.nsecsElapsed() / 1e6;
        }
        qInfo("W-Y scatter, 2 clouds of %d dots: fill %.1f ms, replot median %.1f ms, max %.1f ms",
              scatter.currentCount(), fill, median(drawMs),
              *std::max_element(drawMs.cbegin(), drawMs.cend()));
    }

    void reductionAlone() {
        CurvePoints c;
        c.x.resize(kPoints);
        c.y.resize(kPoints);
        for (int i = 0; i < kPoints; ++i) {
            c.x[i] = i;
            c.y[i] = std::sin(i * 0.001);
        }
        QElapsedTimer timer;
        timer.start();
        const CurvePoints minMax = reduceMinMax(c, 0, kPoints, 1200);
        qInfo("reduceMinMax, %d points to 1200 px: %.2f ms (%d points)", kPoints, timer.nsecsElapsed() / 1e6,
              minMax.size());
        timer.restart();
        const CurvePoints triangles = lttb(c, 2400);
        qInfo("lttb, %d points to 2400: %.2f ms", kPoints, timer.nsecsElapsed() / 1e6);
        timer.restart();
        const QVector<double> smoothed = debiasedEma(c.y, 0.9);
        qInfo("debiasedEma, %d points: %.2f ms", kPoints, timer.nsecsElapsed() / 1e6);
        QCOMPARE(triangles.size(), 2400);
        QCOMPARE(smoothed.size(), kPoints);
    }
};

QTEST_MAIN(TestPlotBenchmark)
#include "tst_plot_benchmark.moc"

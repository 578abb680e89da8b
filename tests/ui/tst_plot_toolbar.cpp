// PlotToolbar driving several MetricPlots through its real controls.
#include "ui/plots/metric_plot.h"
#include "ui/plots/plot_toolbar.h"
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QSlider>
#include <QtTest>
#include <memory>

using namespace bp::ui;

Q_DECLARE_METATYPE(bp::ui::XAxisMode)

class TestPlotToolbar : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void drivesAllPlots() {
        PlotToolbar bar;
        auto loss = std::make_unique<MetricPlot>(QStringLiteral("Loss"), QStringLiteral("MSE"));
        auto error = std::make_unique<MetricPlot>(QStringLiteral("Error"), QStringLiteral("%"));
        bar.setPlots({loss.get(), error.get()});
        bar.show();
        QSignalSpy smoothing(&bar, &PlotToolbar::smoothingChanged);

        bar.smoothingSlider()->setValue(600);
        QCOMPARE(smoothing.count(), 1);
        QCOMPARE(smoothing.first().first().toDouble(), 0.6);
        QCOMPARE(bar.smoothingLabel()->text(), QStringLiteral("0.600"));
        QCOMPARE(loss->smoothing(), 0.6);
        QCOMPARE(error->smoothing(), 0.6);

        QTest::mouseClick(bar.logYBox(), Qt::LeftButton);
        QVERIFY(loss->logY() && error->logY());
        QVERIFY(!loss->logX());
        QTest::mouseClick(bar.logXBox(), Qt::LeftButton);
        QVERIFY(loss->logX() && error->logX());

        bar.xAxisBox()->setCurrentIndex(bar.xAxisBox()->findText(QStringLiteral("step")));
        QCOMPARE(loss->xAxisMode(), XAxisMode::Step);
        QCOMPARE(error->xAxisMode(), XAxisMode::Step);
    }

    void sliderRange_data() {
        QTest::addColumn<double>("weight");
        QTest::addColumn<int>("position");
        QTest::addColumn<double>("applied");
        QTest::addRow("zero") << 0.0 << 0 << 0.0;
        QTest::addRow("tensorboard default") << 0.6 << 600 << 0.6;
        QTest::addRow("maximum") << 0.999 << 999 << 0.999;
        QTest::addRow("above the maximum") << 1.5 << 999 << 0.999;
        QTest::addRow("negative") << -1.0 << 0 << 0.0;
    }
    void sliderRange() {
        QFETCH(double, weight);
        QFETCH(int, position);
        QFETCH(double, applied);
        PlotToolbar bar;
        MetricPlot plot(QStringLiteral("Loss"), QStringLiteral("MSE"));
        bar.setPlots({&plot});
        bar.setSmoothing(weight);
        QCOMPARE(bar.smoothingSlider()->value(), position);
        QCOMPARE(bar.smoothing(), applied);
        QCOMPARE(plot.smoothing(), applied);
    }

    void newPlotsTakeCurrentSettings() {
        PlotToolbar bar;
        bar.setSmoothing(0.25);
        bar.logYBox()->setChecked(true);
        bar.setXAxisMode(XAxisMode::RelativeTime);
        MetricPlot plot(QStringLiteral("Loss"), QStringLiteral("MSE"));
        bar.setPlots({&plot});
        QCOMPARE(plot.smoothing(), 0.25);
        QVERIFY(plot.logY());
        QCOMPARE(plot.xAxisMode(), XAxisMode::RelativeTime);
    }

    void deletedPlotsAreSkipped() {
        PlotToolbar bar;
        auto gone = std::make_unique<MetricPlot>(QStringLiteral("Gone"), QStringLiteral("y"));
        MetricPlot kept(QStringLiteral("Kept"), QStringLiteral("y"));
        bar.setPlots({gone.get(), &kept});
        gone.reset();
        bar.logXBox()->setChecked(true); // must not touch the deleted plot
        QVERIFY(kept.logX());
    }

    void comboListsEveryMode() {
        PlotToolbar bar;
        QCOMPARE(bar.xAxisBox()->count(), 4);
        QSignalSpy modes(&bar, &PlotToolbar::xAxisModeChanged);
        bar.setXAxisMode(XAxisMode::WallTime);
        QCOMPARE(modes.count(), 1);
        QCOMPARE(bar.xAxisMode(), XAxisMode::WallTime);
        QCOMPARE(bar.xAxisBox()->currentText(), QStringLiteral("wall time"));
    }
};

QTEST_MAIN(TestPlotToolbar)
#include "tst_plot_toolbar.moc"

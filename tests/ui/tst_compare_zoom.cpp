// The Compare page's plots (ComparePlots): zooming re-reads the visible range from the store — a one-step
// spike that the overview's 2,000 buckets (their last values) cannot show appears once the view is narrowed
// around it — and the top-5 panel appears for runs that recorded a top-5 error, and only for them.
#include "core/config/hyperparameters.h"
#include "core/setup/defaults.h"
#include "core/store/run_store.h"
#include "ui/compare/compare_plots.h"
#include "ui/plots/metric_plot.h"
#include "ui/plots/qcustomplot_include.h"
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>

using namespace bp;

class TestCompareZoom : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void zoomRereadsTheVisibleRange() {
        QTemporaryDir dir;
        RunStore store(dir.filePath(QStringLiteral("zoom.sqlite")).toStdString());
        const int64_t id = store.createRun(defaultConfig(DatasetKind::Mnist), "spiky");
        std::vector<MetricSample> samples;
        for (int64_t s = 1; s <= 20000; ++s)
            samples.push_back(
                {"batch_loss", int(s / 2000) + 1, s, 1.7e9 + double(s), s == 12345 ? 100.0 : 0.1});
        for (int e = 0; e <= 10; ++e)
            samples.push_back({"test_error", e, int64_t(e) * 2000, 1.7e9 + e * 2000.0, 50.0 - e});
        store.appendMetrics(id, samples);

        ui::ComparePlots plots;
        plots.resize(1200, 800);
        QString error;
        QVERIFY2(plots.load(store, {*store.getRun(id)}, &error), qPrintable(error));
        ui::MetricPlot* loss = plots.plots().front();
        int batch = -1;
        for (int s = 0; s < loss->seriesCount(); ++s)
            if (loss->seriesName(s).endsWith(QStringLiteral("(batch)")))
                batch = s;
        QVERIFY(batch >= 0);
        auto maxValue = [&] {
            const QVector<double>& v = loss->seriesData(batch)->values();
            return *std::max_element(v.begin(), v.end());
        };
        QCOMPARE(loss->pointCount(batch), 2000); // the overview: each bucket's last value
        QCOMPARE(maxValue(), 0.1);               // the spike is not a bucket's last value

        loss->setXAxisMode(ui::XAxisMode::Step);
        plots.requery(loss, 12000, 12700); // what the 150 ms timer does after a zoom
        QCOMPARE(maxValue(), 100.0);
        QVERIFY(loss->pointCount(batch) > 2000);

        // Through the real signal: a user zoom emits viewChanged and the debounced re-read follows.
        loss->plot()->xAxis->setRange(3000, 3100);
        QTRY_VERIFY_WITH_TIMEOUT(loss->pointCount(batch) > 2000 + 90, 3000);
    }

    void topFivePanelOnlyForRunsThatHaveIt() {
        QTemporaryDir dir;
        RunStore store(dir.filePath(QStringLiteral("top5.sqlite")).toStdString());
        RunConfig imagenet = defaultConfig(DatasetKind::ImageNet);
        imagenet.convChannels = {8, 8, 16, 16, 32, 32, 64};
        const int64_t withTop5 = store.createRun(imagenet, "imagenet");
        const int64_t mnist = store.createRun(defaultConfig(DatasetKind::Mnist), "mnist");
        for (int64_t id : {withTop5, mnist}) {
            std::vector<MetricSample> samples;
            for (int e = 0; e <= 3; ++e) {
                samples.push_back({"test_error", e, e * 10, 1.7e9 + e, 80.0 - 10 * e});
                if (id == withTop5) {
                    samples.push_back({"test_top5_error", e, e * 10, 1.7e9 + e, 40.0 - 10 * e});
                    if (e > 0)
                        samples.push_back({"train_top5_error", e, e * 10, 1.7e9 + e, 45.0 - 10 * e});
                }
            }
            store.appendMetrics(id, samples);
        }
        ui::ComparePlots plots;
        plots.resize(1200, 900);
        plots.show();
        QString error;
        QVERIFY2(plots.load(store, {*store.getRun(mnist)}, &error), qPrintable(error));
        QVERIFY(plots.topFiveError()->isHidden());
        QCOMPARE(plots.plots().size(), 4);
        QVERIFY2(plots.load(store, {*store.getRun(mnist), *store.getRun(withTop5)}, &error),
                 qPrintable(error));
        QVERIFY(!plots.topFiveError()->isHidden());
        QCOMPARE(plots.plots().size(), 5);
        ui::MetricPlot* top5 = plots.topFiveError();
        QCOMPARE(top5->seriesCount(), 2); // the ImageNet run's train and test curves only
        int test = -1;
        for (int s = 0; s < top5->seriesCount(); ++s)
            if (top5->seriesName(s).endsWith(QStringLiteral("test")))
                test = s;
        QVERIFY(test >= 0);
        QCOMPARE(top5->pointCount(test), 4);
        QCOMPARE(top5->seriesData(test)->values().last(), 10.0);
        // Exports take the shown panels: five now.
        const QString svg = dir.filePath(QStringLiteral("compare.svg"));
        QVERIFY2(plots.exportFigures(svg, &error), qPrintable(error));
        QVERIFY2(plots.load(store, {*store.getRun(mnist)}, &error), qPrintable(error));
        QVERIFY(plots.topFiveError()->isHidden());
    }
};

QTEST_MAIN(TestCompareZoom)
#include "tst_compare_zoom.moc"

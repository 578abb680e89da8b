// AngleHeatmap: cells hold the appended angles, the map grows in chunks, the colour bar reads 0–90°.
#include "ui/plots/angle_heatmap.h"
#include "ui/plots/qcustomplot_include.h"
#include <QElapsedTimer>
#include <QtTest>
#include <cmath>

using namespace bp::ui;

class TestAngleHeatmap : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void columnsLandInTheirCells() {
        AngleHeatmap map(QStringLiteral("Weight angles"));
        map.resize(600, 300);
        map.show();
        map.setLayerCount(3, 1);
        map.addColumn(0.0, {10, 20, 30});
        map.addColumn(0.5, {15, 25, 35});
        map.addColumn(1.0, {80, 70}); // the top layer missing
        map.replot();
        QCOMPARE(map.columnCount(), 3);
        QCOMPARE(map.layerCount(), 3);
        QCOMPARE(map.angle(1, 2), 35.0);
        QVERIFY(std::isnan(map.angle(2, 2)));
        QVERIFY(std::isnan(map.angle(3, 0)));
        // x = 0, 0.5, 1 map onto cells 0, 1, 2 (evenly spaced by 0.5).
        QCPColorMapData* data = map.colorMap()->data();
        QCOMPARE(data->data(0.0, 0), 10.0);
        QCOMPARE(data->data(0.5, 1), 25.0);
        QCOMPARE(data->data(1.0, 0), 80.0);
        QCOMPARE(map.plot()->xAxis->range().lower, -0.25);
        QCOMPARE(map.plot()->xAxis->range().upper, 1.25);
        // Layer labels on the y axis, the colour bar fixed at 0–90° and titled in degrees.
        auto ticker = map.plot()->yAxis->ticker().dynamicCast<QCPAxisTickerText>();
        QVERIFY(ticker);
        QCOMPARE(ticker->ticks().value(0), QStringLiteral("layer 1"));
        QCOMPARE(ticker->ticks().value(2), QStringLiteral("layer 3"));
        QCOMPARE(map.colorScale()->dataRange(), QCPRange(0, 90));
        QVERIFY(map.colorScale()->axis()->label().contains(QStringLiteral("°")));
    }

    void growsInChunks() {
        AngleHeatmap map(QStringLiteral("Delta angles"));
        map.setLayerLabels({QStringLiteral("hidden 1"), QStringLiteral("output")});
        QElapsedTimer timer;
        timer.start();
        for (int c = 0; c < 5000; ++c)
            map.addColumn(c * 10.0, {double(c % 90), 45.0});
        qInfo("5000 columns appended in %.1f ms", timer.nsecsElapsed() / 1e6);
        QCOMPARE(map.columnCount(), 5000);
        QCOMPARE(map.colorMap()->data()->keySize() % 256, 0); // capacity in chunks
        QVERIFY(map.colorMap()->data()->keySize() >= 5000);
        QCOMPARE(map.colorMap()->data()->data(4999 * 10.0, 0), double(4999 % 90));
        QCOMPARE(map.colorMap()->data()->data(300 * 10.0, 0), double(300 % 90)); // copied across a growth
        QCOMPARE(map.colorMap()->data()->data(300 * 10.0, 1), 45.0);
    }

    void changingLayersClears() {
        AngleHeatmap map(QStringLiteral("Weight angles"));
        map.setLayerCount(2);
        map.addColumn(1.0, {1, 2});
        map.setLayerCount(4);
        QCOMPARE(map.columnCount(), 0);
        QCOMPARE(map.layerCount(), 4);
        map.addColumn(std::nan(""), {1, 2, 3, 4}); // no x: ignored
        QCOMPARE(map.columnCount(), 0);
        AngleHeatmap empty(QStringLiteral("none"));
        empty.addColumn(1.0, {5}); // no layers yet: ignored
        QCOMPARE(empty.columnCount(), 0);
    }
};

QTEST_MAIN(TestAngleHeatmap)
#include "tst_angle_heatmap.moc"

// The Signals tab (ui/plots/signal_view.h): histograms of a chosen layer and quantity as a heatmap over the
// measured steps with the silent units of the latest one, fed by hand, live from a short real training
// through the window (QT_QPA_PLATFORM=offscreen), and loaded from the run store once the run ended.
#include "core/store/run_store.h"
#include "support/explorer_window.h"
#include "ui/plots/qcustomplot_include.h"
#include "ui/plots/signal_view.h"
#include "ui/window/main_window.h"
#include "ui/window/run_plots.h"
#include "ui/window/train_page.h"
#include <QComboBox>
#include <QLabel>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

using namespace bp;

namespace {

SignalHistogram histogram(int layer, const std::string& quantity, std::vector<int64_t> counts,
                          double low = 0.0, double high = 1.0) {
    SignalHistogram h;
    h.layer = layer;
    h.quantity = quantity;
    h.low = low;
    h.high = high;
    h.counts = std::move(counts);
    h.units = 4;
    if (quantity == "event_rate")
        h.silentUnits = 1;
    return h;
}

void selectQuantity(ui::SignalView& view, const QString& key) {
    const int index = view.quantityBox()->findData(key);
    QVERIFY(index >= 0);
    view.quantityBox()->setCurrentIndex(index);
}

} // namespace

class TestSignalView : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString dataDir_;

  private Q_SLOTS:
    void initTestCase() {
        QVERIFY(tmp_.isValid());
        dataDir_ = tmp_.filePath(QStringLiteral("data"));
        QVERIFY(test::writeSmallDataset(dataDir_));
    }

    // Cells hold each bin's share of its column; fixed ranges are drawn in the quantity's units, deltas by
    // bin.
    void cellsAreShares() {
        ui::SignalView view;
        view.resize(600, 400);
        view.show();
        view.setLayerTitles({QStringLiteral("hidden 1"), QStringLiteral("output")});
        view.addMeasurement(1, 10,
                            {histogram(0, "event_rate", {1, 3, 0, 0}),
                             histogram(1, "event_rate", {4, 0, 0, 0}),
                             histogram(0, "delta", {2, 2, 0, 0}, -1.0, 1.0)});
        view.addMeasurement(1, 20,
                            {histogram(0, "event_rate", {0, 0, 2, 2}),
                             histogram(1, "event_rate", {0, 0, 0, 4}),
                             histogram(0, "delta", {0, 0, 4, 0}, -0.5, 0.5)});
        view.replot();
        QCOMPARE(view.layerBox()->count(), 2);
        QCOMPARE(view.layerBox()->itemText(0), QStringLiteral("hidden 1"));
        QCOMPARE(view.layerBox()->currentText(), QStringLiteral("output")); // the top layer first
        view.layerBox()->setCurrentIndex(0);
        selectQuantity(view, QStringLiteral("event_rate"));
        QCOMPARE(view.columnCount(), 2);
        QCOMPARE(view.binCount(), 4);
        QCOMPARE(view.share(0, 1), 0.75);
        QCOMPARE(view.share(1, 3), 0.5);
        QVERIFY(std::isnan(view.share(2, 0)));
        // Bin 1 of [0, 1] in 4 bins is centred on 0.375; columns at steps 10 and 20.
        QCPColorMapData* data = view.colorMap()->data();
        QCOMPARE(data->keySize(), 2);
        QCOMPARE(data->valueSize(), 4);
        QCOMPARE(data->data(10.0, 0.375), 0.75);
        QCOMPARE(data->data(20.0, 0.875), 0.5);
        QCOMPARE(view.plot()->yAxis->range(), QCPRange(0.0, 1.0));
        QVERIFY2(view.silentLabel()->text().contains(QStringLiteral("1 of 4 units silent")),
                 qPrintable(view.silentLabel()->text()));
        selectQuantity(view, QStringLiteral("delta"));
        QCOMPARE(view.share(1, 2), 1.0);
        QVERIFY(view.plot()->yAxis->label().contains(QStringLiteral("min → max")));
        QVERIFY2(view.silentLabel()->text().contains(QStringLiteral("latest range -0.5 to 0.5")),
                 qPrintable(view.silentLabel()->text()));
        selectQuantity(view, QStringLiteral("p"));
        QCOMPARE(view.columnCount(), 0);
        QVERIFY(view.silentLabel()->text().contains(QStringLiteral("no burst probability p recorded")));
        view.clear();
        QCOMPARE(view.layerBox()->count(), 0);
    }

    // A short real run: the tab fills while training; after it, the store gives the same heatmap.
    void liveAndFromTheStore() {
        const QString database = tmp_.filePath(QStringLiteral("runs.sqlite"));
        auto w = test::smallRunWindow(database, dataDir_, 1, QStringLiteral("16"));
        w->show();
        ui::RunPlots* plots = w->trainPage()->plots();
        plots->tabs()->setCurrentWidget(plots->signalView());
        QTest::mouseClick(w->launchButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(w->lastStatus() == RunStatus::Completed, 30000);
        ui::SignalView* live = plots->signalView();
        live->replot();
        QCOMPARE(live->layerBox()->count(), 2); // the hidden layer and the output
        live->layerBox()->setCurrentIndex(0);
        selectQuantity(*live, QStringLiteral("p_t"));
        const int columns = live->columnCount();
        QVERIFY2(columns >= 3, qPrintable(QString::number(columns))); // every 5 batches of 20, and the first
        QCOMPARE(live->binCount(), 30);
        double sum = 0.0;
        for (int b = 0; b < live->binCount(); ++b)
            sum += live->share(columns - 1, b);
        QVERIFY(std::abs(sum - 1.0) < 1e-9);
        QVERIFY2(live->silentLabel()->text().contains(QStringLiteral("of 16 units silent")),
                 qPrintable(live->silentLabel()->text()));
        live->layerBox()->setCurrentIndex(1);
        QVERIFY2(
            live->silentLabel()->text().contains(QStringLiteral("of 10 classes predicted for no example")),
            qPrintable(live->silentLabel()->text()));

        const int64_t id = w->trainPage()->currentRunId();
        RunStore store(database.toStdString(), RunStore::Access::ReadOnly);
        QCOMPARE(store.signalHistogramKeys(id).size(), size_t(8));
        ui::RunPlots loaded;
        loaded.loadFromStore(store, id);
        ui::SignalView* view = loaded.signalView();
        view->layerBox()->setCurrentIndex(0);
        selectQuantity(*view, QStringLiteral("p_t"));
        live->layerBox()->setCurrentIndex(0);
        QCOMPARE(view->columnCount(), columns);
        for (int b = 0; b < 30; ++b)
            QCOMPARE(view->share(columns - 1, b), live->share(columns - 1, b));
    }
};

QTEST_MAIN(TestSignalView)
#include "tst_signal_view.moc"

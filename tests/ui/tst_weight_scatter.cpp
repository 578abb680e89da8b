// WeightScatter: W paired with Y element by element, subsampled by stride, angle in the title.
#include "core/rules/learning_rule.h"
#include "ui/plots/plot_export.h"
#include "ui/plots/qcustomplot_include.h"
#include "ui/plots/weight_scatter.h"
#include <QtTest>
#include <cmath>

using namespace bp::ui;

class TestWeightScatter : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void pairsElementwiseAndShowsTheAngle() {
        WeightScatter scatter;
        scatter.setTitlePrefix(QStringLiteral("layer 1"));
        // W = [[1, 0], [0, 1]], Y = [[1, 1], [0, 1]]: cos = 2 / (√2·√3), 35.26°.
        const at::Tensor w = at::tensor({1.0, 0.0, 0.0, 1.0}, at::kDouble).view({2, 2});
        const at::Tensor y = at::tensor({1.0, 1.0, 0.0, 1.0}, at::kDouble).view({2, 2});
        QVERIFY(scatter.setCurrent(w, y));
        QCOMPARE(scatter.currentCount(), 4);
        QVERIFY(std::abs(scatter.currentAngle() - 35.2644) < 1e-3);
        QCOMPARE(scatter.title(), QStringLiteral("layer 1: angle 35.3°"));
        // The pairs (W, Y): (1,1), (0,1), (0,0), (1,1) — x sorted by QCustomPlot, pairs intact.
        QMultiMap<double, double> pairs;
        for (auto it = scatter.currentGraph()->data()->constBegin();
             it != scatter.currentGraph()->data()->constEnd(); ++it)
            pairs.insert(it->key, it->value);
        QCOMPARE(pairs.values(1.0).size(), 2);
        QVERIFY(pairs.values(1.0).contains(1.0) && !pairs.values(1.0).contains(0.0));
        QCOMPARE(pairs.values(0.0).size(), 2);
    }

    void yInTransposedLayoutPairsWithWTransposed() {
        WeightScatter scatter;
        const at::Tensor w = at::arange(6, at::kFloat).view({2, 3});
        const at::Tensor y = w.t().contiguous() * 2.0; // Y = 2·Wᵀ: perfectly aligned with Wᵀ
        QVERIFY(scatter.setCurrent(w, y));
        QVERIFY(std::abs(scatter.currentAngle()) < 1e-2);
        for (auto it = scatter.currentGraph()->data()->constBegin();
             it != scatter.currentGraph()->data()->constEnd(); ++it)
            QCOMPARE(it->value, 2.0 * it->key);
    }

    void subsamplesByStride_data() {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        QTest::addColumn<int>("expected");
        QTest::addRow("small: every weight") << 100 << 50 << 5000;
        QTest::addRow("exactly the cap") << 200 << 100 << 20000;
        QTest::addRow("784x500: stride 20") << 500 << 784 << 19600; // ⌈392000 / 20000⌉ = 20
        QTest::addRow("conv-shaped") << 64 << 32 * 9 << 18432;      // stride 1, 18432 ≤ cap
    }
    void subsamplesByStride() {
        QFETCH(int, rows);
        QFETCH(int, cols);
        QFETCH(int, expected);
        WeightScatter scatter;
        at::manual_seed(5);
        const at::Tensor w = at::randn({rows, cols});
        const at::Tensor y = at::randn({rows, cols});
        QVERIFY(scatter.setInitial(w, y));
        QVERIFY(scatter.setCurrent(w, 0.5 * w + 0.5 * y));
        QCOMPARE(scatter.initialCount(), expected);
        QCOMPARE(scatter.currentCount(), expected);
        QVERIFY(scatter.currentCount() <= WeightScatter::maxPoints());
        // The angle is over every weight, as the trainer's.
        QCOMPARE(scatter.currentAngle(), bp::tensorAngle(w, 0.5 * w + 0.5 * y));
        // Before-training faint, now solid; on screen each dot is one pre-drawn disc of that colour...
        QVERIFY(scatter.initialGraph()->pen().color().alpha() <
                scatter.currentGraph()->pen().color().alpha());
        for (QCPGraph* graph : {scatter.initialGraph(), scatter.currentGraph()}) {
            QCOMPARE(graph->scatterStyle().shape(), QCPScatterStyle::ssPixmap);
            const QImage dot = graph->scatterStyle().pixmap().toImage();
            const QColor centre = dot.pixelColor(dot.width() / 2, dot.height() / 2);
            const QColor pen = graph->pen().color(); // equal up to premultiplied-alpha rounding
            for (auto [a, b] : {std::pair{centre.red(), pen.red()},
                                {centre.green(), pen.green()},
                                {centre.blue(), pen.blue()},
                                {centre.alpha(), pen.alpha()}})
                QVERIFY2(std::abs(a - b) <= 3,
                         qPrintable(centre.name(QColor::HexArgb) + " vs " + pen.name(QColor::HexArgb)));
            // ...and exports draw a vector disc of this diameter instead (tst_plot_export).
            QCOMPARE(graph->property(bp::ui::kVectorDotSizeProperty).toDouble(), 3.0);
        }
    }

    // A window moved to a screen of another pixel ratio: the plot's buffers and the dots drawn for the old
    // ratio are remade at the new one before the next paint (offscreen, the widget's ratio is 1, so the
    // test makes both as if for a ratio-2 screen and lets the plot notice).
    void followsTheScreensPixelRatio() {
        WeightScatter scatter;
        QVERIFY(scatter.setCurrent(at::randn({20, 30}), at::randn({20, 30})));
        scatter.resize(400, 300);
        scatter.show();
        QVERIFY(QTest::qWaitForWindowExposed(&scatter));
        QCustomPlot* plot = scatter.plot();
        const qreal ratio = plot->devicePixelRatioF();
        const qreal other = ratio * 2.0;
        QPixmap stale(6, 6);
        stale.setDevicePixelRatio(other);
        stale.fill(Qt::red);
        for (QCPGraph* graph : {scatter.initialGraph(), scatter.currentGraph()})
            graph->setScatterStyle(QCPScatterStyle(stale));
        plot->setBufferDevicePixelRatio(other);

        plot->repaint();
        QCOMPARE(plot->bufferDevicePixelRatio(), ratio);
        for (QCPGraph* graph : {scatter.initialGraph(), scatter.currentGraph()}) {
            const QPixmap dot = graph->scatterStyle().pixmap();
            QCOMPARE(dot.devicePixelRatio(), ratio);
            QCOMPARE(dot.width(), qCeil(3.0 * ratio));
            const QColor centre = dot.toImage().pixelColor(dot.width() / 2, dot.height() / 2);
            QVERIFY2(std::abs(centre.blue() - graph->pen().color().blue()) <= 3 && centre.red() != 255,
                     qPrintable(centre.name(QColor::HexArgb)));
        }
        // Nothing changes while the ratio stays: the dots are not drawn again on every paint.
        const qint64 key = scatter.currentGraph()->scatterStyle().pixmap().cacheKey();
        plot->repaint();
        QCOMPARE(scatter.currentGraph()->scatterStyle().pixmap().cacheKey(), key);
    }

    void mismatchedShapesAreReportedNotThrown() {
        WeightScatter scatter;
        QVERIFY(!scatter.setCurrent(at::zeros({3, 4}), at::zeros({5, 2})));
        QVERIFY2(scatter.errorMessage().contains(QStringLiteral("3×4")) &&
                     scatter.errorMessage().contains(QStringLiteral("5×2")),
                 qPrintable(scatter.errorMessage()));
        QVERIFY(scatter.title().contains(scatter.errorMessage()));
        QCOMPARE(scatter.currentCount(), 0);
        QVERIFY(std::isnan(scatter.currentAngle()));
        QVERIFY(!scatter.setCurrent(at::zeros({3, 4}), at::Tensor()));
        QVERIFY(scatter.errorMessage().contains(QStringLiteral("no feedback weights")));
        QVERIFY(scatter.setCurrent(at::ones({2, 2}), at::ones({2, 2})));
        QVERIFY(scatter.errorMessage().isEmpty());
        scatter.clear();
        QCOMPARE(scatter.currentCount(), 0);
    }
};

QTEST_MAIN(TestWeightScatter)
#include "tst_weight_scatter.moc"

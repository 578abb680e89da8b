// The parallel-coordinates plot over a real run database: categorical axes for rule and hidden widths, log
// axes for learning rates and wide positive ranges, n/a values breaking a line, axis titles clear of the
// colour bar at any width, and hovering a line naming its run.
#include "core/config/run_config.h"
#include "core/setup/defaults.h"
#include "core/store/run_store.h"
#include "ui/compare/parallel_coordinates_data.h"
#include "ui/compare/parallel_coordinates_plot.h"
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

using namespace bp;
using namespace bp::ui;

namespace {

struct Setting {
    const char* rule;
    std::vector<int> widths;
    double outputLr, weightDecay, momentum;
    double testError;
};

// Three runs recorded as the CLI records them (which hyperparameters apply, in the store).
const Setting kRuns[] = {{"burstprop", {500}, 0.001, 1e-5, 0.5, 30.0},
                         {"backprop", {500, 300}, 0.1, 1e-2, 0.9, 10.0},
                         {"feedback-alignment", {1000}, 0.01, 1e-4, 0.7, 20.0}};

int axisNamed(const ParallelCoordinatesPlot& plot, const QString& name) {
    return int(plot.axisNames().indexOf(name));
}

void hover(ParallelCoordinatesPlot& plot, const QPointF& at) {
    QMouseEvent move(QEvent::MouseMove, at, plot.mapToGlobal(at), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&plot, &move);
}

// Pixels of the image, inside rect, that differ from the plot's background.
int inkIn(const QImage& image, const QRect& rect, QRgb background) {
    int ink = 0;
    for (int y = rect.top(); y <= rect.bottom(); ++y)
        for (int x = rect.left(); x <= rect.right(); ++x)
            ink += image.pixel(x, y) != background ? 1 : 0;
    return ink;
}

} // namespace

class TestParallelCoordinates : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::unique_ptr<RunStore> store_;
    QVector<int64_t> ids_;

  private Q_SLOTS:
    void initTestCase() {
        store_ = std::make_unique<RunStore>(dir_.filePath(QStringLiteral("runs.sqlite")).toStdString());
        for (const Setting& s : kRuns) {
            RunConfig c = defaultConfig(DatasetKind::Mnist, s.rule);
            c.hiddenWidths = s.widths;
            c.outputLr = s.outputLr;
            c.hiddenLr = 0.1;
            c.weightDecay = s.weightDecay;
            c.momentum = s.momentum;
            c.seed = 1;
            const int64_t id = store_->createRun(
                c, s.rule, "", {}, [c](const std::string& key) { return hyperparameterApplies(c, key); });
            store_->appendMetrics(id, {{"test_error", 0, 0, 1.7e9, 90.0},
                                       {"test_error", 1, 10, 1.7e9 + 1, s.testError},
                                       {"weight_angle/0", 1, 10, 1.7e9 + 1, 40.0}});
            ids_ << id;
        }
    }

    void categoricalAndLogAxes() {
        ParallelCoordinatesPlot plot;
        plot.setRuns(*store_, ids_);
        QVERIFY2(plot.message().isEmpty(), qPrintable(plot.message()));
        const ParallelCoordinates& data = plot.data();

        const int rule = axisNamed(plot, QStringLiteral("rule"));
        QVERIFY(rule >= 0);
        QCOMPARE(data.axes[rule].categories, (QStringList{"backprop", "burstprop", "feedback-alignment"}));
        QCOMPARE(data.lines[0].values[rule], 1.0); // burstprop
        QCOMPARE(data.axes[rule].fraction(2.0), 1.0);
        const int widths = axisNamed(plot, QStringLiteral("hidden_widths"));
        QVERIFY(widths >= 0);
        QCOMPARE(data.axes[widths].categories.size(), 3);
        QVERIFY(!data.axes[widths].log);

        // Learning rates are logarithmic: 0.01 half way between 0.001 and 0.1.
        const int lr = axisNamed(plot, QStringLiteral("output_lr"));
        QVERIFY(lr >= 0);
        QVERIFY(data.axes[lr].log && !data.axes[lr].categorical());
        QCOMPARE(data.axes[lr].fraction(0.01), 0.5);
        // So is a positive value over three decades; a momentum from 0.5 to 0.9 is not.
        QVERIFY(data.axes[axisNamed(plot, QStringLiteral("weight_decay"))].log);
        const int momentum = axisNamed(plot, QStringLiteral("momentum"));
        QVERIFY(momentum >= 0 && !data.axes[momentum].log);
        QCOMPARE(data.axes[momentum].fraction(0.7), 0.5);

        // hidden_lr is 0.1 wherever it applies (backprop does not use it): no axis. p_baseline applies to
        // burstprop only: no axis either.
        QCOMPARE(axisNamed(plot, QStringLiteral("hidden_lr")), -1);
        QCOMPARE(axisNamed(plot, QStringLiteral("p_baseline")), -1);
        // Outcomes last.
        QCOMPARE(plot.axisNames().last(), QString::fromUtf8(kFinalWeightAngleAxis));
        QCOMPARE(data.lines[1].values[data.axes.size() - 2], 10.0);
    }

    // A value that does not apply to a run leaves its line broken at that axis (NaN), not drawn at a value.
    void notApplicableBreaksTheLine() {
        std::vector<RunOutcome> runs = readRunOutcomes(*store_, ids_);
        QCOMPARE(int(runs.size()), 3);
        // Give backprop's (not applying) hidden_lr another value: still no axis, the others agree.
        for (Hyperparameter& h : runs[1].hyperparameters)
            if (h.key == "hidden_lr") {
                QVERIFY(!h.applies);
                h.real = 5.0;
            }
        ParallelCoordinates data = buildParallelCoordinates(runs);
        for (const ParallelAxis& axis : data.axes)
            QVERIFY(axis.name != QLatin1String("hidden_lr"));
        // Make it vary among the runs it applies to: an axis, with backprop's value missing.
        for (Hyperparameter& h : runs[2].hyperparameters)
            if (h.key == "hidden_lr")
                h.real = 0.2;
        data = buildParallelCoordinates(runs);
        int lr = -1;
        for (int a = 0; a < data.axes.size(); ++a)
            if (data.axes[a].name == QLatin1String("hidden_lr"))
                lr = a;
        QVERIFY(lr >= 0);
        QVERIFY(std::isnan(data.lines[1].values[lr]));
        QCOMPARE(data.lines[2].values[lr], 0.2);
    }

    // The last axis's title used to run into the colour bar's ("final weightteset error"); titles stay apart.
    void titlesClearOfTheColourBar_data() {
        QTest::addColumn<int>("width");
        QTest::addRow("narrow") << 420;
        QTest::addRow("default") << 640;
        QTest::addRow("wide") << 1400;
    }
    void titlesClearOfTheColourBar() {
        QFETCH(int, width);
        ParallelCoordinatesPlot plot;
        plot.resize(width, 360);
        plot.setRuns(*store_, ids_);
        const int axes = plot.axisNames().size();
        QVERIFY(axes >= 6);
        const QRectF legend = plot.legendRect();
        QVERIFY(QRectF(plot.rect()).contains(legend));
        for (int a = 0; a < axes; ++a) {
            const QRectF title = plot.axisTitleRect(a);
            QVERIFY2(!title.intersects(legend), qPrintable(plot.axisNames()[a]));
            QVERIFY(title.left() >= 0 && title.right() <= legend.left());
            if (a > 0) // nor into its neighbour's
                QVERIFY2(!title.intersects(plot.axisTitleRect(a - 1)), qPrintable(plot.axisNames()[a]));
        }
        QVERIFY(plot.plotArea().right() < legend.left());
        QImage image(plot.size(), QImage::Format_ARGB32);
        plot.render(&image);
    }

    // Hovering a line highlights it and names its run, under the axes (and as a tooltip).
    void hoverNamesTheRun() {
        ParallelCoordinatesPlot plot;
        plot.resize(900, 400);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        plot.setRuns(*store_, ids_);
        const QRect caption(0, plot.height() - plot.fontMetrics().height() - 6, int(plot.legendRect().left()),
                            plot.fontMetrics().height() + 6);
        const QRgb background = plot.palette().color(QPalette::Base).rgb();
        QImage image(plot.size(), QImage::Format_ARGB32);
        plot.render(&image);
        QCOMPARE(inkIn(image, caption, background), 0);

        const int last = plot.axisNames().size() - 1;
        hover(plot, plot.pointOf(1, last - 1)); // backprop's line at final test error
        QCOMPARE(plot.hoveredLine(), 1);
        QCOMPARE(plot.hoverCaption(), QStringLiteral("#%1 backprop: test error 10.00 %").arg(ids_[1]));
        QCOMPARE(plot.lineToolTip(1), plot.hoverCaption());
        plot.render(&image);
        QVERIFY(inkIn(image, caption, background) > 20); // the caption is drawn

        hover(plot, QPointF(2, 2));
        QCOMPARE(plot.hoveredLine(), -1);
        QVERIFY(plot.hoverCaption().isEmpty());
    }
};

QTEST_MAIN(TestParallelCoordinates)
#include "tst_parallel_coordinates.moc"

// How fast ten long runs open in the comparison view: 20,000 batch points each (loss, error, and angles every
// 10 batches) plus 20 epochs of epoch metrics. Prints the figures; never fails on timing (target: < 0.5 s).
#include "core/config/run_config.h"
#include "core/setup/defaults.h"
#include "core/store/run_store.h"
#include "ui/compare/compare_plots.h"
#include "ui/compare/compare_view.h"
#include "ui/compare/parallel_coordinates_plot.h"
#include "ui/compare/run_figures_model.h"
#include "ui/plots/metric_plot.h"
#include "ui/plots/qcustomplot_include.h"
#include <QElapsedTimer>
#include <QtTest>
#include <cmath>

using namespace bp;
using namespace bp::ui;

namespace {

constexpr int kRuns = 10;
constexpr int kBatches = 20000;
constexpr int kEpochs = 20;
constexpr int kBatchesPerEpoch = kBatches / kEpochs;
constexpr int kAngleInterval = 10;
constexpr int kLayers = 3;

std::vector<MetricSample> longRun(int r) {
    std::vector<MetricSample> out;
    out.reserve(size_t(kBatches) * 2 + size_t(kBatches / kAngleInterval) * kLayers * 2 + kEpochs * 20);
    for (int s = 0; s <= kBatches; ++s) {
        const int epoch = s == 0 ? 0 : (s - 1) / kBatchesPerEpoch + 1;
        const double wall = 1.7e9 + s * 0.01;
        if (s > 0) {
            out.push_back(
                {"batch_loss", epoch, s, wall, 2.0 * std::exp(-s / 5000.0) + 0.05 * std::sin(s + r)});
            out.push_back({"batch_error", epoch, s, wall, 90.0 * std::exp(-s / 4000.0) + r});
        }
        const bool epochEnd = s % kBatchesPerEpoch == 0;
        if (epochEnd) {
            const int e = s / kBatchesPerEpoch;
            out.push_back({"train_loss", e, s, wall, 2.0 * std::exp(-e / 5.0)});
            out.push_back({"train_error", e, s, wall, 90.0 * std::exp(-e / 4.0)});
            out.push_back({"test_loss", e, s, wall, 2.1 * std::exp(-e / 5.0)});
            out.push_back({"test_error", e, s, wall, 91.0 * std::exp(-e / 4.0) + r * 0.1});
        }
        if (epochEnd || s % kAngleInterval == 0)
            for (int i = 0; i < kLayers; ++i) {
                out.push_back({"weight_angle/" + std::to_string(i), epoch, s, wall, 80.0 - s / 500.0 + i});
                out.push_back({"delta_angle/" + std::to_string(i), epoch, s, wall, 60.0 - s / 1000.0 + i});
            }
    }
    return out;
}

} // namespace

class TestCompareBenchmark : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::unique_ptr<RunStore> store_;
    QVector<int64_t> ids_;

  private Q_SLOTS:
    void initTestCase() {
        store_ = std::make_unique<RunStore>(dir_.filePath(QStringLiteral("runs.sqlite")).toStdString());
        QElapsedTimer timer;
        timer.start();
        for (int r = 0; r < kRuns; ++r) {
            RunConfig c = defaultConfig(DatasetKind::Mnist, "burstprop");
            c.hiddenLr = 0.05 * (r + 1);
            c.seed = uint64_t(r + 1);
            c.epochs = kEpochs;
            const int64_t id = store_->createRun(c, "run " + std::to_string(r));
            store_->appendMetrics(id, longRun(r));
            ids_ << id;
        }
        qInfo("wrote %d runs x %d batches in %lld ms", kRuns, kBatches, qint64(timer.elapsed()));
    }

    void openTenLongRuns() {
        CompareView view;
        view.resize(1400, 1000);
        view.setStore(store_.get());
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        for (int round = 0; round < 3; ++round) {
            QElapsedTimer timer;
            timer.start();
            view.setRuns(ids_);
            const qint64 loaded = timer.elapsed();
            view.repaint(); // draws the plots and the visible tab now
            for (MetricPlot* plot : view.plots())
                plot->plot()->repaint();
            const qint64 drawn = timer.elapsed();
            qInfo("round %d: setRuns() %lld ms, drawn after %lld ms (target < 500 ms)", round, loaded, drawn);
            QCOMPARE(view.plots().first()->seriesCount(), 2 * kRuns);
            QCOMPARE(view.figuresModel()->rowCount(), kRuns);
            QCOMPARE(view.parallelPlot()->lineCount(), kRuns);
        }
    }

    void partsSeparately() {
        QElapsedTimer timer;
        ComparePlots plots;
        plots.resize(1400, 700);
        std::vector<RunRecord> runs;
        for (int64_t id : ids_)
            runs.push_back(*store_->getRun(id));
        timer.start();
        for (int64_t id : ids_)
            for (const char* name : {"batch_loss", "batch_error", "weight_angle/2", "delta_angle/2"})
                store_->readMetricsReduced(id, name, 0, INT64_MAX, ComparePlots::kBuckets);
        qInfo("store: reduced reads of the curves alone: %lld ms", qint64(timer.restart()));
        QString error;
        QVERIFY(plots.load(*store_, runs, &error));
        qInfo("curves: %lld ms", qint64(timer.restart()));
        RunFiguresModel figures;
        figures.setRuns(*store_, ids_);
        qInfo("figures: %lld ms", qint64(timer.restart()));
        ParallelCoordinatesPlot parallel;
        parallel.setRuns(*store_, ids_);
        qInfo("parallel coordinates: %lld ms", qint64(timer.restart()));
        const int batchSeries = 0; // the first run's faint batch loss
        QCOMPARE(plots.plots().first()->pointCount(batchSeries), ComparePlots::kBuckets);
    }
};

QTEST_MAIN(TestCompareBenchmark)
#include "tst_compare_benchmark.moc"

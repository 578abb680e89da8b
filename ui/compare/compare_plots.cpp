#include "ui/compare/compare_plots.h"
#include "core/config/hyperparameters.h"
#include "core/setup/network_for_config.h"
#include "core/store/run_recorder.h"
#include "core/util/error.h"
#include "ui/compare/run_identity.h"
#include "ui/plots/metric_plot.h"
#include "ui/plots/plot_export.h"
#include "ui/plots/plot_toolbar.h"
#include "ui/plots/qcustomplot_include.h"
#include <QCoreApplication>
#include <QGridLayout>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <iterator>
#include <memory>
#include <string>
#include <tuple>

namespace bp::ui {

namespace {

// Fractional epochs for batch steps: linear between the steps at which epochs ended (their test error),
// extrapolated past the last one with the last epoch's length. Batch samples only know their whole epoch.
class EpochScale {
  public:
    explicit EpochScale(const std::vector<MetricPoint>& epochEnds) {
        for (const MetricPoint& p : epochEnds)
            ends_.push_back({double(p.step), double(p.epoch)});
        std::sort(ends_.begin(), ends_.end());
    }
    // The step at a fractional epoch (the inverse of epochAt); clamps to the recorded range.
    double stepAt(double epoch) const {
        if (ends_.size() < 2)
            return epoch;
        for (size_t i = 1; i < ends_.size(); ++i)
            if (epoch <= ends_[i].second || i + 1 == ends_.size()) {
                const auto& lo = ends_[i - 1];
                const auto& hi = ends_[i];
                if (hi.second == lo.second)
                    return hi.first;
                return lo.first + (epoch - lo.second) * (hi.first - lo.first) / (hi.second - lo.second);
            }
        return ends_.back().first;
    }
    double epochAt(int64_t step, int fallbackEpoch) const {
        if (ends_.size() < 2)
            return fallbackEpoch;
        const double s = double(step);
        auto upper = std::upper_bound(ends_.begin(), ends_.end(), std::make_pair(s, 1e300));
        auto hi = upper == ends_.end() ? std::prev(upper) : upper == ends_.begin() ? std::next(upper) : upper;
        auto lo = std::prev(hi);
        if (hi->first == lo->first)
            return fallbackEpoch;
        return lo->second + (s - lo->first) * (hi->second - lo->second) / (hi->first - lo->first);
    }

  private:
    std::vector<std::pair<double, double>> ends_; // (step, epoch)
};

void addReduced(MetricPlot* plot, int series, RunStore& store, int64_t runId, const std::string& name,
                const EpochScale& scale) {
    for (const MetricBucket& b : store.readMetricsReduced(runId, name, 0, INT64_MAX, ComparePlots::kBuckets))
        plot->addPoint(series,
                       XPoint{scale.epochAt(b.lastStep, b.lastEpoch), double(b.lastStep), b.lastWallTime},
                       b.last);
}

} // namespace

// A series read reduced from the store, re-read at full resolution for the visible range after a zoom.
struct ComparePlots::ReducedSeries {
    MetricPlot* plot = nullptr;
    int series = -1;
    int64_t runId = 0;
    std::string name;
    std::shared_ptr<EpochScale> scale;
};

namespace {

void addEpochPoints(MetricPlot* plot, int series, const std::vector<MetricPoint>& points) {
    for (const MetricPoint& p : points)
        plot->addPoint(series, XPoint{double(p.epoch), double(p.step), p.wallTime}, p.value);
    plot->setSeriesSmoothed(series, false); // a handful of points: a moving average would lag far behind
}

// Smoothing is for dense series: more than two points an epoch on average (batch values, angles measured
// every N batches). Angles measured once an epoch are drawn as recorded.
void smoothIfDense(MetricPlot* plot, int series, int epochs) {
    plot->setSeriesSmoothed(series, plot->pointCount(series) > 2 * std::max(epochs, 1));
}

// How the Train page names the layers: by their place in the run's network ("output", "hidden 3"); empty
// when its configuration cannot be read. Per-layer metrics are keyed by the layer's index (schema 6).
std::vector<std::string> layerTitlesOf(const RunRecord& run) {
    try {
        return layerTitles(configFromJson(run.configJson));
    } catch (const std::exception&) {
        return {};
    }
}

// The panels' titles say what is drawn: each run's curves, or each seed group's mean.
void setTitle(MetricPlot* plot, const QString& title) {
    if (auto* element = qobject_cast<QCPTextElement*>(plot->plot()->plotLayout()->element(0, 0)))
        element->setText(title);
}

QString layerName(const std::vector<std::string>& titles, int layer) {
    if (layer >= 0 && layer < int(titles.size()))
        return QString::fromStdString(titles[size_t(layer)]);
    return QCoreApplication::translate("bp::ui::ComparePlots", "layer %1").arg(layer);
}

} // namespace

ComparePlots::ComparePlots(QWidget* parent)
    : QWidget(parent), toolbar_(new PlotToolbar),
      loss_(new MetricPlot(tr("Test loss per epoch (training batches faint)"), tr("loss"))),
      error_(new MetricPlot(tr("Test error per epoch (training batches faint)"), tr("error (%)"))),
      weightAngle_(new MetricPlot(tr("Weight angle of each run's top layer"), tr("degrees"))),
      deltaAngle_(new MetricPlot(tr("Delta angle of each run's top layer"), tr("degrees"))),
      top5_(new MetricPlot(tr("Top-5 error per epoch (test; train faint)"), tr("error (%)"))) {
    auto* grid = new QGridLayout;
    grid->addWidget(loss_, 0, 0);
    grid->addWidget(error_, 0, 1);
    grid->addWidget(weightAngle_, 1, 0);
    grid->addWidget(deltaAngle_, 1, 1);
    grid->addWidget(top5_, 2, 0);
    top5_->hide();
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(toolbar_);
    layout->addLayout(grid, 1);
    toolbar_->setPlots(plots());
    toolbar_->setXAxisMode(XAxisMode::Epoch);
    // After a zoom settles, the visible range is re-read from the store at full bucket resolution.
    requeryTimer_.setSingleShot(true);
    requeryTimer_.setInterval(150);
    connect(&requeryTimer_, &QTimer::timeout, this, [this] {
        if (pendingPlot_)
            requery(pendingPlot_, pendingRange_.first, pendingRange_.second);
    });
    for (MetricPlot* plot : plots())
        connect(plot, &MetricPlot::viewChanged, this, [this, plot](double lower, double upper) {
            pendingPlot_ = plot;
            pendingRange_ = {lower, upper};
            requeryTimer_.start();
        });
}

ComparePlots::~ComparePlots() = default;

QList<MetricPlot*> ComparePlots::plots() const {
    QList<MetricPlot*> all{loss_, error_, weightAngle_, deltaAngle_};
    if (!top5_->isHidden())
        all << top5_;
    return all;
}

void ComparePlots::clear() {
    reduced_.clear();
    for (MetricPlot* plot : {loss_, error_, weightAngle_, deltaAngle_, top5_})
        plot->clear();
}

void ComparePlots::requery(MetricPlot* plot, double lower, double upper) {
    if (!store_)
        return;
    const XAxisMode mode = plot->xAxisMode();
    if (mode != XAxisMode::Step && mode != XAxisMode::Epoch)
        return; // time axes keep the overview
    try {
        for (const ReducedSeries& r : reduced_) {
            if (r.plot != plot)
                continue;
            const double lo = mode == XAxisMode::Step ? lower : r.scale->stepAt(lower);
            const double hi = mode == XAxisMode::Step ? upper : r.scale->stepAt(upper);
            const int64_t from = std::max<int64_t>(0, int64_t(std::floor(lo)));
            const int64_t to = std::max<int64_t>(from, int64_t(std::ceil(hi)));
            // The overview outside the window, every bucket's detail inside it.
            QVector<XPoint> xs;
            QVector<double> ys;
            auto add = [&](const MetricBucket& b) {
                xs.push_back(
                    XPoint{r.scale->epochAt(b.lastStep, b.lastEpoch), double(b.lastStep), b.lastWallTime});
                ys.push_back(b.last);
            };
            for (const MetricBucket& b : store_->readMetricsReduced(r.runId, r.name, 0, INT64_MAX, kBuckets))
                if (b.lastStep < from || b.lastStep > to)
                    add(b);
            for (const MetricBucket& b : store_->readMetricsReduced(r.runId, r.name, from, to, kBuckets))
                add(b);
            plot->setSeriesPoints(r.series, xs, ys);
        }
    } catch (const std::exception&) {
        return; // the overview stays; the next zoom tries again
    }
    plot->replot();
}

bool ComparePlots::load(RunStore& store, const std::vector<RunRecord>& runs, QString* error) {
    clear();
    setTitle(loss_, tr("Test loss per epoch (training batches faint)"));
    setTitle(error_, tr("Test error per epoch (training batches faint)"));
    setTitle(weightAngle_, tr("Weight angle of each run's top layer"));
    setTitle(deltaAngle_, tr("Delta angle of each run's top layer"));
    store_ = &store;
    bool topFive = false;
    try {
        for (size_t i = 0; i < runs.size(); ++i) {
            const RunRecord& run = runs[i];
            const QString label = runLabel(run);
            const QColor colour = runColour(int(i));
            const std::vector<MetricPoint> testError = store.readMetrics(run.id, "test_error");
            const auto scalePtr = std::make_shared<EpochScale>(testError);
            const EpochScale& scale = *scalePtr;
            auto remember = [&](MetricPlot* plot, int series, const std::string& name) {
                reduced_.push_back({plot, series, run.id, name, scalePtr});
                return series;
            };

            const int epochs = int(testError.size());
            const QString batchLabel = label + tr(" · train (batch)");
            const QString testLabel = label + tr(" · test");
            for (const auto& [plot, batchName, testName] :
                 {std::tuple(loss_, "batch_loss", "test_loss"),
                  std::tuple(error_, "batch_error", "test_error")}) {
                const int batch = remember(plot, plot->addSeries(batchLabel, colour, true), batchName);
                addReduced(plot, batch, store, run.id, batchName, scale);
                smoothIfDense(plot, batch, epochs);
                const int test = plot->addSeries(testLabel, colour, false, true);
                plot->setSeriesCompanion(batch, test); // the run's legend entry hides both of its curves
                addEpochPoints(plot, test, plot == error_ ? testError : store.readMetrics(run.id, testName));
            }

            const std::vector<MetricPoint> testTop5 = store.readMetrics(run.id, "test_top5_error");
            if (!testTop5.empty()) { // the ImageNet net and other softmax outputs
                topFive = true;
                const int train = top5_->addSeries(label + tr(" · train"), colour, true);
                addEpochPoints(top5_, train, store.readMetrics(run.id, "train_top5_error"));
                const int test = top5_->addSeries(testLabel, colour, false, true);
                top5_->setSeriesCompanion(train, test);
                addEpochPoints(top5_, test, testTop5);
            }

            const std::vector<std::string> names = store.metricNames(run.id);
            const std::vector<std::string> titles = layerTitlesOf(run); // once per run, for both angle plots
            const std::pair<MetricPlot*, std::string> angles[] = {{weightAngle_, "weight_angle/"},
                                                                  {deltaAngle_, "delta_angle/"}};
            for (const auto& [plot, prefix] : angles) {
                const int top = topAngleLayer(names, prefix);
                const QString layer = top >= 0 ? QStringLiteral(" · ") + layerName(titles, top) : QString();
                const int series = plot->addSeries(label + layer, colour);
                if (top >= 0) {
                    addReduced(plot, remember(plot, series, prefix + std::to_string(top)), store, run.id,
                               prefix + std::to_string(top), scale);
                    smoothIfDense(plot, series, epochs);
                }
            }
        }
    } catch (const Error& e) {
        clear();
        top5_->hide();
        toolbar_->setPlots(plots());
        if (error)
            *error = QString::fromUtf8(e.what());
        return false;
    }
    top5_->setVisible(topFive);
    toolbar_->setPlots(plots());
    for (MetricPlot* plot : plots())
        plot->replot();
    return true;
}

bool ComparePlots::loadGroups(RunStore& store, const std::vector<RunRecord>& runs,
                              const std::vector<SeedGroup>& groups, const GroupCurveOptions& options,
                              QString* error) {
    clear();
    setTitle(loss_, tr("Test loss per epoch, mean of each seed group"));
    setTitle(error_, tr("Test error per epoch, mean of each seed group"));
    setTitle(weightAngle_, tr("Weight angle of the top layer, mean of each seed group"));
    setTitle(deltaAngle_, tr("Delta angle of the top layer, mean of each seed group"));
    store_ = &store;
    top5_->hide();
    toolbar_->setPlots(plots());
    try {
        std::vector<RunEpochSeries> series;
        for (const RunRecord& run : runs)
            series.push_back(readEpochSeries(store, run));
        drawGroupCurves({loss_, error_, weightAngle_, deltaAngle_}, runs, series, groups, options);
    } catch (const Error& e) {
        clear();
        if (error)
            *error = QString::fromUtf8(e.what());
        return false;
    }
    for (MetricPlot* plot : plots())
        plot->replot();
    return true;
}

bool ComparePlots::exportFigures(const QString& path, QString* error, ExportOptions options) const {
    QList<QCustomPlot*> panels;
    for (MetricPlot* plot : plots())
        panels << plot->plot();
    const bool squeezed = loss_->width() < 200 || loss_->height() < 150; // never shown: a legible default
    if (options.width == 0)
        options.width = squeezed ? 800 : loss_->width();
    if (options.height == 0)
        options.height = squeezed ? 450 : loss_->height();
    return exportPanels(panels, path, options, error);
}

} // namespace bp::ui

#include "ui/compare/compare_plots.h"
#include "core/util/error.h"
#include "ui/compare/run_identity.h"
#include "ui/plots/metric_plot.h"
#include "ui/plots/plot_export.h"
#include "ui/plots/plot_toolbar.h"
#include <QGridLayout>
#include <QVBoxLayout>
#include <algorithm>
#include <iterator>
#include <string>

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

// The highest layer index among the run's "<prefix><i>" series; -1 when none.
int topLayer(const std::vector<std::string>& names, const std::string& prefix) {
    int top = -1;
    for (const std::string& name : names)
        if (name.compare(0, prefix.size(), prefix) == 0)
            top = std::max(top, std::atoi(name.c_str() + prefix.size()));
    return top;
}

void addReduced(MetricPlot* plot, int series, RunStore& store, int64_t runId, const std::string& name,
                const EpochScale& scale) {
    for (const MetricBucket& b : store.readMetricsReduced(runId, name, 0, INT64_MAX, ComparePlots::kBuckets))
        plot->addPoint(series,
                       XPoint{scale.epochAt(b.lastStep, b.lastEpoch), double(b.lastStep), b.lastWallTime},
                       b.last);
}

void addEpochPoints(MetricPlot* plot, int series, const std::vector<MetricPoint>& points) {
    for (const MetricPoint& p : points)
        plot->addPoint(series, XPoint{double(p.epoch), double(p.step), p.wallTime}, p.value);
}

} // namespace

ComparePlots::ComparePlots(QWidget* parent)
    : QWidget(parent), toolbar_(new PlotToolbar), loss_(new MetricPlot(tr("Loss"), tr("loss"))),
      error_(new MetricPlot(tr("Error"), tr("error (%)"))),
      weightAngle_(new MetricPlot(tr("Weight angle (top layer)"), tr("degrees"))),
      deltaAngle_(new MetricPlot(tr("Delta angle (top layer)"), tr("degrees"))) {
    auto* grid = new QGridLayout;
    grid->addWidget(loss_, 0, 0);
    grid->addWidget(error_, 0, 1);
    grid->addWidget(weightAngle_, 1, 0);
    grid->addWidget(deltaAngle_, 1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(toolbar_);
    layout->addLayout(grid, 1);
    toolbar_->setPlots(plots());
    toolbar_->setXAxisMode(XAxisMode::Epoch);
}

void ComparePlots::clear() {
    for (MetricPlot* plot : plots())
        plot->clear();
}

bool ComparePlots::load(RunStore& store, const std::vector<RunRecord>& runs, QString* error) {
    clear();
    try {
        for (size_t i = 0; i < runs.size(); ++i) {
            const RunRecord& run = runs[i];
            const QString label = runLabel(run);
            const QColor colour = runColour(int(i));
            const std::vector<MetricPoint> testError = store.readMetrics(run.id, "test_error");
            const EpochScale scale(testError);

            const QString batchLabel = label + tr(" (batch)");
            addReduced(loss_, loss_->addSeries(batchLabel, colour, true), store, run.id, "batch_loss", scale);
            addEpochPoints(loss_, loss_->addSeries(label, colour, false, true),
                           store.readMetrics(run.id, "test_loss"));
            addReduced(error_, error_->addSeries(batchLabel, colour, true), store, run.id, "batch_error",
                       scale);
            addEpochPoints(error_, error_->addSeries(label, colour, false, true), testError);

            const std::vector<std::string> names = store.metricNames(run.id);
            const std::pair<MetricPlot*, std::string> angles[] = {{weightAngle_, "weight_angle/"},
                                                                  {deltaAngle_, "delta_angle/"}};
            for (const auto& [plot, prefix] : angles) {
                const int top = topLayer(names, prefix);
                const int series = plot->addSeries(label, colour);
                if (top >= 0)
                    addReduced(plot, series, store, run.id, prefix + std::to_string(top), scale);
            }
        }
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

bool ComparePlots::exportFigures(const QString& path, QString* error) const {
    QList<QCustomPlot*> panels;
    for (MetricPlot* plot : plots())
        panels << plot->plot();
    ExportOptions options;
    if (loss_->width() < 200 || loss_->height() < 150) { // never shown (or squeezed): a legible default size
        options.width = 800;
        options.height = 450;
    }
    return exportPanels(panels, path, options, error);
}

} // namespace bp::ui

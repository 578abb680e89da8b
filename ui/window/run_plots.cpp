#include "ui/window/run_plots.h"
#include "core/rules/rule_registry.h"
#include "core/store/run_recorder.h"
#include "core/store/run_store.h"
#include "ui/plots/angle_heatmap.h"
#include "ui/plots/filter_panel.h"
#include "ui/plots/metric_plot.h"
#include "ui/plots/plot_toolbar.h"
#include "ui/plots/qcustomplot_include.h"
#include "ui/plots/signal_view.h"
#include "ui/plots/weight_scatter.h"
#include "ui/training/training_session.h"
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QTabWidget>
#include <QVBoxLayout>
#include <cmath>
#include <map>

namespace bp::ui {

namespace {
enum Series {
    TrainLoss,
    TestLoss,
    TrainError,
    TestError,
    BatchLoss,
    BatchError,
    TrainTop5,
    TestTop5,
    SeriesKinds
};
const QColor kTrainColour(31, 119, 180), kTestColour(214, 39, 40);
} // namespace

RunPlots::RunPlots(QWidget* parent) : QWidget(parent) {
    loss_ = new MetricPlot(tr("Loss"), tr("MSE"));
    error_ = new MetricPlot(tr("Error"), tr("error (%)"));
    top5_ = new MetricPlot(tr("Top-5 error"), tr("top-5 error (%)"));
    top5_->setToolTip(tr("Percent of images whose class is not among the network's five highest outputs "
                         "(k = min(5, classes)); measured per epoch for softmax outputs"));
    weightAngles_ = new MetricPlot(tr("Feedback vs forward weights"), tr("angle W–Y (°)"));
    deltaAngles_ = new MetricPlot(tr("Update vs backprop"), tr("delta angle (°)"));
    auto* curves = new QWidget;
    auto* grid = new QGridLayout(curves);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addWidget(loss_, 0, 0);
    grid->addWidget(error_, 0, 1);
    grid->addWidget(top5_, 0, 2);
    grid->addWidget(weightAngles_, 1, 0);
    grid->addWidget(deltaAngles_, 1, 1, 1, 2); // takes the top-5 panel's column too while that is hidden

    weightHeatmap_ = new AngleHeatmap(tr("Weight angle W–Y per layer"));
    deltaHeatmap_ = new AngleHeatmap(tr("Delta angle to backprop per layer"));
    weightHeatmap_->setXLabel(tr("step"));
    deltaHeatmap_->setXLabel(tr("step"));
    auto* heatmaps = new QWidget;
    auto* heatLayout = new QVBoxLayout(heatmaps);
    heatLayout->setContentsMargins(0, 0, 0, 0);
    heatLayout->addWidget(weightHeatmap_);
    heatLayout->addWidget(deltaHeatmap_);

    scatter_ = new WeightScatter;
    scatterLayer_ = new QComboBox;
    scatterLayer_->setToolTip(tr("The layer whose forward and feedback weights are compared"));
    auto* weights = new QWidget;
    auto* weightsLayout = new QVBoxLayout(weights);
    weightsLayout->setContentsMargins(0, 0, 0, 0);
    auto* layerRow = new QHBoxLayout;
    layerRow->addWidget(new QLabel(tr("Layer")));
    layerRow->addWidget(scatterLayer_);
    layerRow->addStretch(1);
    weightsLayout->addLayout(layerRow);
    weightsLayout->addWidget(scatter_, 1);
    connect(scatterLayer_, &QComboBox::currentIndexChanged, this, &RunPlots::showScatterLayer);

    filters_ = new FilterPanel;
    filtersNote_ = tr("No feedback weights Y of W's shape: forward filters W only.");
    filters_->setMissingFeedbackNote(filtersNote_);
    filtersTab_ = new QWidget;
    auto* filtersLayout = new QVBoxLayout(filtersTab_);
    filtersLayout->setContentsMargins(0, 0, 0, 0);
    filtersLayout->addWidget(filters_, 1);

    signals_ = new SignalView;

    tabs_ = new QTabWidget;
    tabs_->addTab(curves, tr("Curves"));
    tabs_->addTab(heatmaps, tr("Alignment across depth"));
    tabs_->addTab(weights, tr("W against Y"));
    tabs_->addTab(filtersTab_, tr("First-layer filters"));
    tabs_->addTab(signals_, tr("Signals"));
    tabs_->setTabToolTip(
        tabs_->indexOf(signals_),
        tr("Histograms over training of a layer's event rates, burst probabilities and deltas, "
           "recorded at the steps that measure angles"));
    tabs_->setTabToolTip(
        tabs_->indexOf(filtersTab_),
        tr("The first convolution's kernels W beside its feedback kernels Y, refreshed every "
           "second while shown"));
    connect(tabs_, &QTabWidget::currentChanged, this, [this, weights] {
        replot();
        if (tabs_->currentWidget() == weights || tabs_->currentWidget() == filtersTab_)
            Q_EMIT weightsViewShown();
    });
    toolbar_ = new PlotToolbar;
    toolbar_->setPlots(allMetricPlots());
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(toolbar_);
    layout->addWidget(tabs_, 1);
    reset(0.0);
}

QList<MetricPlot*> RunPlots::metricPlots() const {
    if (top5Shown_)
        return allMetricPlots();
    return {loss_, error_, weightAngles_, deltaAngles_};
}

QList<QWidget*> RunPlots::panels() const {
    if (top5Shown_)
        return {loss_, error_, top5_, weightAngles_, deltaAngles_, weightHeatmap_, deltaHeatmap_};
    return {loss_, error_, weightAngles_, deltaAngles_, weightHeatmap_, deltaHeatmap_};
}

bool RunPlots::weightsVisible() const {
    return scatter_->isVisible() || filters_->isVisible();
}

bool RunPlots::filtersAvailable() const {
    return tabs_->isTabVisible(tabs_->indexOf(filtersTab_));
}

void RunPlots::showTop5(bool shown) {
    top5Shown_ = shown;
    top5_->setVisible(shown);
}

void RunPlots::setRule(const std::string& rule) {
    const RuleInfo* info = findRule(rule);
    QString tip = tr("Angle between each layer's forward weights W and the feedback weights that carry its "
                     "signal down, every layer but the lowest");
    if (info && !info->weightAngleNote.empty())
        tip = QString::fromStdString(info->weightAngleNote);
    else if (info && !info->weightAngles)
        tip = tr("%1 has no feedback weights to compare with W: no weight angle.")
                  .arg(QString::fromStdString(info->title));
    weightAngles_->setToolTip(tip);
    weightHeatmap_->setToolTip(tip);
    filtersNote_ = info && !info->weightAngles
                       ? tr("%1 has no feedback weights Y: forward filters W only.")
                             .arg(QString::fromStdString(info->title))
                       : tr("This rule has no feedback weights Y of W's shape: forward filters W only.");
    filters_->setMissingFeedbackNote(filtersNote_);
}

void RunPlots::setOutputKind(OutputKind output) {
    loss_->plot()->yAxis->setLabel(output == OutputKind::Softmax ? tr("cross-entropy") : tr("MSE"));
}

void RunPlots::setLayerTitles(const QStringList& titles) {
    layerTitles_ = titles;
    signals_->setLayerTitles(titles);
}

QString RunPlots::layerTitle(int layer) const {
    return layer >= 0 && layer < layerTitles_.size() ? layerTitles_[layer] : tr("layer %1").arg(layer);
}

void RunPlots::setHeatmapRows(AngleHeatmap* map, int count, int firstLayer) {
    QStringList labels;
    for (int i = 0; i < count; ++i)
        labels << layerTitle(firstLayer + i);
    map->setLayerLabels(labels);
}

void RunPlots::reset(double startWallTime) {
    startWall_ = startWallTime;
    for (MetricPlot* p : allMetricPlots())
        p->clear();
    series_[TrainLoss] = loss_->addSeries(tr("train"), kTrainColour, false, true);
    series_[TestLoss] = loss_->addSeries(tr("test"), kTestColour, false, true);
    series_[TrainError] = error_->addSeries(tr("train"), kTrainColour, false, true);
    series_[TestError] = error_->addSeries(tr("test"), kTestColour, false, true);
    // Each batch's own loss and error before its update, faint behind the epoch curves: the panels move
    // from the first batch on, not from the first epoch's end. The smoothing acts on these dense series; the
    // handful of epoch points stay as measured.
    series_[BatchLoss] = loss_->addSeries(tr("train, per batch"), kTrainColour, true);
    series_[BatchError] = error_->addSeries(tr("train, per batch"), kTrainColour, true);
    series_[TrainTop5] = top5_->addSeries(tr("train"), kTrainColour, false, true);
    series_[TestTop5] = top5_->addSeries(tr("test"), kTestColour, false, true);
    for (int kind : {TrainTop5, TestTop5})
        top5_->setSeriesSmoothed(series_[kind], false);
    showTop5(false);
    loss_->setSeriesCompanion(series_[BatchLoss], series_[TrainLoss]);
    error_->setSeriesCompanion(series_[BatchError], series_[TrainError]);
    for (int kind : {TrainLoss, TestLoss})
        loss_->setSeriesSmoothed(series_[kind], false);
    for (int kind : {TrainError, TestError})
        error_->setSeriesSmoothed(series_[kind], false);
    weightHeatmap_->clear();
    deltaHeatmap_->clear();
    signals_->clear();
    initialW_.clear();
    initialY_.clear();
    currentW_.clear();
    currentY_.clear();
    pairedLayers_.clear();
    {
        const QSignalBlocker block(scatterLayer_);
        scatterLayer_->clear();
    }
    scatter_->clear();
    filters_->clear();
    tabs_->setTabVisible(tabs_->indexOf(filtersTab_), false);
}

void RunPlots::addAngles(const std::vector<double>& weight, const std::vector<double>& delta, int firstWeight,
                         double epoch, int64_t step, double wall, bool faint) {
    XPoint x;
    x.epoch = epoch;
    x.step = static_cast<double>(step);
    x.wallSeconds = wall;
    // Weight angles from layer firstWeight up (every layer but the lowest); delta angles for each hidden
    // layer.
    for (size_t i = 0; i < weight.size(); ++i) {
        const int layer = firstWeight + int(i);
        weightAngles_->addPoint(weightAngles_->layerSeries(layer, layerTitle(layer), faint), x, weight[i]);
    }
    for (size_t i = 0; i < delta.size(); ++i)
        deltaAngles_->addPoint(deltaAngles_->layerSeries(int(i), layerTitle(int(i)), faint), x, delta[i]);
    if (!weight.empty()) {
        if (weightHeatmap_->layerCount() != int(weight.size()))
            setHeatmapRows(weightHeatmap_, int(weight.size()), firstWeight);
        weightHeatmap_->addColumn(static_cast<double>(step), QVector<double>(weight.begin(), weight.end()));
    }
    if (!delta.empty()) {
        if (deltaHeatmap_->layerCount() != int(delta.size()))
            setHeatmapRows(deltaHeatmap_, int(delta.size()), 0);
        deltaHeatmap_->addColumn(static_cast<double>(step), QVector<double>(delta.begin(), delta.end()));
    }
}

void RunPlots::addBatch(const BatchReport& b) {
    const double epoch = (b.epoch - 1) + static_cast<double>(b.batch) / b.batchesPerEpoch;
    XPoint x;
    x.epoch = epoch;
    x.step = static_cast<double>(b.step);
    x.wallSeconds = startWall_ + b.elapsedSeconds;
    loss_->addPoint(series_[BatchLoss], x, b.loss);
    error_->addPoint(series_[BatchError], x, b.error);
    if (!b.signals.empty())
        signals_->addMeasurement(b.epoch, b.step, b.signals);
    if (b.weightAngles.empty() && b.deltaAngles.empty())
        return;
    addAngles(b.weightAngles, b.deltaAngles, b.firstWeightAngleLayer, epoch, b.step,
              startWall_ + b.elapsedSeconds, true);
}

void RunPlots::addEpoch(const EpochReport& e) {
    XPoint x;
    x.epoch = e.epoch;
    x.step = static_cast<double>(e.step);
    x.wallSeconds = startWall_ + e.elapsedSeconds;
    loss_->addPoint(series_[TrainLoss], x, e.trainLoss);
    loss_->addPoint(series_[TestLoss], x, e.testLoss);
    error_->addPoint(series_[TrainError], x, e.trainError);
    error_->addPoint(series_[TestError], x, e.testError);
    if (std::isfinite(e.trainTop5Error) || std::isfinite(e.testTop5Error)) {
        if (!top5Shown_)
            showTop5(true);
        if (std::isfinite(e.trainTop5Error))
            top5_->addPoint(series_[TrainTop5], x, e.trainTop5Error);
        if (std::isfinite(e.testTop5Error))
            top5_->addPoint(series_[TestTop5], x, e.testTop5Error);
    }
    for (size_t i = 0; i < e.weightAngles.size(); ++i) {
        const int layer = e.firstWeightAngleLayer + int(i);
        weightAngles_->addPoint(weightAngles_->layerSeries(layer, layerTitle(layer), false), x,
                                e.weightAngles[i]);
    }
    for (size_t i = 0; i < e.deltaAngles.size(); ++i)
        deltaAngles_->addPoint(deltaAngles_->layerSeries(int(i), layerTitle(int(i)), false), x,
                               e.deltaAngles[i]);
    // The heatmaps take every measurement once: batches bring theirs, epoch 0 (before training) its own.
    if (e.epoch == 0 && !e.signals.empty())
        signals_->addMeasurement(e.epoch, e.step, e.signals);
    if (e.epoch == 0) {
        if (!e.weightAngles.empty()) {
            setHeatmapRows(weightHeatmap_, int(e.weightAngles.size()), e.firstWeightAngleLayer);
            weightHeatmap_->addColumn(0.0, QVector<double>(e.weightAngles.begin(), e.weightAngles.end()));
        }
        if (!e.deltaAngles.empty()) {
            setHeatmapRows(deltaHeatmap_, int(e.deltaAngles.size()), 0);
            deltaHeatmap_->addColumn(0.0, QVector<double>(e.deltaAngles.begin(), e.deltaAngles.end()));
        }
    }
}

void RunPlots::loadFromStore(RunStore& store, int64_t runId) {
    const std::vector<std::string> names = store.metricNames(runId);
    double first = 0.0;
    std::map<std::string, std::vector<MetricPoint>> series;
    for (const std::string& name : names) {
        if (name == "test_loss" || name == "train_loss" || name == "test_error" || name == "train_error" ||
            name == "train_top5_error" || name == "test_top5_error" || name == "batch_loss" ||
            name == "batch_error" || angleLayer(name, "weight_angle/") >= 0 ||
            angleLayer(name, "delta_angle/") >= 0) {
            series[name] = store.readMetrics(runId, name);
            if (!series[name].empty() && (first == 0.0 || series[name].front().wallTime < first))
                first = series[name].front().wallTime;
        }
    }
    reset(first);
    auto point = [](const MetricPoint& p) {
        XPoint x;
        x.epoch = p.epoch;
        x.step = static_cast<double>(p.step);
        x.wallSeconds = p.wallTime;
        return x;
    };
    const std::pair<const char*, std::pair<MetricPlot*, int>> epochSeries[] = {
        {"train_loss", {loss_, series_[TrainLoss]}},       {"test_loss", {loss_, series_[TestLoss]}},
        {"train_error", {error_, series_[TrainError]}},    {"test_error", {error_, series_[TestError]}},
        {"train_top5_error", {top5_, series_[TrainTop5]}}, {"test_top5_error", {top5_, series_[TestTop5]}}};
    showTop5(!series["train_top5_error"].empty() || !series["test_top5_error"].empty());
    std::map<int64_t, int> epochOfStep; // the epoch-end steps, to tell epoch angles from batch ones
    for (const auto& [name, target] : epochSeries)
        for (const MetricPoint& p : series[name]) {
            target.first->addPoint(target.second, point(p), p.value);
            epochOfStep[p.step] = p.epoch;
        }
    // Batch values are recorded with the epoch they belong to (1-based) and their step: on the epoch axis
    // they sit between that epoch's start and end steps, as they did live.
    std::map<int, int64_t> endStep{{0, 0}};
    for (const auto& [step, epoch] : epochOfStep)
        endStep[epoch] = step;
    const int64_t epochLength = endStep.count(1) ? endStep[1] : 0;
    auto batchPoint = [&](const MetricPoint& p) {
        XPoint x = point(p);
        const auto start = endStep.find(p.epoch - 1), end = endStep.find(p.epoch);
        const int64_t length =
            end != endStep.end() && start != endStep.end() ? end->second - start->second : epochLength;
        if (start != endStep.end() && length > 0)
            x.epoch =
                (p.epoch - 1) + static_cast<double>(p.step - start->second) / static_cast<double>(length);
        return x;
    };
    const std::pair<const char*, std::pair<MetricPlot*, int>> batchSeries[] = {
        {"batch_loss", {loss_, series_[BatchLoss]}}, {"batch_error", {error_, series_[BatchError]}}};
    for (const auto& [name, target] : batchSeries)
        for (const MetricPoint& p : series[name])
            target.first->addPoint(target.second, batchPoint(p), p.value);
    for (const auto& [name, points] : series) {
        const bool weight = angleLayer(name, "weight_angle/") >= 0;
        const int index = weight ? angleLayer(name, "weight_angle/") : angleLayer(name, "delta_angle/");
        if (index < 0)
            continue;
        MetricPlot* plot = weight ? weightAngles_ : deltaAngles_;
        const int layer = index; // the layer's index in the network (schema 6)
        for (const MetricPoint& p : points) {
            const bool atEpochEnd = epochOfStep.count(p.step) > 0;
            plot->addPoint(plot->layerSeries(layer, layerTitle(layer), !atEpochEnd),
                           atEpochEnd ? point(p) : batchPoint(p), p.value);
        }
    }
    // Heatmap columns: one per measured step, rows from the lowest layer measured to the top one.
    for (const bool weight : {true, false}) {
        std::map<int64_t, std::map<int, double>> columns;
        int first = -1, top = -1;
        for (const auto& [name, points] : series) {
            const int layer = angleLayer(name, weight ? "weight_angle/" : "delta_angle/");
            if (layer < 0)
                continue;
            first = first < 0 ? layer : std::min(first, layer);
            top = std::max(top, layer);
            for (const MetricPoint& p : points)
                columns[p.step][layer] = p.value;
        }
        if (top < 0)
            continue;
        AngleHeatmap* map = weight ? weightHeatmap_ : deltaHeatmap_;
        setHeatmapRows(map, top - first + 1, first);
        for (const auto& [step, values] : columns) {
            QVector<double> column(top - first + 1, std::nan(""));
            for (const auto& [layer, value] : values)
                column[layer - first] = value;
            map->addColumn(static_cast<double>(step), column);
        }
    }
    signals_->loadFromStore(store, runId);
    replot();
}

void RunPlots::setInitialWeights(const WeightSnapshot& weights) {
    initialW_ = weights.forward;
    initialY_ = weights.feedback;
    pairedLayers_.clear();
    const QSignalBlocker block(scatterLayer_);
    const QString previous = scatterLayer_->currentText();
    scatterLayer_->clear();
    for (int i = 0; i < initialW_.size(); ++i)
        if (initialW_[i].defined() && initialY_[i].defined()) {
            pairedLayers_ << i;
            scatterLayer_->addItem(layerTitle(i), i);
        }
    const int keep = scatterLayer_->findText(previous);
    scatterLayer_->setCurrentIndex(keep >= 0 ? keep : scatterLayer_->count() - 1);
    showScatterLayer();
    const bool conv = !initialW_.isEmpty() && initialW_[0].defined() && initialW_[0].dim() == 4;
    tabs_->setTabVisible(tabs_->indexOf(filtersTab_), conv);
    showFilters();
}

void RunPlots::setCurrentWeights(const WeightSnapshot& weights) {
    currentW_ = weights.forward;
    currentY_ = weights.feedback;
    showScatterLayer();
    showFilters();
}

void RunPlots::showFilters() {
    const QVector<at::Tensor>& w = currentW_.isEmpty() ? initialW_ : currentW_;
    const QVector<at::Tensor>& y = currentW_.isEmpty() ? initialY_ : currentY_;
    if (w.isEmpty() || !w[0].defined() || w[0].dim() != 4)
        return;
    filters_->setTitle(layerTitle(0));
    filters_->setMissingFeedbackNote(filtersNote_);
    filters_->setFilters(w[0], y.isEmpty() ? at::Tensor() : y[0]);
}

void RunPlots::showScatterLayer() {
    const int layer = scatterLayer_->currentData().toInt();
    if (scatterLayer_->count() == 0 || layer < 0 || layer >= initialW_.size() || !initialY_[layer].defined())
        return;
    scatter_->setTitlePrefix(layerTitle(layer));
    scatter_->setInitial(initialW_[layer], initialY_[layer]);
    if (layer < currentW_.size() && currentW_[layer].defined())
        scatter_->setCurrent(currentW_[layer], currentY_[layer]);
}

void RunPlots::replot(bool evenHidden) {
    for (MetricPlot* p : allMetricPlots())
        if (evenHidden || p->isVisible())
            p->replot();
    for (AngleHeatmap* map : {weightHeatmap_, deltaHeatmap_})
        if (evenHidden || map->isVisible())
            map->replot();
    if (evenHidden || signals_->isVisible())
        signals_->replot();
}

} // namespace bp::ui

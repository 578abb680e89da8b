#pragma once
#include "core/config/network_spec.h"
#include "core/events/observer.h"
#include <ATen/ATen.h>
#include <QList>
#include <QVector>
#include <QWidget>
#include <cstdint>

class QComboBox;
class QTabWidget;

namespace bp {
class RunStore;
}

namespace bp::ui {

class AngleHeatmap;
class FilterPanel;
class MetricPlot;
class PlotToolbar;
class SignalView;
class WeightScatter;
struct WeightSnapshot;

// Every view of one run: loss, error, weight angles and delta angles per layer (epoch points, batch
// measurements faint behind), top-5 error when the run measures it (softmax outputs), the layer × time
// heatmaps of both angles, the paper demo's W-against-Y scatter of a chosen layer and, for convolutional
// networks, the first layer's filters W beside Y, and the signal histograms of a chosen layer (Signals). Fed
// live from the trainer's reports or loaded from the run store.
class RunPlots : public QWidget {
    Q_OBJECT
  public:
    explicit RunPlots(QWidget* parent = nullptr);

    // Empties every view. startWallTime: Unix seconds at which the run's clock started.
    void reset(double startWallTime);
    // The rule of the run shown: what its weight angle means goes into the weight-angle panels' tooltips
    // (sign symmetry's is about 37° by construction; direct feedback alignment has none).
    void setRule(const std::string& rule);
    // The loss panel's axis: the mean squared error of the paper's sigmoid output, the cross-entropy of a
    // softmax one.
    void setOutputKind(OutputKind output);
    // How the layers are named, by their index in the network ("hidden 1", …, "output"; see
    // bp::layerTitles): legends, heatmap rows and the scatter's layer list. Set before points arrive;
    // kept by reset(). Empty: "layer <index>".
    void setLayerTitles(const QStringList& titles);
    QString layerTitle(int layer) const;
    void addBatch(const BatchReport& report);
    void addEpoch(const EpochReport& report);
    // A run's recorded metrics (a resumed or CLI run); the clock starts at its first point.
    void loadFromStore(RunStore& store, int64_t runId);
    void setInitialWeights(const WeightSnapshot& weights);
    void setCurrentWeights(const WeightSnapshot& weights);
    // Once, after a batch of additions. Panels on a hidden tab are redrawn when their tab is shown
    // (evenHidden: all of them now, before an export).
    void replot(bool evenHidden = false);

    MetricPlot* lossPlot() const { return loss_; }
    MetricPlot* errorPlot() const { return error_; }
    // Train and test top-5 error per epoch; shown once a report (or the store) has a value for it.
    MetricPlot* top5Plot() const { return top5_; }
    bool top5Shown() const { return top5Shown_; }
    MetricPlot* weightAnglePlot() const { return weightAngles_; }
    MetricPlot* deltaAnglePlot() const { return deltaAngles_; }
    AngleHeatmap* weightHeatmap() const { return weightHeatmap_; }
    AngleHeatmap* deltaHeatmap() const { return deltaHeatmap_; }
    WeightScatter* weightScatter() const { return scatter_; }
    QComboBox* scatterLayerBox() const { return scatterLayer_; }
    // The first layer's kernels, W beside Y; its tab is offered once weights of a convolution arrive.
    FilterPanel* filterPanel() const { return filters_; }
    // The Signals tab: histograms of event rates, burst probabilities and deltas of a chosen layer.
    SignalView* signalView() const { return signals_; }
    bool filtersAvailable() const;
    QTabWidget* tabs() const { return tabs_; }
    PlotToolbar* toolbar() const { return toolbar_; }
    // The curve panels shown (top-5 error only when the run measures it), as "export all panels" writes them.
    QList<MetricPlot*> metricPlots() const;
    // Panels for "export all": the curves (top-5 error when shown) and the two heatmaps.
    QList<QWidget*> panels() const;
    // Whether the weight scatter or the filters are on screen (the owner asks the trainer for weights only
    // then).
    bool weightsVisible() const;

  Q_SIGNALS:
    // The W-against-Y or the filters tab was brought to the front: its owner should fetch the current
    // weights now.
    void weightsViewShown();

  private:
    void addAngles(const std::vector<double>& weight, const std::vector<double>& delta, int firstWeight,
                   double epoch, int64_t step, double wall, bool faint);
    QList<MetricPlot*> allMetricPlots() const { return {loss_, error_, top5_, weightAngles_, deltaAngles_}; }
    void showScatterLayer();
    void showFilters();
    void showTop5(bool shown);
    // The heatmap's rows: count layers from firstLayer (its index in the network) up, named by layerTitle().
    void setHeatmapRows(AngleHeatmap* map, int count, int firstLayer);

    MetricPlot* loss_;
    MetricPlot* error_;
    MetricPlot* top5_;
    MetricPlot* weightAngles_;
    MetricPlot* deltaAngles_;
    AngleHeatmap* weightHeatmap_;
    AngleHeatmap* deltaHeatmap_;
    WeightScatter* scatter_;
    QComboBox* scatterLayer_;
    FilterPanel* filters_;
    SignalView* signals_;
    QWidget* filtersTab_;
    QString filtersNote_; // why there is no Y, for the rule shown
    PlotToolbar* toolbar_;
    QTabWidget* tabs_;
    double startWall_ = 0.0;
    int series_[8] = {};
    bool top5Shown_ = false;
    QList<int> pairedLayers_;
    QStringList layerTitles_; // layers with feedback weights, as the scatter's combo lists them
    QVector<at::Tensor> initialW_, initialY_, currentW_, currentY_;
};

} // namespace bp::ui

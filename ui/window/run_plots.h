#pragma once
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
class MetricPlot;
class PlotToolbar;
class WeightScatter;
struct WeightSnapshot;

// Every view of one run: loss, error, weight angles and delta angles per layer (epoch points, batch
// measurements faint behind), the layer × time heatmaps of both angles, and the paper demo's W-against-Y
// scatter of a chosen layer. Fed live from the trainer's reports or loaded from the run store.
class RunPlots : public QWidget {
    Q_OBJECT
  public:
    explicit RunPlots(QWidget* parent = nullptr);

    // Empties every view. startWallTime: Unix seconds at which the run's clock started.
    void reset(double startWallTime);
    // The rule of the run shown: what its weight angle means goes into the weight-angle panels' tooltips
    // (sign symmetry's is about 37° by construction; direct feedback alignment has none).
    void setRule(const std::string& rule);
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
    MetricPlot* weightAnglePlot() const { return weightAngles_; }
    MetricPlot* deltaAnglePlot() const { return deltaAngles_; }
    AngleHeatmap* weightHeatmap() const { return weightHeatmap_; }
    AngleHeatmap* deltaHeatmap() const { return deltaHeatmap_; }
    WeightScatter* weightScatter() const { return scatter_; }
    QComboBox* scatterLayerBox() const { return scatterLayer_; }
    PlotToolbar* toolbar() const { return toolbar_; }
    QList<MetricPlot*> metricPlots() const { return {loss_, error_, weightAngles_, deltaAngles_}; }
    // Panels for "export all": the four curves and the two heatmaps.
    QList<QWidget*> panels() const;
    // Whether the weight scatter is on screen (the owner asks the trainer for weights only then).
    bool weightsVisible() const;

  Q_SIGNALS:
    // The W-against-Y tab was brought to the front: its owner should fetch the current weights now.
    void weightsViewShown();

  private:
    void addAngles(const std::vector<double>& weight, const std::vector<double>& delta, int firstWeight,
                   double epoch, int64_t step, double wall, bool faint);
    void showScatterLayer();
    // The heatmap's rows: count layers from firstLayer (its index in the network) up, named by layerTitle().
    void setHeatmapRows(AngleHeatmap* map, int count, int firstLayer);

    MetricPlot* loss_;
    MetricPlot* error_;
    MetricPlot* weightAngles_;
    MetricPlot* deltaAngles_;
    AngleHeatmap* weightHeatmap_;
    AngleHeatmap* deltaHeatmap_;
    WeightScatter* scatter_;
    QComboBox* scatterLayer_;
    PlotToolbar* toolbar_;
    QTabWidget* tabs_;
    double startWall_ = 0.0;
    int series_[6] = {};
    QList<int> pairedLayers_;
    QStringList layerTitles_; // layers with feedback weights, as the scatter's combo lists them
    QVector<at::Tensor> initialW_, initialY_, currentW_, currentY_;
};

} // namespace bp::ui

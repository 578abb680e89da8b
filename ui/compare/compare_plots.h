#pragma once
#include "core/store/run_store.h"
#include "ui/compare/group_curves.h"
#include "ui/plots/plot_export.h"
#include <QList>
#include <QTimer>
#include <QWidget>
#include <utility>
#include <vector>

namespace bp::ui {

class MetricPlot;
class PlotToolbar;

// The curves of several runs overlaid, one colour per run (runColour): loss and error (per-epoch test values
// with markers, "#id name · test" in the legend; per-batch training values faint behind), and each run's top
// layer's weight and delta angle ("#id name · layer n", numbered as on the Train page). Batch-level series
// are read reduced to kBuckets buckets (each bucket's last value) so that many long runs open fast. A
// toolbar drives smoothing, log axes and the x axis (epoch by default) of all four panels; smoothing applies
// to dense series only (more than two points an epoch), never to epoch points.
class ComparePlots : public QWidget {
    Q_OBJECT
  public:
    static constexpr int kBuckets = 2000;

    explicit ComparePlots(QWidget* parent = nullptr);
    ~ComparePlots() override;

    // Replaces every curve by those of these runs (in this order, which sets their colours); replots.
    // On a store failure the plots are left empty and false returned with the message in *error.
    bool load(RunStore& store, const std::vector<RunRecord>& runs, QString* error);
    // The runs by seed group instead (drawGroupCurves): per-epoch test loss and error and the top layer's
    // angles as each group's mean with a band. groups index into runs.
    bool loadGroups(RunStore& store, const std::vector<RunRecord>& runs, const std::vector<SeedGroup>& groups,
                    const GroupCurveOptions& options, QString* error);
    void clear();

    // The four panels, and the top-5 error's while a compared run has it (networks with a softmax output).
    QList<MetricPlot*> plots() const;
    MetricPlot* topFiveError() const { return top5_; }
    PlotToolbar* toolbar() const { return toolbar_; }
    // The panels stacked into one PNG, SVG or PDF (by the extension); false with a message naming the
    // path in *error on failure.
    // The panels stacked, each at options' size and DPI (File ▸ Export comparison panels asks for them);
    // a width or height of 0 takes the panel's size on screen, or 800 × 450 if it was never shown.
    bool exportFigures(const QString& path, QString* error, ExportOptions options = {}) const;
    // Re-reads the batch and angle series of plot for the x range [lower, upper] (step or epoch axis) at
    // kBuckets buckets, keeping the overview outside it. Called 150 ms after the user stops zooming.
    void requery(MetricPlot* plot, double lower, double upper);

  private:
    struct ReducedSeries;
    RunStore* store_ = nullptr;
    std::vector<ReducedSeries> reduced_;
    QTimer requeryTimer_;
    MetricPlot* pendingPlot_ = nullptr;
    std::pair<double, double> pendingRange_;
    PlotToolbar* toolbar_;
    MetricPlot* loss_;
    MetricPlot* error_;
    MetricPlot* weightAngle_;
    MetricPlot* deltaAngle_;
    MetricPlot* top5_; // hidden unless a compared run recorded test_top5_error
};

} // namespace bp::ui

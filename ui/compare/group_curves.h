#pragma once
#include "core/store/run_store.h"
#include "core/study/group_curve.h"
#include "ui/groups/seed_groups.h"
#include <QString>
#include <vector>

namespace bp::ui {

class MetricPlot;

// A run's per-epoch values as the group curves read them: test loss and error, and the top layer's weight and
// delta angle (each epoch's last measurement). Throws bp::Error on store failure.
struct RunEpochSeries {
    std::vector<study::EpochValue> testLoss, testError, weightAngle, deltaAngle;
};
RunEpochSeries readEpochSeries(RunStore& store, const RunRecord& run);

struct GroupCurveOptions {
    study::Band band = study::Band::Std;
    bool showRuns = false; // each run faint behind its group's mean
    // The bootstrap band's resamples at every epoch of every panel: 2,000 keep a redraw of long runs quick
    // (the verdict on two groups takes 10,000).
    study::BootstrapOptions bootstrap{2000, 0.95, 1};
};

// The panels the group curves go to, one per member of RunEpochSeries.
struct GroupPanels {
    MetricPlot* testLoss = nullptr;
    MetricPlot* testError = nullptr;
    MetricPlot* weightAngle = nullptr;
    MetricPlot* deltaAngle = nullptr;
};

// The legend name of a group's mean curve: "G1 · hidden_lr=0.1 · mean ± std, n=3".
QString groupCurveName(const SeedGroup& group, study::Band band);

// Draws each group (colour: runColour of its index) as its mean over the epochs every member reached, with a
// filled band between the series "<title> · band low" and "· band high", and with showRuns the members faint
// behind ("#id name"). Band and runs are shown and hidden with the mean's legend entry. series[i] are the
// runs' series, in the order of runs.
void drawGroupCurves(const GroupPanels& panels, const std::vector<RunRecord>& runs,
                     const std::vector<RunEpochSeries>& series, const std::vector<SeedGroup>& groups,
                     const GroupCurveOptions& options);

} // namespace bp::ui

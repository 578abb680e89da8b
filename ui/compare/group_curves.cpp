#include "ui/compare/group_curves.h"
#include "core/store/run_recorder.h"
#include "ui/compare/run_identity.h"
#include "ui/plots/metric_plot.h"
#include "ui/plots/qcustomplot_include.h"
#include <QCoreApplication>
#include <map>

namespace bp::ui {

namespace {

// One value per epoch: the last recorded in it (a resumed run re-records; an angle measured between batches
// is followed by the epoch's own measurement).
std::vector<study::EpochValue> perEpoch(const std::vector<MetricPoint>& points) {
    std::map<int, double> byEpoch;
    for (const MetricPoint& p : points)
        byEpoch[p.epoch] = p.value;
    std::vector<study::EpochValue> out;
    for (const auto& [epoch, value] : byEpoch)
        out.push_back({epoch, value});
    return out;
}

QString tr(const char* text) {
    return QCoreApplication::translate("bp::ui::GroupCurves", text);
}

QString bandText(study::Band band) {
    switch (band) {
    case study::Band::Std:
        return tr("mean ± std");
    case study::Band::MinMax:
        return tr("mean, min–max");
    case study::Band::Bootstrap:
        return tr("mean, 95 % CI");
    }
    return {};
}

void drawGroup(MetricPlot* plot, const SeedGroup& group, const QColor& colour,
               const std::vector<std::vector<study::EpochValue>>& members,
               const std::vector<QString>& runLabels, const GroupCurveOptions& options) {
    const std::vector<study::BandPoint> points =
        study::aggregateCurves(members, options.band, options.bootstrap);
    std::vector<int> behind;
    if (options.showRuns)
        for (size_t m = 0; m < members.size(); ++m) {
            const int s = plot->addSeries(runLabels[m], colour, true);
            for (const study::EpochValue& p : members[m])
                plot->addPoint(s, p.epoch, p.value);
            behind.push_back(s);
        }
    const int low = plot->addSeries(group.title() + tr(" · band low"), colour, true);
    const int high = plot->addSeries(group.title() + tr(" · band high"), colour, true);
    const int mean = plot->addSeries(groupCurveName(group, options.band), colour, false, true);
    for (const study::BandPoint& p : points) {
        plot->addPoint(low, p.epoch, p.low);
        plot->addPoint(high, p.epoch, p.high);
        plot->addPoint(mean, p.epoch, p.mean);
    }
    QColor fill = colour;
    fill.setAlpha(50);
    plot->curveGraph(high)->setChannelFillGraph(plot->curveGraph(low));
    plot->curveGraph(high)->setBrush(fill);
    behind.push_back(low);
    behind.push_back(high);
    for (int s : behind) {
        plot->setSeriesSmoothed(s, false);
        plot->setSeriesCompanion(s, mean);
    }
    plot->setSeriesSmoothed(mean, false); // epoch points: an average over a handful lags far behind
}

} // namespace

RunEpochSeries readEpochSeries(RunStore& store, const RunRecord& run) {
    RunEpochSeries s;
    s.testLoss = perEpoch(store.readMetrics(run.id, "test_loss"));
    s.testError = perEpoch(store.readMetrics(run.id, "test_error"));
    const std::vector<std::string> names = store.metricNames(run.id);
    for (const auto& [prefix, member] : {std::pair{"weight_angle/", &RunEpochSeries::weightAngle},
                                         std::pair{"delta_angle/", &RunEpochSeries::deltaAngle}}) {
        const int top = topAngleLayer(names, prefix);
        if (top >= 0)
            s.*member = perEpoch(store.readMetrics(run.id, prefix + std::to_string(top)));
    }
    return s;
}

QString groupCurveName(const SeedGroup& group, study::Band band) {
    return group.title() + QStringLiteral(" · ") + bandText(band) +
           QStringLiteral(", n=%1").arg(group.runs.size());
}

void drawGroupCurves(const GroupPanels& panels, const std::vector<RunRecord>& runs,
                     const std::vector<RunEpochSeries>& series, const std::vector<SeedGroup>& groups,
                     const GroupCurveOptions& options) {
    const std::pair<MetricPlot*, std::vector<study::EpochValue> RunEpochSeries::*> targets[] = {
        {panels.testLoss, &RunEpochSeries::testLoss},
        {panels.testError, &RunEpochSeries::testError},
        {panels.weightAngle, &RunEpochSeries::weightAngle},
        {panels.deltaAngle, &RunEpochSeries::deltaAngle}};
    for (size_t g = 0; g < groups.size(); ++g) {
        std::vector<QString> labels;
        for (size_t run : groups[g].runs)
            labels.push_back(runLabel(runs[run]));
        for (const auto& [plot, member] : targets) {
            if (!plot)
                continue;
            std::vector<std::vector<study::EpochValue>> members;
            for (size_t run : groups[g].runs)
                members.push_back(series[run].*member);
            drawGroup(plot, groups[g], runColour(int(g)), members, labels, options);
        }
    }
}

} // namespace bp::ui

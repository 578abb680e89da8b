#include "ui/groups/seed_groups.h"
#include "core/config/hyperparameters.h"
#include "core/store/run_recorder.h"
#include "core/study/group_label.h"
#include "core/study/group_table.h"
#include "core/study/run_groups.h"
#include <QObject>
#include <algorithm>
#include <cmath>

namespace bp::ui {

namespace {

std::optional<double> lastFinite(const std::vector<MetricPoint>& points) {
    if (points.empty() || !std::isfinite(points.back().value))
        return std::nullopt;
    return points.back().value;
}

} // namespace

RunEndFigures readRunEndFigures(RunStore& store, const RunRecord& run) {
    RunEndFigures f;
    const std::vector<MetricPoint> testError = store.readMetrics(run.id, "test_error");
    f.finalTestError = lastFinite(testError);
    f.bestTestError = run.bestTestError;
    if (!f.bestTestError)
        for (const MetricPoint& p : testError)
            if (std::isfinite(p.value) && (!f.bestTestError || p.value < *f.bestTestError))
                f.bestTestError = p.value;
    const std::vector<std::string> names = store.metricNames(run.id);
    auto topAngle = [&](const std::string& prefix) -> std::optional<double> {
        const int top = topAngleLayer(names, prefix);
        if (top < 0)
            return std::nullopt;
        const auto buckets = store.readMetricsReduced(run.id, prefix + std::to_string(top), 0, INT64_MAX, 1);
        if (buckets.empty() || !std::isfinite(buckets.back().last))
            return std::nullopt;
        return buckets.back().last;
    };
    f.weightAngle = topAngle("weight_angle/");
    f.deltaAngle = topAngle("delta_angle/");
    return f;
}

QString SeedGroup::title() const {
    return description.isEmpty() ? name : name + QStringLiteral(" · ") + description;
}

std::vector<SeedGroup> seedGroups(const std::vector<RunRecord>& runs) {
    std::vector<RunConfig> configs;
    std::vector<size_t> readable; // configs[i] is runs[readable[i]]'s
    std::vector<size_t> unreadable;
    for (size_t i = 0; i < runs.size(); ++i) {
        try {
            configs.push_back(configFromJson(runs[i].configJson));
            readable.push_back(i);
        } catch (const std::exception&) {
            unreadable.push_back(i);
        }
    }
    std::vector<study::RunGroup> groups = study::groupRuns(configs);
    for (study::RunGroup& g : groups)
        for (size_t& member : g.members)
            member = readable[member];
    const std::vector<std::string> descriptions = study::groupDescriptions(groups);
    for (size_t i : unreadable)
        groups.push_back({{}, {i}});
    // In the order of their first run, as the runs were given.
    std::vector<size_t> order(groups.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return groups[a].members.front() < groups[b].members.front();
    });
    std::vector<SeedGroup> out;
    for (size_t g : order) {
        SeedGroup group;
        group.name = QString::fromStdString(study::groupName(out.size()));
        if (g < descriptions.size())
            group.description = QString::fromStdString(descriptions[g]);
        else
            group.description = QObject::tr("configuration unreadable");
        group.runs = groups[g].members;
        out.push_back(std::move(group));
    }
    return out;
}

std::vector<double> presentValues(const std::vector<std::optional<double>>& values) {
    std::vector<double> out;
    for (const std::optional<double>& v : values)
        if (v)
            out.push_back(*v);
    return out;
}

QString meanStdText(const study::Summary& summary, size_t members) {
    return QString::fromStdString(study::meanStdText(summary, 2, members));
}

} // namespace bp::ui

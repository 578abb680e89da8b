#include "ui/compare/run_figures.h"
#include <algorithm>
#include <cmath>
#include <map>
#include <string>

namespace bp::ui {

namespace {

// Names of the layers' angle series with this prefix ("weight_angle/"), among the run's metric names.
std::vector<std::string> layerNames(const std::vector<std::string>& names, const std::string& prefix) {
    std::vector<std::string> out;
    for (const std::string& name : names)
        if (name.compare(0, prefix.size(), prefix) == 0)
            out.push_back(name);
    return out;
}

double meanAtStep(RunStore& store, int64_t runId, const std::vector<std::string>& layers, int64_t step) {
    double sum = 0.0;
    int n = 0;
    for (const std::string& layer : layers)
        for (const MetricPoint& p : store.readMetrics(runId, layer, step, step))
            if (!std::isnan(p.value)) {
                sum += p.value;
                ++n;
            }
    return n > 0 ? sum / n : EpochFigures::kMissing;
}

} // namespace

std::vector<EpochFigures> readEpochFigures(RunStore& store, int64_t runId) {
    std::map<int, EpochFigures> byEpoch;
    std::map<int, int64_t> testStep; // epoch → step of its test error, where its angles were measured
    const std::pair<const char*, double EpochFigures::*> metrics[] = {
        {"train_loss", &EpochFigures::trainLoss},
        {"train_error", &EpochFigures::trainError},
        {"test_loss", &EpochFigures::testLoss},
        {"test_error", &EpochFigures::testError},
        {"test_silent_classes", &EpochFigures::silentClasses}};
    for (const auto& [name, member] : metrics)
        for (const MetricPoint& p : store.readMetrics(runId, name)) {
            EpochFigures& f = byEpoch[p.epoch];
            f.epoch = p.epoch;
            f.*member = p.value; // the last point of an epoch wins (a resumed run re-records)
            if (member == &EpochFigures::testError)
                testStep[p.epoch] = p.step;
        }
    const std::vector<std::string> names = store.metricNames(runId);
    const std::vector<std::string> weight = layerNames(names, "weight_angle/");
    const std::vector<std::string> delta = layerNames(names, "delta_angle/");
    std::vector<EpochFigures> out;
    out.reserve(byEpoch.size());
    for (auto& [epoch, f] : byEpoch) {
        auto step = testStep.find(epoch);
        if (step != testStep.end()) {
            f.weightAngle = meanAtStep(store, runId, weight, step->second);
            f.deltaAngle = meanAtStep(store, runId, delta, step->second);
        }
        out.push_back(f);
    }
    return out;
}

const EpochFigures* finalEpoch(const std::vector<EpochFigures>& epochs) {
    return epochs.empty() ? nullptr : &epochs.back();
}

const EpochFigures* bestEpoch(const std::vector<EpochFigures>& epochs) {
    const EpochFigures* best = nullptr;
    for (const EpochFigures& f : epochs)
        if (!std::isnan(f.testError) && (!best || f.testError < best->testError))
            best = &f;
    return best;
}

const EpochFigures* figuresAtEpoch(const std::vector<EpochFigures>& epochs, int epoch) {
    auto it =
        std::find_if(epochs.begin(), epochs.end(), [&](const EpochFigures& f) { return f.epoch == epoch; });
    return it == epochs.end() ? nullptr : &*it;
}

} // namespace bp::ui

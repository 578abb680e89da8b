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

// Every recorded point of each layer's series, in step order (one per step): one read per layer rather than
// one per layer and epoch (a Compare of 250 runs of 20 epochs made 30,000 point reads).
using LayerValues = std::vector<std::vector<MetricPoint>>;

LayerValues readLayers(RunStore& store, int64_t runId, const std::vector<std::string>& layers) {
    LayerValues out;
    for (const std::string& layer : layers)
        out.push_back(store.readMetrics(runId, layer));
    return out;
}

double meanAtStep(const LayerValues& layers, int64_t step) {
    double sum = 0.0;
    int n = 0;
    for (const std::vector<MetricPoint>& layer : layers) {
        auto it = std::lower_bound(layer.begin(), layer.end(), step,
                                   [](const MetricPoint& p, int64_t s) { return p.step < s; });
        if (it != layer.end() && it->step == step && !std::isnan(it->value)) {
            sum += it->value;
            ++n;
        }
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
    const LayerValues weight = readLayers(store, runId, layerNames(names, "weight_angle/"));
    const LayerValues delta = readLayers(store, runId, layerNames(names, "delta_angle/"));
    std::vector<EpochFigures> out;
    out.reserve(byEpoch.size());
    for (auto& [epoch, f] : byEpoch) {
        auto step = testStep.find(epoch);
        if (step != testStep.end()) {
            f.weightAngle = meanAtStep(weight, step->second);
            f.deltaAngle = meanAtStep(delta, step->second);
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

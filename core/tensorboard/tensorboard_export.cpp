#include "core/tensorboard/tensorboard_export.h"
#include "core/store/run_recorder.h"
#include "core/store/run_store.h"
#include "core/tensorboard/tensorboard_tags.h"
#include "core/util/error.h"
#include "core/util/system_info.h"
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <system_error>

namespace bp::tensorboard {

namespace fs = std::filesystem;

namespace {

constexpr size_t kMaxSlug = 40;

std::string slug(const std::string& name) {
    std::string out;
    for (unsigned char c : name) {
        if (std::isalnum(c) && c < 0x80)
            out.push_back(static_cast<char>(std::tolower(c)));
        else if (!out.empty() && out.back() != '-')
            out.push_back('-');
        if (out.size() >= kMaxSlug)
            break;
    }
    while (!out.empty() && out.back() == '-')
        out.pop_back();
    return out;
}

int lowestWeightLayer(const std::vector<std::string>& names) {
    int lowest = -1;
    for (const std::string& name : names) {
        const int layer = angleLayer(name, "weight_angle/");
        if (layer >= 0 && (lowest < 0 || layer < lowest))
            lowest = layer;
    }
    return lowest;
}

} // namespace

std::vector<ScalarEvent> runScalarEvents(RunStore& store, int64_t runId) {
    const std::vector<std::string> names = store.metricNames(runId);
    const int lowest = lowestWeightLayer(names);
    std::map<int64_t, int> epochAtStep; // the steps at which epochs ended
    for (const MetricPoint& p : store.readMetrics(runId, "test_error"))
        epochAtStep[p.step] = p.epoch;
    std::vector<ScalarEvent> events;
    for (const std::string& name : names) {
        const std::vector<MetricPoint> points = store.readMetrics(runId, name);
        const std::string epochTagName = epochTag(name, lowest), batchTagName = batchTag(name, lowest);
        for (const MetricPoint& p : points) {
            ScalarEvent e;
            e.wallTime = p.wallTime;
            e.value = static_cast<float>(p.value);
            const auto epochEnd = epochAtStep.find(p.step);
            if (isEpochMetric(name)) {
                e.tag = epochTagName;
                e.step = p.epoch;
            } else if (!isBatchMetric(name) && epochEnd != epochAtStep.end()) {
                e.tag = epochTagName;
                e.step = epochEnd->second;
            } else {
                e.tag = batchTagName;
                e.step = p.step;
            }
            events.push_back(std::move(e));
        }
    }
    std::stable_sort(events.begin(), events.end(), [](const ScalarEvent& a, const ScalarEvent& b) {
        return a.step != b.step ? a.step < b.step : a.wallTime < b.wallTime;
    });
    return events;
}

HistogramEvent histogramEvent(const SignalHistogramRecord& r, double wallTime) {
    const SignalHistogram& h = r.histogram;
    HistogramEvent e;
    e.tag = h.quantity + "/" + std::to_string(h.layer);
    e.step = r.step;
    e.wallTime = wallTime;
    e.min = h.low;
    e.max = h.high;
    const size_t bins = h.counts.size();
    const double width = bins > 0 ? (h.high - h.low) / static_cast<double>(bins) : 0.0;
    for (size_t i = 0; i < bins; ++i) {
        const double count = static_cast<double>(h.counts[i]);
        const double centre = h.low + (static_cast<double>(i) + 0.5) * width;
        e.bucketLimit.push_back(i + 1 == bins ? h.high : h.low + static_cast<double>(i + 1) * width);
        e.bucket.push_back(count);
        e.num += count;
        e.sum += count * centre;
        e.sumSquares += count * centre * centre;
    }
    return e;
}

std::vector<HistogramEvent> runHistogramEvents(RunStore& store, int64_t runId) {
    std::map<int64_t, double> wallAtStep;
    for (const MetricPoint& p : store.readMetrics(runId, "test_error"))
        if (p.epoch == 0)
            wallAtStep[p.step] = p.wallTime;
    for (const MetricPoint& p : store.readMetrics(runId, "batch_loss"))
        wallAtStep[p.step] = p.wallTime;
    std::vector<HistogramEvent> events;
    for (const SignalHistogramRecord& r : store.readAllSignalHistograms(runId)) {
        const auto wall = wallAtStep.find(r.step);
        events.push_back(histogramEvent(r, wall != wallAtStep.end() ? wall->second : 0.0));
    }
    // By step; within a step, in the store's order (layer, then quantity).
    std::stable_sort(events.begin(), events.end(),
                     [](const HistogramEvent& a, const HistogramEvent& b) { return a.step < b.step; });
    return events;
}

std::string runFolderName(const RunRecord& run) {
    const std::string name = slug(run.name);
    return "run-" + std::to_string(run.id) + (name.empty() ? "" : "-" + name);
}

RunExport exportRunEvents(RunStore& store, int64_t runId, const std::string& outDir) {
    const std::optional<RunRecord> run = store.getRun(runId);
    if (!run)
        throw Error("run " + std::to_string(runId) + " is not in " + store.path());
    RunExport result;
    const fs::path folder = fs::path(outDir) / runFolderName(*run);
    result.folder = folder.string();
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec || !fs::is_directory(folder))
        throw Error("cannot create the folder '" + result.folder + "'" + (ec ? ": " + ec.message() : ""));
    for (const fs::directory_entry& entry : fs::directory_iterator(folder, ec))
        if (entry.is_regular_file(ec) && isEventFileName(entry.path().filename().string()))
            fs::remove(entry.path(), ec);
    const std::vector<ScalarEvent> events = runScalarEvents(store, runId);
    const double now = sys::unixNow();
    result.file = (folder / eventFileName(now, sys::hostName())).string();
    const std::vector<HistogramEvent> histograms = runHistogramEvents(store, runId);
    writeEventFile(result.file, events, now, histograms);
    result.scalars = events.size();
    result.histograms = histograms.size();
    return result;
}

} // namespace bp::tensorboard

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
    writeEventFile(result.file, events, now);
    result.scalars = events.size();
    return result;
}

} // namespace bp::tensorboard

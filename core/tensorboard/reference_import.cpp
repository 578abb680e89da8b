#include "core/tensorboard/reference_import.h"
#include "core/setup/defaults.h"
#include "core/store/run_store.h"
#include "core/tensorboard/event_file.h"
#include "core/tensorboard/reference_params.h"
#include "core/tensorboard/tensorboard_tags.h"
#include "core/util/error.h"
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <system_error>

namespace bp::tensorboard {

namespace fs = std::filesystem;

namespace {

// The reference scripts measure weight angles from the network's layer 1 (their weight_angle/0).
constexpr int kReferenceWeightLayerShift = 1;
constexpr int64_t kMaxEpoch = 1000000;

std::string readText(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(path.string() + ": cannot be read");
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Batches in an epoch of the reference's loaders (the MNIST-format sets: 60,000 training images,
// CIFAR-10: 50,000; -validation holds 10,000 out), to give each epoch a step as this program counts them.
int64_t batchesPerEpoch(const RunConfig& c) {
    int64_t examples = c.dataset == DatasetKind::Cifar10 ? 50000 : 60000;
    if (c.validation)
        examples -= 10000;
    if (c.trainLimit > 0)
        examples = std::min<int64_t>(examples, c.trainLimit);
    return std::max<int64_t>(1, (examples + c.batchSize - 1) / std::max(1, c.batchSize));
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& item : items)
        out += (out.empty() ? "" : ", ") + item;
    return out;
}

std::optional<DatasetKind> datasetOfScript(const fs::path& dir) {
    std::error_code ec;
    if (fs::exists(dir / "train_cifar10.py", ec))
        return DatasetKind::Cifar10;
    if (fs::exists(dir / "train_mnist.py", ec))
        return DatasetKind::Mnist;
    return std::nullopt;
}

std::vector<std::string> eventFilesOf(const fs::path& dir) {
    std::vector<std::string> files;
    std::error_code ec, typeError;
    for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec))
        if (entry.is_regular_file(typeError) && isEventFileName(entry.path().filename().string()))
            files.push_back(entry.path().string());
    if (ec)
        throw Error(dir.string() + ": cannot list the folder: " + ec.message());
    std::sort(files.begin(), files.end()); // by their time: a resumed run's later file last
    return files;
}

} // namespace

ImportedRun importReferenceRun(RunStore& store, const std::string& dirText, const std::string& name) {
    const fs::path dir(dirText);
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw Error(dirText + ": not a folder (give the reference's results folder: params.txt and "
                              "events.out.tfevents.*)");
    const fs::path paramsPath = dir / "params.txt";
    if (!fs::exists(paramsPath, ec))
        throw Error(dirText + ": no params.txt (the reference scripts write one into their results folder)");
    const ReferenceParams params =
        parseReferenceParams(readText(paramsPath), paramsPath.string(), datasetOfScript(dir));
    const RunConfig& config = params.config;

    ImportedRun result;
    result.eventFiles = eventFilesOf(dir);
    if (result.eventFiles.empty())
        throw Error(dirText + ": no TensorBoard event file (events.out.tfevents.*)");
    const int64_t stepsPerEpoch = batchesPerEpoch(config);
    std::map<std::pair<std::string, int64_t>, MetricSample> samples; // a later file's point replaces
    std::set<std::string> skipped;
    double firstWall = INFINITY, lastWall = -INFINITY;
    for (const std::string& file : result.eventFiles) {
        for (const ScalarEvent& e : readEventFile(file).scalars) {
            const std::optional<std::string> metric = metricOfEpochTag(e.tag, kReferenceWeightLayerShift);
            if (!metric || e.step < 0 || e.step > kMaxEpoch) {
                skipped.insert(e.tag);
                continue;
            }
            MetricSample s;
            s.name = *metric;
            s.epoch = static_cast<int>(e.step);
            s.step = e.step * stepsPerEpoch;
            s.wallTime = e.wallTime;
            s.value = e.value;
            samples[{s.name, s.step}] = s;
            firstWall = std::min(firstWall, e.wallTime);
            lastWall = std::max(lastWall, e.wallTime);
        }
    }
    result.skippedTags.assign(skipped.begin(), skipped.end());

    std::vector<MetricSample> rows;
    std::optional<double> best;
    for (const auto& [key, s] : samples) {
        rows.push_back(s);
        if (s.name == "test_error") {
            result.epochs = std::max(result.epochs, s.epoch);
            if (std::isfinite(s.value) && (!best || s.value < *best))
                best = s.value;
        }
    }
    result.samples = rows.size();

    std::error_code absoluteError;
    fs::path absolute = fs::absolute(dir, absoluteError).lexically_normal();
    if (absolute.filename().empty()) // "runs/mnist/"
        absolute = absolute.parent_path();
    const std::string source = absoluteError ? dirText : absolute.string();
    const std::string folderName = absolute.filename().string();
    const int64_t id = store.createRun(config,
                                       !name.empty()         ? name
                                       : !folderName.empty() ? folderName
                                                             : source,
                                       "imported from " + source, {"imported"}, [&](const std::string& key) {
                                           return hyperparameterApplies(config, key);
                                       });
    result.runId = id;
    try {
        store.appendMetrics(id, rows);
        store.setProgress(id, result.epochs, best,
                          std::isfinite(firstWall) ? std::optional<double>(lastWall - firstWall)
                                                   : std::nullopt);
        std::string files;
        for (const std::string& f : result.eventFiles)
            files += ", " + fs::path(f).filename().string();
        store.addMessage(id, "info",
                         "imported from " + source + " (params.txt" + files +
                             "): " + std::to_string(rows.size()) + " metric samples, " +
                             std::to_string(result.epochs) + " epochs");
        if (!result.skippedTags.empty())
            store.addMessage(id, "warning",
                             "not imported (no epoch-level metric of this program): " +
                                 joined(result.skippedTags));
        if (!params.unread.empty())
            store.addMessage(id, "info", "params.txt lines that set nothing here: " + joined(params.unread));
        store.setStatus(id, result.epochs >= config.epochs ? RunStatus::Completed : RunStatus::Stopped);
    } catch (const Error&) {
        try {
            store.deleteRun(id); // no half-recorded run left behind
        } catch (const Error&) {
            // the database refuses writes: the first error says why
        }
        throw;
    }
    return result;
}

} // namespace bp::tensorboard

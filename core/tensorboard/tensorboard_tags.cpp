#include "core/tensorboard/tensorboard_tags.h"
#include "core/store/run_recorder.h"
#include <utility>

namespace bp::tensorboard {

namespace {

const std::pair<const char*, const char*> kEpochTags[] = {
    {"train_error", "Train Error"},
    {"test_error", "Test Error"},
    {"train_loss", "Train Loss"},
    {"test_loss", "Test Loss"},
    {"train_top5_error", "Train Top-5 Error"},
    {"test_top5_error", "Test Top-5 Error"},
    {"test_silent_classes", "Test Silent Classes"},
    {"examples_per_second", "Examples per Second"},
};

const std::pair<const char*, const char*> kBatchTags[] = {
    {"batch_loss", "batch/loss"},
    {"batch_error", "batch/error"},
    {"examples_per_second", "batch/examples_per_second"},
};

const std::string kWeightAngle = "weight_angle/", kDeltaAngle = "delta_angle/";

// weight_angle/<layer> as the reference counts it; "" for any other name.
std::string angleTag(const std::string& metric, int lowestWeightLayer) {
    const int weight = angleLayer(metric, kWeightAngle);
    if (weight >= 0)
        return kWeightAngle + std::to_string(weight - (lowestWeightLayer >= 0 ? lowestWeightLayer : 0));
    if (angleLayer(metric, kDeltaAngle) >= 0)
        return metric;
    return {};
}

} // namespace

std::string epochTag(const std::string& metric, int lowestWeightLayer) {
    for (const auto& [name, tag] : kEpochTags)
        if (metric == name)
            return tag;
    const std::string angle = angleTag(metric, lowestWeightLayer);
    return angle.empty() ? metric : angle;
}

std::string batchTag(const std::string& metric, int lowestWeightLayer) {
    for (const auto& [name, tag] : kBatchTags)
        if (metric == name)
            return tag;
    const std::string angle = angleTag(metric, lowestWeightLayer);
    return "batch/" + (angle.empty() ? metric : angle);
}

bool isEpochMetric(const std::string& metric) {
    return metric.rfind("train_", 0) == 0 || metric.rfind("test_", 0) == 0;
}

bool isBatchMetric(const std::string& metric) {
    return metric.rfind("batch_", 0) == 0;
}

std::optional<std::string> metricOfEpochTag(const std::string& tag, int weightLayerShift) {
    for (const auto& [name, epochTagName] : kEpochTags)
        if (tag == epochTagName)
            return std::string(name);
    const int weight = angleLayer(tag, kWeightAngle);
    if (weight >= 0)
        return kWeightAngle + std::to_string(weight + weightLayerShift);
    if (angleLayer(tag, kDeltaAngle) >= 0)
        return tag;
    return std::nullopt;
}

} // namespace bp::tensorboard

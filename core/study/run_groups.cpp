#include "core/study/run_groups.h"
#include "core/config/hyperparameters.h"
#include "core/setup/defaults.h"
#include "core/util/json_writer.h"
#include <map>

namespace bp::study {

const std::vector<std::string>& groupIgnoredKeys() {
    static const std::vector<std::string> keys = {
        "seed",           "threads", "device",   "test_batch_size", "angle_interval", "n_epochs",
        "loader_threads", "info",    "data_dir", "download",        "mirror"};
    return keys;
}

std::string groupKey(const RunConfig& original) {
    const RunConfig config = normalized(original);
    Json json = parseJson(toJson(config), "configuration");
    for (const std::string& key : groupIgnoredKeys())
        json.erase(key);
    for (auto it = json.begin(); it != json.end();) {
        if (!hyperparameterApplies(config, it.key()))
            it = json.erase(it);
        else
            ++it;
    }
    return json.dump();
}

std::vector<RunGroup> groupRuns(const std::vector<RunConfig>& configs) {
    std::vector<RunGroup> groups;
    std::map<std::string, size_t> byKey;
    for (size_t i = 0; i < configs.size(); ++i) {
        std::string key = groupKey(configs[i]);
        const auto [it, added] = byKey.emplace(key, groups.size());
        if (added)
            groups.push_back({std::move(key), {}});
        groups[it->second].members.push_back(i);
    }
    return groups;
}

} // namespace bp::study

#include "core/study/group_label.h"
#include "core/util/json_writer.h"
#include <algorithm>

namespace bp::study {

namespace {

std::string valueText(const Json& value) {
    if (value.is_string())
        return value.get<std::string>();
    return value.dump();
}

} // namespace

std::vector<std::string> groupDescriptions(const std::vector<RunGroup>& groups) {
    std::vector<Json> keys;
    keys.reserve(groups.size());
    for (const RunGroup& group : groups)
        keys.push_back(parseJson(group.key, "run group"));
    // The keys in first-seen order, then those whose value is not the same in every group.
    std::vector<std::string> all;
    for (const Json& json : keys)
        for (auto it = json.begin(); it != json.end(); ++it)
            if (std::find(all.begin(), all.end(), it.key()) == all.end())
                all.push_back(it.key());
    std::vector<std::string> differing;
    for (const std::string& key : all) {
        const Json* first = nullptr;
        bool differs = false;
        for (const Json& json : keys) {
            const auto found = json.find(key);
            if (found == json.end()) {
                differs = true;
                break;
            }
            if (!first)
                first = &*found;
            else if (*found != *first)
                differs = true;
        }
        if (differs)
            differing.push_back(key);
    }
    std::vector<std::string> out;
    for (const Json& json : keys) {
        std::string text;
        for (const std::string& key : differing)
            if (const auto found = json.find(key); found != json.end())
                text += (text.empty() ? "" : ", ") + key + "=" + valueText(*found);
        out.push_back(text);
    }
    return out;
}

std::string groupName(size_t index) {
    return "G" + std::to_string(index + 1);
}

} // namespace bp::study

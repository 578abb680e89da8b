#include "core/config/hyperparameters.h"
#include "core/util/error.h"
#include "core/util/json_reader.h"
#include <cstdlib>

namespace bp {

namespace {

const JsonValue* find(const std::map<std::string, JsonValue>& object, const std::string& key) {
    auto it = object.find(key);
    return it == object.end() || it->second.type == JsonValue::Type::Null ? nullptr : &it->second;
}

[[noreturn]] void wrongType(const std::string& key, const char* expected) {
    throw Error("configuration: \"" + key + "\" is not " + expected);
}

std::string text(const std::map<std::string, JsonValue>& object, const std::string& key, std::string fallback) {
    const JsonValue* v = find(object, key);
    if (!v)
        return fallback;
    if (v->type != JsonValue::Type::String)
        wrongType(key, "a string");
    return v->text;
}

} // namespace

RunConfig configFromJson(const std::string& json) {
    const std::map<std::string, JsonValue> object = parseJsonObject(json);
    const JsonValue* datasetValue = find(object, "dataset");
    const JsonValue* ruleValue = find(object, "rule");
    if (!datasetValue || datasetValue->type != JsonValue::Type::String)
        throw Error("configuration: \"dataset\" is missing");
    const Rule rule = ruleValue && ruleValue->type == JsonValue::Type::String ? parseRule(ruleValue->text)
                                                                             : Rule::Burstprop;
    // Start from the data set's defaults so that a key an older version did not write keeps its default.
    RunConfig c = defaultConfig(parseDatasetKind(datasetValue->text), rule);
    c.dataDir = text(object, "data_dir", c.dataDir);
    c.mirror = text(object, "mirror", c.mirror);
    c.device = text(object, "device", c.device);
    c.info = text(object, "info", c.info);
    c.architecture = parseArchitecture(text(object, "architecture", toString(c.architecture)));
    c.perturbation = parsePerturbationMode(text(object, "perturbation", toString(c.perturbation)));
    if (const JsonValue* v = find(object, "download")) {
        if (v->type != JsonValue::Type::Bool)
            wrongType("download", "true or false");
        c.download = v->boolean;
    }
    if (const JsonValue* v = find(object, "seed")) {
        if (v->type != JsonValue::Type::Number)
            wrongType("seed", "a number");
        // Written as a signed 64-bit integer: parse the literal to keep every bit.
        c.seed = v->text.front() == '-' ? static_cast<uint64_t>(std::strtoll(v->text.c_str(), nullptr, 10))
                                        : std::strtoull(v->text.c_str(), nullptr, 10);
    }
    if (const JsonValue* v = find(object, "hidden_widths")) {
        if (v->type != JsonValue::Type::Array)
            wrongType("hidden_widths", "a list of numbers");
        c.hiddenWidths.clear();
        for (const JsonValue& e : v->elements) {
            if (e.type != JsonValue::Type::Number)
                wrongType("hidden_widths", "a list of numbers");
            c.hiddenWidths.push_back(static_cast<int>(e.number));
        }
    }
    for (const ParamSpec& spec : hyperparameters()) {
        const JsonValue* v = find(object, spec.key);
        if (!v)
            continue;
        if (spec.type == ParamType::Bool) {
            if (v->type != JsonValue::Type::Bool)
                wrongType(spec.key, "true or false");
            spec.set(c, v->boolean ? 1.0 : 0.0);
        } else {
            if (v->type != JsonValue::Type::Number)
                wrongType(spec.key, "a number");
            spec.set(c, v->number);
        }
    }
    return c;
}

} // namespace bp

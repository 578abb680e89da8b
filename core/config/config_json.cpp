#include "core/config/hyperparameters.h"
#include "core/util/error.h"
#include "core/util/json_writer.h"
#include "core/util/number_text.h"
#include <limits>

namespace bp {

std::string toJson(const RunConfig& c) {
    JsonWriter json;
    json.field("dataset", toString(c.dataset))
        .field("data_dir", c.dataDir)
        .field("download", c.download)
        .field("mirror", c.mirror)
        .field("architecture", toString(c.architecture))
        .field("hidden_widths", c.hiddenWidths)
        .field("conv_channels", c.convChannels)
        .field("activation", toString(c.activation))
        .field("output", toString(c.output))
        .field("rule", c.rule)
        .field("perturbation", toString(c.perturbation))
        .field("optimizer", toString(c.optimizer))
        .field("seed", Json(c.seed))
        .field("device", c.device)
        .field("dtype", toString(c.dtype))
        .field("info", c.info);
    for (const ParamSpec& spec : hyperparameters()) {
        if (spec.type == ParamType::Bool)
            json.field(spec.key, spec.get(c) != 0.0);
        else if (spec.type == ParamType::Int)
            json.field(spec.key, static_cast<long long>(spec.get(c)));
        else
            json.field(spec.key, spec.get(c));
    }
    return json.str();
}

namespace {

[[noreturn]] void wrongType(const std::string& key, const char* expected) {
    throw Error("configuration: \"" + key + "\" is not " + expected);
}

// The value of key, or nullptr when it is absent or null.
const Json* find(const Json& object, const std::string& key) {
    const auto it = object.find(key);
    return it == object.end() || it->is_null() ? nullptr : &*it;
}

std::string text(const Json& object, const std::string& key, const std::string& fallback) {
    const Json* v = find(object, key);
    if (!v)
        return fallback;
    if (!v->is_string())
        wrongType(key, "a string");
    return v->get<std::string>();
}

// A JSON number that must fit an int (a layer width, an integer of the table): checked before converting,
// which for a number beyond int would be undefined.
double intNumber(const std::string& key, const Json& v) {
    const double value = v.get<double>();
    if (!(value >= std::numeric_limits<int>::min() && value <= std::numeric_limits<int>::max()))
        throw Error("configuration: \"" + key + "\" holds " + formatNumber(value) +
                    ", out of the integer range (" + std::to_string(std::numeric_limits<int>::min()) +
                    " to " + std::to_string(std::numeric_limits<int>::max()) + ")");
    return value;
}

// A choice spelled by name: parse it, or keep the default when absent.
template <typename E>
E choice(const Json& object, const std::string& key, E fallback, E (*parse)(const std::string&)) {
    const Json* v = find(object, key);
    if (!v)
        return fallback;
    if (!v->is_string())
        wrongType(key, "a string");
    return parse(v->get<std::string>());
}

} // namespace

RunConfig configFromJson(const std::string& text_) {
    const Json object = parseJson(text_, "configuration");
    if (!object.is_object())
        throw Error("configuration: not a JSON object");
    const Json* datasetValue = find(object, "dataset");
    if (!datasetValue || !datasetValue->is_string())
        throw Error("configuration: \"dataset\" is missing");
    // Start from the data set's defaults so that a key an older version did not write keeps its default.
    RunConfig c = datasetDefaults(parseDatasetKind(datasetValue->get<std::string>()));
    c.rule = text(object, "rule", c.rule);
    c.dataDir = text(object, "data_dir", c.dataDir);
    c.mirror = text(object, "mirror", c.mirror);
    c.device = text(object, "device", c.device);
    c.info = text(object, "info", c.info);
    c.architecture = choice(object, "architecture", c.architecture, parseArchitecture);
    c.activation = choice(object, "activation", c.activation, parseActivation);
    c.output = choice(object, "output", c.output, parseOutputKind);
    c.perturbation = choice(object, "perturbation", c.perturbation, parsePerturbationMode);
    c.optimizer = choice(object, "optimizer", c.optimizer, parseOptimizerKind);
    c.dtype = choice(object, "dtype", c.dtype, parseDtype);
    if (const Json* v = find(object, "download")) {
        if (!v->is_boolean())
            wrongType("download", "true or false");
        c.download = v->get<bool>();
    }
    if (const Json* v = find(object, "seed")) {
        // Older versions wrote seeds above 2^63 as negative 64-bit integers: keep every bit.
        if (v->is_number_unsigned())
            c.seed = v->get<uint64_t>();
        else if (v->is_number_integer())
            c.seed = static_cast<uint64_t>(v->get<int64_t>());
        else
            wrongType("seed", "an integer");
    }
    for (auto [key, widths] :
         {std::pair{"hidden_widths", &c.hiddenWidths}, std::pair{"conv_channels", &c.convChannels}})
        if (const Json* v = find(object, key)) {
            if (!v->is_array())
                wrongType(key, "a list of numbers");
            widths->clear();
            for (const Json& e : *v) {
                if (!e.is_number())
                    wrongType(key, "a list of numbers");
                widths->push_back(static_cast<int>(intNumber(key, e)));
            }
        }
    for (const ParamSpec& spec : hyperparameters()) {
        const Json* v = find(object, spec.key);
        if (!v)
            continue;
        if (spec.type == ParamType::Bool) {
            if (!v->is_boolean())
                wrongType(spec.key, "true or false");
            spec.set(c, v->get<bool>() ? 1.0 : 0.0);
        } else {
            if (!v->is_number())
                wrongType(spec.key, "a number");
            spec.set(c, spec.type == ParamType::Int ? intNumber(spec.key, *v) : v->get<double>());
        }
    }
    return c;
}

} // namespace bp

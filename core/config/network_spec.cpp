#include "core/config/network_spec.h"
#include "core/config/enum_names.h"
#include "core/util/error.h"
#include "core/util/json_writer.h"
#include <sstream>

namespace bp {

namespace {
const EnumNames<Activation> kActivations{
    "activation",
    {{"sigmoid", Activation::Sigmoid}, {"relu", Activation::Relu}, {"identity", Activation::Identity}}};
const EnumNames<OutputKind> kOutputs{"output",
                                     {{"sigmoid", OutputKind::Sigmoid}, {"softmax", OutputKind::Softmax}}};
const EnumNames<LayerKind> kLayerKinds{
    "layer kind", {{"conv", LayerKind::Conv}, {"hidden", LayerKind::Hidden}, {"output", LayerKind::Output}}};
const EnumNames<InitScheme> kInitSchemes{
    "initialisation", {{"xavier", InitScheme::Xavier}, {"kaiming-fan-out", InitScheme::KaimingFanOut}}};
} // namespace

std::string toString(InitScheme s) {
    return kInitSchemes.name(s);
}
InitScheme parseInitScheme(const std::string& name) {
    return kInitSchemes.parse(name);
}

std::string toString(Activation a) {
    return kActivations.name(a);
}
std::string toString(OutputKind k) {
    return kOutputs.name(k);
}
std::string toString(LayerKind k) {
    return kLayerKinds.name(k);
}
Activation parseActivation(const std::string& name) {
    return kActivations.parse(name);
}
OutputKind parseOutputKind(const std::string& name) {
    return kOutputs.parse(name);
}
LayerKind parseLayerKind(const std::string& name) {
    return kLayerKinds.parse(name);
}

std::vector<std::string> layerTitles(const NetworkSpec& spec) {
    std::vector<std::string> titles;
    int conv = 0, hidden = 0;
    for (const LayerSpec& layer : spec.layers) {
        if (layer.kind == LayerKind::Conv)
            titles.push_back("conv" + std::to_string(++conv));
        else if (layer.kind == LayerKind::Hidden)
            titles.push_back("hidden " + std::to_string(++hidden));
        else
            titles.push_back("output");
    }
    return titles;
}

std::string NetworkSpec::describe() const {
    std::ostringstream out;
    out << inputChannels * inputSize * inputSize;
    for (const LayerSpec& l : layers) {
        out << '-';
        if (l.kind == LayerKind::Conv)
            out << "conv" << l.outFeatures << '@' << l.kernel << 'x' << l.kernel << 's' << l.stride;
        else
            out << l.outFeatures;
        if (l.kind != LayerKind::Output && l.activation != Activation::Sigmoid)
            out << ' ' << toString(l.activation);
    }
    if (output != OutputKind::Sigmoid)
        out << ' ' << toString(output);
    return out.str();
}

std::string toJson(const NetworkSpec& spec) {
    Json layers = Json::array();
    for (const LayerSpec& l : spec.layers) {
        Json layer = {{"kind", toString(l.kind)},
                      {"out", l.outFeatures},
                      {"activation", toString(l.activation)},
                      {"feedback", l.feedback},
                      {"recurrent", l.recurrent}};
        if (l.kind == LayerKind::Conv) {
            layer["kernel"] = l.kernel;
            layer["stride"] = l.stride;
            layer["padding"] = l.padding;
        }
        layers.push_back(std::move(layer));
    }
    const Json json = {{"input_channels", spec.inputChannels},
                       {"input_size", spec.inputSize},
                       {"output", toString(spec.output)},
                       {"kappa", spec.kappa},
                       {"init", toString(spec.init.scheme)},
                       {"gain", spec.init.gain},
                       {"feedback_std", spec.init.feedbackStd},
                       {"recurrent_range", spec.init.recurrentRange},
                       {"layers", std::move(layers)}};
    return json.dump();
}

NetworkSpec networkSpecFromJson(const std::string& text) {
    const Json json = parseJson(text, "network description");
    auto get = [](const Json& object, const char* key) -> const Json& {
        if (!object.is_object() || !object.contains(key))
            throw Error(std::string("network description: \"") + key + "\" is missing");
        return object.at(key);
    };
    try {
        NetworkSpec spec;
        spec.inputChannels = get(json, "input_channels").get<int64_t>();
        spec.inputSize = get(json, "input_size").get<int64_t>();
        spec.output = parseOutputKind(get(json, "output").get<std::string>());
        spec.kappa = get(json, "kappa").get<double>();
        if (json.contains("init")) // absent in descriptions written before the ImageNet network
            spec.init.scheme = parseInitScheme(json.at("init").get<std::string>());
        spec.init.gain = get(json, "gain").get<double>();
        spec.init.feedbackStd = get(json, "feedback_std").get<double>();
        spec.init.recurrentRange = get(json, "recurrent_range").get<double>();
        for (const Json& l : get(json, "layers")) {
            LayerSpec layer;
            layer.kind = parseLayerKind(get(l, "kind").get<std::string>());
            layer.outFeatures = get(l, "out").get<int64_t>();
            layer.activation = parseActivation(get(l, "activation").get<std::string>());
            layer.feedback = get(l, "feedback").get<bool>();
            layer.recurrent = get(l, "recurrent").get<bool>();
            if (layer.kind == LayerKind::Conv) {
                layer.kernel = get(l, "kernel").get<int64_t>();
                layer.stride = get(l, "stride").get<int64_t>();
                layer.padding = get(l, "padding").get<int64_t>();
            }
            spec.layers.push_back(layer);
        }
        return spec;
    } catch (const Json::exception& e) {
        throw Error(std::string("network description: ") + e.what());
    }
}

} // namespace bp

#include "core/checkpoint/checkpoint.h"
#include "core/checkpoint/pickle_io.h"
#include "core/util/atomic_file.h"
#include "core/util/error.h"
#include <mutex>

namespace bp {

namespace {

const char* const kFormat = "burstprop-checkpoint";
const char* const kIntKeys[] = {"format_version", "epoch", "step", "batch_in_epoch"};
// Format 1 only: node perturbation's unit position, as ints of its own.
const char* const kFormat1IntKeys[] = {"perturbation_layer", "perturbation_unit"};

std::string shapeText(const at::Tensor& t) {
    std::string out;
    for (int64_t d : t.sizes())
        out += (out.empty() ? "" : "×") + std::to_string(d);
    return out.empty() ? "scalar" : out;
}

template <typename L> // Layer or const Layer
auto layerField(L& layer, const std::string& field) -> decltype(&layer.weight) {
    if (field == "weight")
        return &layer.weight;
    if (field == "bias")
        return &layer.bias;
    if (field == "weight_fa")
        return &layer.weightFa;
    if (field == "weight_r")
        return &layer.weightR;
    return nullptr;
}

bool hasPrefix(const std::string& key, const char* prefix) {
    return key.rfind(prefix, 0) == 0;
}

} // namespace

std::string CheckpointOwner::describe() const {
    if (!known())
        return runId > 0 ? "run " + std::to_string(runId) : "an unrecorded run";
    return "run " + std::to_string(runId) + " of " + database;
}

at::Tensor generatorState(const at::Generator& generator) {
    at::Generator g = generator; // shares the implementation; needed for the non-const mutex()
    std::lock_guard<std::mutex> lock(g.mutex());
    return g.get_state();
}

const at::Tensor* Checkpoint::tensor(const std::string& name) const {
    for (const auto& [n, t] : tensors)
        if (n == name)
            return &t;
    return nullptr;
}

void Checkpoint::captureNetwork(const Network& net) {
    tensors.clear();
    for (const auto& [name, t] : net.namedTensors())
        tensors.emplace_back(name, t.detach().cpu().clone(at::MemoryFormat::Contiguous));
}

void Checkpoint::checkNetwork(const Network& net, const std::string& source) const {
    auto fail = [&](const std::string& what) {
        throw Error(source + ": " + what + " (a checkpoint of another architecture?)");
    };
    for (const auto& [name, t] : tensors) {
        const auto [index, field] = splitLayerKey(name);
        if (index < 0)
            fail("unexpected tensor " + name);
        if (index >= static_cast<int64_t>(net.layers.size()))
            fail("layer" + std::to_string(index) + " is in the checkpoint but the network has only " +
                 std::to_string(net.layers.size()) + " layers");
        const Layer& layer = net.layers[static_cast<size_t>(index)];
        const at::Tensor* own = layerField(layer, field);
        if (!own)
            fail("unexpected tensor " + name);
        if (!own->defined())
            fail("layer" + std::to_string(index) + ": the checkpoint has " + field +
                 " but the network's layer has none");
        if (own->sizes() != t.sizes())
            fail("layer" + std::to_string(index) + ": " + name + " is " + shapeText(t) +
                 " in the checkpoint but " + shapeText(*own) + " in the network");
        if (own->scalar_type() != t.scalar_type())
            fail("layer" + std::to_string(index) + ": " + name + " is " +
                 std::string(c10::toString(t.scalar_type())) + " in the checkpoint but " +
                 c10::toString(own->scalar_type()) + " in the network");
    }
    for (size_t i = 0; i < net.layers.size(); ++i)
        for (const char* field : {"weight", "bias", "weight_fa", "weight_r"}) {
            const std::string name = "layer" + std::to_string(i) + "." + field;
            if (layerField(net.layers[i], field)->defined() && !tensor(name))
                fail("layer" + std::to_string(i) + ": " + name + " is missing from the checkpoint");
        }
}

void Checkpoint::restoreNetwork(Network& net, const std::string& source) const {
    checkNetwork(net, source);
    const at::Device device = net.device();
    for (const auto& [name, t] : tensors) {
        const auto [index, field] = splitLayerKey(name);
        *layerField(net.layers[static_cast<size_t>(index)], field) =
            t.to(device, /*non_blocking=*/false, /*copy=*/true);
    }
}

void Checkpoint::captureGenerator(const std::string& name, const at::Generator& generator) {
    generators[name] = generatorState(generator);
}

void Checkpoint::restoreGenerator(const std::string& name, at::Generator& generator,
                                  const std::string& source) const {
    const auto it = generators.find(name);
    if (it == generators.end())
        throw Error(source + ": the checkpoint has no state for the random generator '" + name + "'");
    try {
        std::lock_guard<std::mutex> lock(generator.mutex());
        generator.set_state(it->second);
    } catch (const c10::Error& e) {
        const std::string what = e.what();
        throw Error(source + ": the state of the random generator '" + name +
                    "' does not fit: " + what.substr(0, what.find('\n')));
    }
}

void saveCheckpoint(const std::string& path, const Checkpoint& c) {
    pickle::Dict dict = pickle::makeDict();
    dict.insert("format", std::string(kFormat));
    dict.insert("format_version", Checkpoint::kFormatVersion);
    dict.insert("epoch", static_cast<int64_t>(c.epoch));
    dict.insert("step", c.step);
    dict.insert("batch_in_epoch", static_cast<int64_t>(c.batchInEpoch));
    dict.insert("config", c.configJson);
    dict.insert("network", c.networkJson);
    dict.insert("optimizer", c.optimizer);
    dict.insert("rule", c.rule);
    if (c.owner.known()) {
        dict.insert("run.database_id", c.owner.databaseId);
        dict.insert("run.database", c.owner.database);
        dict.insert("run.id", c.owner.runId);
    }
    for (const auto& [name, t] : c.tensors)
        pickle::insertTensor(dict, name, t, path);
    for (const auto& [name, t] : c.optimizerState)
        pickle::insertTensor(dict, "optimizer." + name, t, path);
    for (const auto& [name, t] : c.ruleState)
        pickle::insertTensor(dict, "rule." + name, t, path);
    for (const auto& [name, t] : c.generators)
        pickle::insertTensor(dict, "generator." + name, t, path);
    if (c.dataOrder.defined())
        pickle::insertTensor(dict, "data.order", c.dataOrder, path);
    for (const auto& [name, values] : c.extras)
        pickle::insertTensor(dict, "extra." + name,
                             at::tensor(at::ArrayRef<double>(values), at::kDouble).clone(), path);
    dict.insert("checksum", pickle::checksum(dict));
    writeFileAtomically(path, pickle::save(dict, path), "checkpoint.write");
}

Checkpoint loadCheckpoint(const std::string& path) {
    const pickle::Dict dict = pickle::load(path);
    auto fail = [&](const std::string& what) -> void { throw Error(path + ": " + what); };
    auto requireInt = [&](const char* key) {
        const c10::IValue* v = pickle::find(dict, key);
        if (!v || !v->isInt())
            fail(std::string("damaged checkpoint: \"") + key + "\" is " + (v ? "not an integer" : "missing"));
        return v->toInt();
    };
    auto optionalText = [&](const char* key) -> std::string {
        const c10::IValue* v = pickle::find(dict, key);
        if (!v)
            return {};
        if (!v->isString())
            fail(std::string("damaged checkpoint: \"") + key + "\" is not a string");
        return v->toStringRef();
    };
    const c10::IValue* format = pickle::find(dict, "format");
    if (!format || !format->isString() || format->toStringRef() != kFormat)
        fail("not a Burstprop checkpoint (no \"format\": \"" + std::string(kFormat) +
             "\" entry; exported .pt files are for Python)");
    for (const char* key : kIntKeys)
        requireInt(key);
    const c10::IValue* sum = pickle::find(dict, "checksum");
    if (!sum || !sum->isInt())
        fail(std::string("damaged checkpoint: \"checksum\" is ") + (sum ? "not an integer" : "missing"));
    if (sum->toInt() != pickle::checksum(dict))
        fail("damaged checkpoint: its contents do not match their checksum (the file was altered or is "
             "corrupt)");
    const int64_t version = requireInt("format_version");
    if (version > Checkpoint::kFormatVersion)
        fail("checkpoint format " + std::to_string(version) + " is newer than this program's (" +
             std::to_string(Checkpoint::kFormatVersion) + ")");
    if (version < 1)
        fail("damaged checkpoint: format version " + std::to_string(version));
    if (version == 1)
        for (const char* key : kFormat1IntKeys)
            requireInt(key);
    const c10::IValue* config = pickle::find(dict, "config");
    if (!config || !config->isString())
        fail(std::string("damaged checkpoint: \"config\" is ") + (config ? "not a string" : "missing"));

    Checkpoint c;
    c.formatVersion = version;
    c.epoch = static_cast<int>(requireInt("epoch"));
    c.step = requireInt("step");
    c.batchInEpoch = static_cast<int>(requireInt("batch_in_epoch"));
    c.configJson = config->toStringRef();
    c.networkJson = optionalText("network");
    c.optimizer = optionalText("optimizer");
    c.rule = optionalText("rule");
    c.owner.databaseId = optionalText("run.database_id");
    c.owner.database = optionalText("run.database");
    if (const c10::IValue* run = pickle::find(dict, "run.id"); run && run->isInt())
        c.owner.runId = run->toInt();
    for (const auto& entry : dict) {
        const std::string key = entry.key().toStringRef();
        const c10::IValue& value = entry.value();
        const auto [layer, field] = splitLayerKey(key);
        const bool isExtra = hasPrefix(key, "extra.");
        const bool isGenerator = hasPrefix(key, "generator.");
        const bool isOptimizer = hasPrefix(key, "optimizer.");
        const bool isRule = hasPrefix(key, "rule.");
        if (!isExtra && !isGenerator && !isOptimizer && !isRule && layer < 0 && key != "data.order")
            continue; // a scalar read above, or an entry a later version added
        if (!value.isTensor())
            fail("damaged checkpoint: \"" + key + "\" is not a tensor");
        const at::Tensor t = value.toTensor();
        if (isExtra) {
            if (t.scalar_type() != at::kDouble || t.dim() != 1)
                fail("damaged checkpoint: \"" + key + "\" is not a float64 vector");
            const at::Tensor v = t.contiguous();
            c.extras[key.substr(6)] =
                std::vector<double>(v.data_ptr<double>(), v.data_ptr<double>() + v.numel());
        } else if (isGenerator) {
            if (t.scalar_type() != at::kByte || t.dim() != 1)
                fail("damaged checkpoint: \"" + key + "\" is not a uint8 generator state");
            c.generators[key.substr(10)] = t;
        } else if (isOptimizer) {
            c.optimizerState[key.substr(10)] = t;
        } else if (isRule) {
            c.ruleState[key.substr(5)] = t;
        } else if (key == "data.order") {
            if (t.scalar_type() != at::kLong || t.dim() != 1)
                fail("damaged checkpoint: \"data.order\" is not a 1-D int64 permutation");
            c.dataOrder = t;
        } else if (version == 1 && (field == "delta_weight" || field == "delta_bias")) {
            c.optimizerState[key] = t; // format 1: momentum buffers beside the parameters
        } else {
            c.tensors.emplace_back(key, t);
        }
    }
    if (version == 1) { // node perturbation's state had entries of its own
        const auto generator = c.generators.find("perturbation");
        if (generator != c.generators.end()) {
            c.ruleState["generator"] = generator->second;
            c.ruleState["position"] =
                at::tensor({requireInt("perturbation_layer"), requireInt("perturbation_unit")}, at::kLong);
            c.generators.erase(generator);
        }
    }
    if (!c.tensor("layer0.weight"))
        fail("damaged checkpoint: it holds no network (layer0.weight is missing)");
    c.path = path;
    return c;
}

Checkpoint loadCheckpoint(const std::string& path, const Network& net) {
    Checkpoint c = loadCheckpoint(path);
    c.checkNetwork(net, path);
    return c;
}

} // namespace bp

#include "core/rules/node_perturbation.h"
#include "core/nn/loss.h"
#include "core/rules/rule_registry.h"
#include "core/util/error.h"
#include <ATen/CPUGeneratorImpl.h>
#include <mutex>

namespace bp {

namespace {

// The layer's activation in ATen operations (as the reference computes it).
at::Tensor activated(const Layer& layer, const at::Tensor& z) {
    switch (layer.activation) {
    case Activation::Sigmoid:
        return at::sigmoid(z);
    case Activation::Relu:
        return at::relu(z);
    case Activation::Identity:
        return z;
    }
    return z;
}

} // namespace

NodePerturbationRule::NodePerturbationRule(const RunConfig& config, uint64_t seed)
    : config_(config), generator_(at::make_generator<at::CPUGeneratorImpl>(seed)) {}

at::Tensor NodePerturbationRule::noise(const at::IntArrayRef shape, const at::TensorOptions& options) {
    // Drawn in float32 on the CPU from the rule's own generator, so runs repeat bit for bit on any device.
    at::Tensor xi = at::empty(shape, at::TensorOptions().dtype(at::kFloat));
    xi.normal_(config_.xiMean, config_.xiStd, generator_);
    return xi.to(options);
}

at::Tensor NodePerturbationRule::batchNoise(const at::IntArrayRef shape, const at::TensorOptions& options,
                                            const BatchShard* shard) {
    if (!shard)
        return noise(shape, options);
    // Drawn for the whole global batch, as one process would, and this rank's rows taken: example i's noise
    // is row i of the global draw whatever the number of processes.
    std::vector<int64_t> global(shape.begin(), shape.end());
    global[0] = shard->globalCount;
    const int64_t offset = shard->count > 0 ? shard->offset : 0;
    return noise(global, options).narrow(0, offset, shape[0]).contiguous();
}

double NodePerturbationRule::perturbedLoss(const Network& net, size_t perturbed, const at::Tensor& xi,
                                           const at::Tensor& labels) {
    // The perturbed layer's activity is f(its clean pre-activation + xi), whatever lies below it
    // (as the reference); the layers above are recomputed from it with their current weights.
    at::Tensor h = activated(net.layers[perturbed], pre_[perturbed] + xi);
    for (size_t i = perturbed + 1; i < net.layers.size(); ++i) {
        const Layer& layer = net.layers[i];
        h = activated(layer, layer.preActivation(layer.prepareInput(h)));
    }
    return outputLoss(net.output, h, labels);
}

void NodePerturbationRule::handAll(GradientSink& sink, const std::vector<at::Tensor>& deltas) {
    for (size_t i = deltas.size(); i-- > 0;) {
        LayerGradients g;
        if (deltas[i].defined())
            g.weight = Gradient::product(deltas[i], inputs_[i]);
        sink.gradientsReady(i, std::move(g)); // undefined: a zero gradient (momentum and decay still act)
    }
}

StepResult NodePerturbationRule::step(Network& net, const at::Tensor& input, const at::Tensor& labels,
                                      const StepOptions& options, GradientSink& sink) {
    const size_t n = net.layers.size();
    inputs_.resize(n);
    pre_.resize(n);
    StepResult result;
    if (options.recordSignals)
        result.signals.resize(n);
    at::Tensor h = input;
    for (size_t i = 0; i < n; ++i) {
        inputs_[i] = net.layers[i].prepareInput(h);
        pre_[i] = net.layers[i].preActivation(inputs_[i]);
        h = activated(net.layers[i], pre_[i]);
        if (options.recordSignals)
            result.signals[i].e = h; // the clean forward pass, before any sub-step's update
    }
    const at::Tensor out = h;
    result.loss = outputLoss(net.output, out, labels);
    result.correct = countCorrect(out, labels);
    if (options.trace)
        options.trace->output = out.clone();

    const double scale = 1.0 / (config_.xiStd * config_.xiStd);
    const BatchShard* shard = options.shard;
    // The clean minus the perturbed loss of the whole batch (data-parallel: the means over the global batch).
    auto lossChange = [&](double perturbed) {
        if (!shard)
            return result.loss - perturbed;
        const double weight = static_cast<double>(shard->count);
        std::vector<double> sums{shard->count > 0 ? result.loss * weight : 0.0,
                                 shard->count > 0 ? perturbed * weight : 0.0};
        shard->sum(sums);
        const double global = static_cast<double>(shard->globalCount);
        return sums[0] / global - sums[1] / global;
    };
    std::vector<at::Tensor> deltas(n);
    if (config_.perturbation == PerturbationMode::AllLayers) {
        for (size_t i = 0; i < n; ++i)
            deltas[i] = batchNoise(pre_[i].sizes(), pre_[i].options(), shard);
        // Each layer's perturbed activity is f(its clean pre-activation + xi) (see header).
        const double perturbed =
            outputLoss(net.output, activated(net.layers.back(), pre_.back() + deltas.back()), labels);
        const double change = lossChange(perturbed);
        for (at::Tensor& xi : deltas)
            xi.mul_(-change * scale);
        if (options.recordSignals) // what the update uses: each layer's noise times the loss change
            for (size_t i = 0; i < n; ++i)
                result.signals[i].delta = deltas[i];
        handAll(sink, deltas);
        return result;
    }

    auto subStep = [&](size_t layer, at::Tensor xi) {
        const double perturbed = perturbedLoss(net, layer, xi, labels);
        std::fill(deltas.begin(), deltas.end(), at::Tensor());
        deltas[layer] = xi.mul_(-lossChange(perturbed) * scale);
        if (options.recordSignals) // the perturbed layer's only (unit by unit: zero but for one unit)
            result.signals[layer].delta = deltas[layer];
        handAll(sink, deltas);
        sink.flush(); // the next sub-step reads the updated weights
    };
    if (config_.perturbation == PerturbationMode::LayerByLayer) {
        for (size_t l = 0; l < n; ++l)
            subStep(l, batchNoise(pre_[l].sizes(), pre_[l].options(), shard));
        return result;
    }
    // UnitByUnit
    if (layer_ >= static_cast<int64_t>(n))
        layer_ = 0;
    const at::Tensor& pre = pre_[layer_];
    const int64_t batch = pre.size(0);
    const int64_t units = pre.numel() / batch;
    at::Tensor xi = at::zeros({batch, units}, pre.options());
    xi.select(1, unit_).copy_(batchNoise({batch}, pre.options(), shard));
    subStep(static_cast<size_t>(layer_), xi.view(pre.sizes()));
    if (++unit_ >= units) {
        unit_ = 0;
        layer_ = (layer_ + 1) % static_cast<int64_t>(n);
    }
    return result;
}

RuleState NodePerturbationRule::saveState() const {
    at::Generator g = generator_; // shares the implementation; needed for the non-const mutex()
    std::lock_guard<std::mutex> lock(g.mutex());
    return {{"generator", g.get_state()}, {"position", at::tensor({layer_, unit_}, at::kLong)}};
}

void NodePerturbationRule::restoreState(const RuleState& state, const std::string& source) {
    const auto generator = state.find("generator");
    const auto position = state.find("position");
    if (generator == state.end() || position == state.end())
        throw Error(source +
                    ": the checkpoint has no node-perturbation state (\"generator\" and \"position\")");
    if (position->second.numel() != 2 || position->second.scalar_type() != at::kLong)
        throw Error(source + ": the node-perturbation position is not two integers");
    try {
        std::lock_guard<std::mutex> lock(generator_.mutex());
        generator_.set_state(generator->second);
    } catch (const c10::Error& e) {
        const std::string what = e.what();
        throw Error(source + ": the state of the node-perturbation noise generator does not fit: " +
                    what.substr(0, what.find('\n')));
    }
    const at::Tensor p = position->second.contiguous();
    const int64_t layer = p.data_ptr<int64_t>()[0], unit = p.data_ptr<int64_t>()[1];
    if (layer < 0 || unit < 0) // indices into the network's layers and units
        throw Error(source + ": the node-perturbation position (layer " + std::to_string(layer) + ", unit " +
                    std::to_string(unit) + ") is negative");
    layer_ = layer;
    unit_ = unit;
}

void NodePerturbationRule::checkState(const Network& net, const std::string& source) const {
    const auto layers = static_cast<int64_t>(net.layers.size());
    if (layer_ >= layers)
        throw Error(source + ": the node-perturbation position names layer " + std::to_string(layer_) +
                    " (unit " + std::to_string(unit_) + "), but the network has " + std::to_string(layers) +
                    " layers");
    if (unit_ == 0)
        return; // every layer has a first unit
    // The layer's units: its pre-activation's size for one example (a conv layer's channels × height ×
    // width).
    at::Tensor h = at::zeros({1, net.inputChannels, net.inputSize, net.inputSize},
                             at::TensorOptions().dtype(net.dtype()).device(net.device()));
    int64_t units = 0;
    for (int64_t i = 0; i <= layer_; ++i) {
        const Layer& layer = net.layers[static_cast<size_t>(i)];
        const at::Tensor z = layer.preActivation(layer.prepareInput(h));
        units = z.numel();
        h = activated(layer, z);
    }
    if (unit_ >= units)
        throw Error(source + ": the node-perturbation position names unit " + std::to_string(unit_) +
                    " of layer " + std::to_string(layer_) + ", which has " + std::to_string(units) +
                    " units (0 to " + std::to_string(units - 1) + ")");
}

const RuleInfo& nodePerturbationRule() {
    static const RuleInfo info = [] {
        RuleInfo r;
        r.name = "node-perturbation";
        r.aliases = {"np"};
        r.title = "Node perturbation";
        r.description = "Noise on the pre-activations; each perturbed unit moves by how much its noise "
                        "lowered the loss (the reference's baseline).";
        r.hyperparameters = {"hidden_lr", "xi_mean", "xi_std"};
        r.perturbationModes = true;
        r.initGain = [](const RunConfig&) { return 3.6; };
        r.make = [](const RunConfig& c, uint64_t seed) {
            return std::make_unique<NodePerturbationRule>(c, seed);
        };
        return r;
    }();
    return info;
}

} // namespace bp

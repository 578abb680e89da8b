#include "core/optim/optimizer.h"
#include "core/optim/adam.h"
#include "core/optim/reference_momentum.h"
#include "core/optim/torch_sgd.h"
#include "core/util/error.h"
#include <cmath>

namespace bp {

namespace {

// The parameter a state entry belongs to: the longest parameter name it ends with.
const at::Tensor* parameterOf(const Layer& layer, const std::string& state) {
    auto endsWith = [&](const char* p) {
        const std::string suffix = std::string("_") + p;
        return state.size() > suffix.size() &&
               state.compare(state.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    if (endsWith("weight_fa"))
        return &layer.weightFa;
    if (endsWith("weight_r"))
        return &layer.weightR;
    if (endsWith("weight"))
        return &layer.weight;
    if (endsWith("bias"))
        return &layer.bias;
    return nullptr;
}

std::string shapeText(const at::Tensor& t) {
    std::string out;
    for (int64_t d : t.sizes())
        out += (out.empty() ? "" : "×") + std::to_string(d);
    return out.empty() ? "scalar" : out;
}

} // namespace

const ParameterGroup& Optimizer::group(size_t index) const {
    if (index >= settings_.layers.size())
        throw Error("the optimizer has no parameter group for layer " + std::to_string(index));
    return settings_.layers[index];
}

at::Tensor Optimizer::stateTensor(const std::string& name, const at::Tensor& like) {
    at::Tensor& t = state_[name];
    if (!t.defined())
        t = at::zeros_like(like);
    return t;
}

std::string Optimizer::key(size_t index, const char* state, const char* parameter) {
    return "layer" + std::to_string(index) + "." + state + "_" + parameter;
}

void Optimizer::addLayerTask(UpdateTasks& tasks, const Layer& layer, std::function<void()> task) {
    const double cost = static_cast<double>(layer.weight.numel());
    (layer.isConv() ? tasks.serial : tasks.concurrent).add(cost, std::move(task));
}

void Optimizer::loadState(const std::map<std::string, at::Tensor>& state, const Network& net,
                          const std::string& source) {
    std::map<std::string, at::Tensor> loaded;
    for (const auto& item : state) {
        const std::string& name = item.first; // not a structured binding: C++17 lambdas cannot capture one
        const at::Tensor& t = item.second;
        const auto [index, entry] = splitLayerKey(name);
        auto fail = [&](const std::string& what) {
            throw Error(source + ": optimizer state " + name + " " + what +
                        " (a checkpoint of another network or optimizer?)");
        };
        if (index < 0 || index >= static_cast<int64_t>(net.layers.size()))
            fail("names no layer of the network");
        const Layer& layer = net.layers[static_cast<size_t>(index)];
        const at::Tensor* parameter = parameterOf(layer, entry);
        if (!parameter || !parameter->defined())
            fail("names no parameter of layer " + std::to_string(index));
        const bool scalarState = entry.rfind("step_", 0) == 0;
        if (!scalarState && t.sizes() != parameter->sizes())
            fail("is " + shapeText(t) + " but the parameter is " + shapeText(*parameter));
        if (!scalarState && t.scalar_type() != parameter->scalar_type())
            fail("is " + std::string(c10::toString(t.scalar_type())) + " but the parameter is " +
                 c10::toString(parameter->scalar_type()));
        loaded[name] = t.to(parameter->device(), /*non_blocking=*/false, /*copy=*/true);
    }
    state_ = std::move(loaded);
}

std::unique_ptr<Optimizer> makeOptimizer(const std::string& name, OptimizerSettings settings) {
    if (name == "reference")
        return std::make_unique<ReferenceMomentum>(std::move(settings));
    if (name == "sgd")
        return std::make_unique<TorchSgd>(std::move(settings));
    if (name == "adam")
        return std::make_unique<Adam>(std::move(settings));
    throw Error("unknown optimizer '" + name + "' (allowed: reference, sgd, adam)");
}

double learningRateScale(int epoch, int step, double factor) {
    if (step <= 0 || epoch <= 1)
        return 1.0;
    return std::pow(factor, static_cast<double>((epoch - 1) / step));
}

} // namespace bp

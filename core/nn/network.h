#pragma once
#include "core/config/run_config.h"
#include "core/nn/layer.h"
#include <ATen/ATen.h>
#include <string>
#include <utility>
#include <vector>

namespace bp {

// Shape of one weight layer before its tensors exist.
struct LayerSpec {
    LayerKind kind;
    int64_t outFeatures; // units, or output channels for conv
    int64_t kernel = 0;  // conv only
    int64_t stride = 1;
    int64_t padding = 0;
};

// The layer specs of a configuration's network (paper's architectures; FC widths from the config).
std::vector<LayerSpec> architectureSpecs(const RunConfig& config);

// A feedforward sigmoid network: layers from bottom (0) to output (last).
class Network {
public:
    std::vector<Layer> layers;
    int64_t inputChannels = 1;
    int64_t inputSize = 28;
    int64_t classes = 10;

    // e of the output layer for a batch (no state kept, no autograd).
    at::Tensor forward(const at::Tensor& input) const;

    // Move every tensor to device (in place).
    void to(const at::Device& device);
    at::Device device() const;

    // Every tensor by name: layer{i}.weight, .bias, .weight_fa, .weight_r, .delta_weight, .delta_bias.
    std::vector<std::pair<std::string, at::Tensor>> namedTensors(bool includeMomentum) const;
    int64_t parameterCount() const;
    std::string describe() const; // e.g. "784-500-500-500-10"
};

// Builds and initialises the network of config for inputs of channels x size x size, as the paper:
// Xavier-normal W (gain 1 for MNIST-format burstprop/feedback-alignment nets, 3.6 for the CIFAR net
// and for every backprop and node-perturbation net), zero biases, Y ~ N(0, weight_fa_std),
// Z ~ U(−weight_r_range, weight_r_range). All randomness from generator; tensors on the CPU.
Network buildNetwork(const RunConfig& config, int64_t channels, int64_t size, at::Generator& generator);

double initGain(const RunConfig& config);

} // namespace bp

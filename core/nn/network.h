#pragma once
#include "core/config/network_spec.h"
#include "core/nn/layer.h"
#include <ATen/ATen.h>
#include <string>
#include <utility>
#include <vector>

namespace bp {

// A feedforward network: layers from bottom (0) to output (last).
class Network {
  public:
    std::vector<Layer> layers;
    int64_t inputChannels = 1;
    int64_t inputSize = 28;
    int64_t classes = 10;
    OutputKind output = OutputKind::Sigmoid;
    double kappa = 1.0; // softmax output's κ

    // e of the output layer for a batch (no state kept, no autograd): sigmoid outputs, or the linear
    // outputs a softmax reads (the logits).
    at::Tensor forward(const at::Tensor& input) const;

    // Move every tensor to device (in place); convert every tensor to a floating type (in place).
    void to(const at::Device& device);
    void to(at::ScalarType dtype);
    at::Device device() const;
    at::ScalarType dtype() const;
    // A copy that shares no tensor with this one.
    Network clone() const;

    // Every parameter tensor by name: layer{i}.weight, .bias, .weight_fa, .weight_r (those a layer has);
    // checkpoints and optimizer state use the same "layer<i>.<field>" form (splitLayerKey() reads it).
    std::vector<std::pair<std::string, at::Tensor>> namedTensors() const;
    int64_t parameterCount() const;
    std::string describe() const; // e.g. "784-500-500-500-10"
};

// "layer12.weight_fa" → (12, "weight_fa"); (-1, "") for a name of another form.
std::pair<int64_t, std::string> splitLayerKey(const std::string& name);

// Builds and initialises the described network (../shared/golden/README.md): Xavier-normal W with the
// description's gain, zero biases, Y ~ N(0, feedback std), Z ~ U(−range, range); every random number
// from generator, drawn in float32 in the same order whatever the dtype, on the CPU. Throws bp::Error when
// a layer does not fit its input (a conv net on too small an image, a conv layer above a dense one).
Network buildNetwork(const NetworkSpec& spec, at::ScalarType dtype, at::Generator& generator);

} // namespace bp

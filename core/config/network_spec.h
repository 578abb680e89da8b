#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace bp {

// What a layer's units compute from their input: sigmoid (the paper's MNIST and CIFAR-10 nets), ReLU
// (its ImageNet net), or nothing (a linear output layer).
enum class Activation { Sigmoid, Relu, Identity };
// The output layer and its loss: sigmoid units read against one-hot targets by a mean squared error
// (the paper's burst output), or linear units read through a softmax by the cross-entropy (backprop's
// usual output, and the ImageNet net's, whose burst probabilities come from the softmax with κ).
enum class OutputKind { Sigmoid, Softmax };

enum class LayerKind { Conv, Hidden, Output };

// One weight layer before its tensors exist.
struct LayerSpec {
    LayerKind kind = LayerKind::Hidden;
    int64_t outFeatures = 0; // units, or output channels for conv
    int64_t kernel = 0;      // conv only
    int64_t stride = 1;      // conv only
    int64_t padding = 0;     // conv only
    Activation activation = Activation::Sigmoid;
    bool feedback = false;  // has feedback weights Y of W's shape
    bool recurrent = false; // has recurrent weights Z (out × out)
};

// How the weights W start: Xavier normal, N(0, gain·√(2 / (fan_in + fan_out))) (the MNIST and CIFAR-10
// scripts), or the ImageNet script's: Kaiming normal for convolutions, N(0, √(2 / fan_out)) with
// fan_out = out channels × kernel², and N(0, 0.01) for fully connected layers.
enum class InitScheme { Xavier, KaimingFanOut };

// How the tensors start: W as the scheme says, b = 0, Y ~ N(0, feedbackStd) (with Kaiming and
// feedbackStd 0: drawn as W, as the ImageNet script), Z ~ U(−recurrentRange, recurrentRange).
struct InitSpec {
    InitScheme scheme = InitScheme::Xavier;
    double gain = 1.0;
    double feedbackStd = 1.0;
    double recurrentRange = 0.01;
};

// A network, completely: its input, its layers bottom (0) to output (last), its output kind and its
// initialisation. The trainer, the golden replay, checkpoints ("network" entry) and the run store read
// the same description; a configuration gives it through networkSpec() (core/setup).
struct NetworkSpec {
    int64_t inputChannels = 1;
    int64_t inputSize = 28; // square images
    std::vector<LayerSpec> layers;
    OutputKind output = OutputKind::Sigmoid;
    double kappa = 1.0; // softmax output: scale of the teaching signal (the reference's κ)
    InitSpec init;

    int64_t classes() const { return layers.empty() ? 0 : layers.back().outFeatures; }
    // e.g. "784-500-500-500-10", "3072-conv64@5x5s2-...-10"; activations and output named when not the
    // paper's sigmoid.
    std::string describe() const;
};

// What a person reads for each layer, by its index in the network (0 = the first weight layer): "conv1",
// "conv2", …, "hidden 1", "hidden 2", …, "output". Per-layer metrics are keyed by that index
// ("weight_angle/2"); plots, tables and exports name the layer so.
std::vector<std::string> layerTitles(const NetworkSpec& spec);

std::string toString(Activation activation);
std::string toString(OutputKind kind);
std::string toString(LayerKind kind);
std::string toString(InitScheme scheme);
// Parse the names toString() gives; throw bp::Error naming the allowed values.
Activation parseActivation(const std::string& name);
OutputKind parseOutputKind(const std::string& name);
LayerKind parseLayerKind(const std::string& name);
InitScheme parseInitScheme(const std::string& name);

// A description as one JSON object, and back (throws bp::Error naming the key that is missing or wrong).
std::string toJson(const NetworkSpec& spec);
NetworkSpec networkSpecFromJson(const std::string& json);

} // namespace bp

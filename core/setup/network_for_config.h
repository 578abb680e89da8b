#pragma once
#include "core/config/network_spec.h"
#include "core/config/run_config.h"
#include "core/data/data_source.h"
#include "core/nn/network.h"

namespace bp {

// The network a configuration trains on data of that shape: the paper's architecture (fully connected
// with the configuration's widths, the MNIST or the CIFAR-10 conv net), the configuration's activation,
// output and κ, feedback and recurrent weights where the rule has them, and the rule's initial gain.
// Throws bp::Error for an unknown rule.
NetworkSpec networkSpec(const RunConfig& config, const data::DataShape& shape);

// What a person reads for each layer of the configuration's network ("hidden 1", …, "conv1", …, "output";
// see layerTitles(NetworkSpec)), for the dataset's usual image shape. Empty when it cannot build one.
std::vector<std::string> layerTitles(const RunConfig& config);

// The ImageNet net's seven convolution widths: the configuration's, or the reference's for its rule.
std::vector<int> imagenetChannels(const RunConfig& config);

// The image shape of the configuration's data set as the networks expect it (image folders: 3 ×
// imageSize², 1000 classes for ImageNet and 10 for other folders until the folder is read).
data::DataShape usualShape(const RunConfig& config);

// The tensor type of a configuration's network.
at::ScalarType scalarType(const RunConfig& config);

// The configuration's network for images of channels × size × size and 10 classes, initialised from
// generator (buildNetwork(networkSpec(...)) in one call).
Network buildNetwork(const RunConfig& config, int64_t channels, int64_t size, at::Generator& generator);

} // namespace bp

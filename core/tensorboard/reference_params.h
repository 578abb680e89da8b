#pragma once
#include "core/config/run_config.h"
#include <optional>
#include <string>
#include <vector>

namespace bp::tensorboard {

// A run's settings read from a params.txt: the reference scripts' ("Momentum: 0.8", "Feedforward learning
// rates: [0.1, 0.1, 0.01]", "Using backprop: False", ...) and the one burstprop-train's results folder
// holds (core/cli/results_writer.h: "Dataset: mnist", "Learning rule: burstprop", "-hidden_lr: 0.1 [0, 10]
// ...", "--angle-interval: 100 ..."). Each line becomes the option it records and the configuration is
// built as the command line builds it (core/setup's parseConfigOptions: the dataset's and the rule's
// defaults, then every value), so the same validation applies.
struct ReferenceParams {
    RunConfig config;
    std::vector<std::string> unread; // labels of lines that name no setting ("Simulation run @ ...")
};

// scriptDataset: the dataset the script beside params.txt trains (train_mnist.py: MNIST,
// train_cifar10.py: CIFAR-10), used when no "Dataset:" line names one; without either, a file with no
// "Convolutional network:" line (train_cifar10.py writes none) is CIFAR-10, else MNIST. A file of
// train_imagenet.py ("Using Adam optimizer:") is refused. Throws bp::Error "<name>:<line> '<label>': ...".
ReferenceParams parseReferenceParams(const std::string& text, const std::string& name,
                                     std::optional<DatasetKind> scriptDataset = std::nullopt);

} // namespace bp::tensorboard

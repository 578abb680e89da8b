#pragma once
#include "core/nn/network.h"
#include <ATen/ATen.h>

namespace bp {

struct Evaluation {
    double loss = 0.0;  // MSE against one-hot targets, mean over examples and classes
    double error = 0.0; // percent misclassified
    int64_t examples = 0;
    // Output classes that occur among the labels but that the network predicted for no example: a
    // sigmoid output unit driven to ~0 early in training stays silent (its gradient is ∝ its activity),
    // and each such class adds its share of the set to the error.
    int silentClasses = 0;
};

// Forward passes over a whole dataset in batches (no autograd, no state changed).
Evaluation evaluate(const Network& net, const at::Tensor& images, const at::Tensor& labels, int64_t batchSize);

} // namespace bp

#pragma once
#include "core/nn/network.h"
#include <ATen/ATen.h>

namespace bp {

struct Evaluation {
    double loss = 0.0;  // MSE against one-hot targets, mean over examples and classes
    double error = 0.0; // percent misclassified
    int64_t examples = 0;
};

// Forward passes over a whole dataset in batches (no autograd, no state changed).
Evaluation evaluate(const Network& net, const at::Tensor& images, const at::Tensor& labels, int64_t batchSize);

} // namespace bp

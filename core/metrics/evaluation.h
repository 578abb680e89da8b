#pragma once
#include "core/data/data_source.h"
#include "core/nn/network.h"
#include <ATen/ATen.h>

namespace bp {

struct Evaluation {
    double loss = 0.0;      // the network's loss (MSE against one-hot targets over examples and classes, or
                            // the mean cross-entropy of a softmax output)
    double error = 0.0;     // percent misclassified (top-1)
    double top5Error = 0.0; // percent whose label is not among the min(5, classes) largest outputs
    int64_t examples = 0;
    // Output classes that occur among the labels but that the network predicted for no example: a
    // sigmoid output unit driven to ~0 early in training stays silent (its gradient is ∝ its activity),
    // and each such class adds its share of the set to the error.
    int silentClasses = 0;
};

// Forward passes over a whole data set in batches (no autograd, no state changed), in the network's dtype.
Evaluation evaluate(const Network& net, data::DataSource& source, int64_t batchSize);
// The same over tensors held in memory.
Evaluation evaluate(const Network& net, const at::Tensor& images, const at::Tensor& labels,
                    int64_t batchSize);

} // namespace bp

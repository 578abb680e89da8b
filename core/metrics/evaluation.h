#pragma once
#include "core/data/data_source.h"
#include "core/metrics/confusion.h"
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

// The sums an evaluation is made of (what a data-parallel group adds up across its processes).
struct EvaluationSums {
    double loss = 0.0; // summed over examples (per example: the mean over classes for a sigmoid output)
    int64_t correct = 0, correctTop5 = 0, examples = 0;
    at::Tensor predicted, present; // per class (int64, CPU): examples predicted as it, examples labelled it
};

// The sums over the examples [first, first + count) of source, in batches of batchSize. With confusion
// (of net.classes classes), each example is also counted there by its label and its top-1 prediction.
EvaluationSums evaluationSums(const Network& net, data::DataSource& source, int64_t batchSize, int64_t first,
                              int64_t count, ConfusionMatrix* confusion = nullptr);
// The evaluation these sums make.
Evaluation finishEvaluation(const EvaluationSums& sums);

// Forward passes over a whole data set in batches (no autograd, no state changed), in the network's dtype.
Evaluation evaluate(const Network& net, data::DataSource& source, int64_t batchSize,
                    ConfusionMatrix* confusion = nullptr);
// The same over tensors held in memory.
Evaluation evaluate(const Network& net, const at::Tensor& images, const at::Tensor& labels,
                    int64_t batchSize);

} // namespace bp

#pragma once
#include "core/config/network_spec.h"
#include <ATen/ATen.h>

namespace bp {

// One-hot rows of `classes` columns for int64 labels.
at::Tensor oneHot(const at::Tensor& labels, int64_t classes, const at::TensorOptions& options);
// A network's loss on its output e: the mean squared error against one-hot targets over every element
// (sigmoid output, as the reference), or the mean cross-entropy of the softmax of e (softmax output).
double outputLoss(OutputKind kind, const at::Tensor& output, const at::Tensor& labels);
// The same summed over the batch (mean over classes for MSE), for averaging over many batches.
double outputLossSum(OutputKind kind, const at::Tensor& output, const at::Tensor& labels);
// Rows whose largest output is the label (first maximum on ties).
int64_t countCorrect(const at::Tensor& output, const at::Tensor& labels);
// Rows whose label is among the k largest outputs (k = min(k, classes)).
int64_t countTopK(const at::Tensor& output, const at::Tensor& labels, int64_t k);

} // namespace bp
